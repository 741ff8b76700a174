package dev.orders.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Error answers as RFC 9457 problem details ({@code application/problem+json}). */
final class Problem {
    private static final JsonFactory JSON = new JsonFactory();

    private Problem() {
    }

    static void send(ServerResponse response, Status status, String detail) {
        response.status(status);
        response.header(PROBLEM_JSON);
        response.send(body(status, detail));
    }

    private static final Header PROBLEM_JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE,
            "application/problem+json");

    /** The common miss, written without a JSON generator: a valid order id needs no escaping. */
    static void notFound(ServerResponse response, String validOrderId) {
        response.status(Status.NOT_FOUND_404);
        response.header(PROBLEM_JSON);
        response.send(("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no order with order_uid " + validOrderId + "\"}").getBytes(StandardCharsets.US_ASCII));
    }

    static void databaseUnavailable(ServerResponse response, String what) {
        response.header(HeaderNames.RETRY_AFTER, "5");
        send(response, Status.SERVICE_UNAVAILABLE_503,
                what + " cannot be read now: the database is unavailable; try again shortly");
    }

    static byte[] body(Status status, String detail) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("type", "about:blank");
            json.writeStringField("title", status.reasonPhrase());
            json.writeNumberField("status", status.code());
            json.writeStringField("detail", detail);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
