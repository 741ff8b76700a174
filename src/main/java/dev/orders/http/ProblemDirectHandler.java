package dev.orders.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers the requests Helidon refuses before routing (a malformed path or header, an unknown method, an entity too
 * large) with the same problem+json bodies as the API's own errors, instead of Helidon's plain-text ones.
 */
final class ProblemDirectHandler implements DirectHandler {
    private static final int MAX_DETAIL_LENGTH = 200;

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders headers, String message) {
        String detail = message == null || message.isBlank() ? defaultStatus.reasonPhrase() : message;
        if (detail.length() > MAX_DETAIL_LENGTH) {
            detail = detail.substring(0, MAX_DETAIL_LENGTH) + "…";
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/problem+json");
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(headers)
                .entity(Problem.body(defaultStatus, detail))
                .build();
    }
}
