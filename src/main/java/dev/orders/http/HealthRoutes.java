package dev.orders.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health/live} answers while the process runs; {@code /health/ready} once every named check passes. */
final class HealthRoutes implements HttpService {
    private final Map<String, BooleanSupplier> readinessChecks;

    HealthRoutes(Map<String, BooleanSupplier> readinessChecks) {
        this.readinessChecks = new LinkedHashMap<>(readinessChecks);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (request, response) -> sendJson(response, Status.OK_200, "{\"status\":\"UP\"}"))
                .get("/ready", this::ready);
    }

    private void ready(ServerRequest request, ServerResponse response) {
        StringBuilder checks = new StringBuilder();
        boolean allUp = true;
        for (Map.Entry<String, BooleanSupplier> check : readinessChecks.entrySet()) {
            boolean up = check.getValue().getAsBoolean();
            allUp &= up;
            checks.append(checks.isEmpty() ? "" : ",")
                    .append('"').append(check.getKey()).append("\":\"").append(up ? "UP" : "DOWN").append('"');
        }
        String body = "{\"status\":\"" + (allUp ? "UP" : "DOWN") + "\",\"checks\":{" + checks + "}}";
        sendJson(response, allUp ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }

    private static void sendJson(ServerResponse response, Status status, String body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(body);
    }
}
