package dev.orders.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} by method, route and status, with a histogram for latency
 * percentiles. Routes are the API's own templates, never raw paths, so hostile URLs cannot multiply the series.
 */
final class HttpMetrics {
    private final MeterRegistry registry;
    /** Timers looked up once per series, not built and registered on every request. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Series(String method, String route, int status) {
    }

    private Timer timer(Series series) {
        return Timer.builder("http.server.requests")
                .tag("method", series.method())
                .tag("route", series.route())
                .tag("status", String.valueOf(series.status()))
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Times the request from now, in its first route, until its response is sent, whatever answers it. The route is
     * read before routing: a registered service sees the path relative to where it is registered. Raw, because the
     * path is not yet checked here: decoding a malformed one would throw.
     */
    void time(ServerRequest request, ServerResponse response) {
        long started = System.nanoTime();
        String route = route(request.path().rawPath());
        String method = method(request.prologue().method().text());
        response.whenSent(() -> timers.computeIfAbsent(new Series(method, route, response.status().code()), this::timer)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    private static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    static String route(String path) {
        if (path == null) {
            // A CONNECT request names a host and port instead of a path.
            return "other";
        }
        if (path.startsWith("/api/orders/")) {
            return "/api/orders/{order_uid}";
        }
        return switch (path) {
            case "/api/orders", "/api/rejected", "/api/order-events", "/health/live", "/health/ready", "/metrics",
                 "/openapi.yaml" -> path;
            case "/", "/rejected" -> "page";
            case "/favicon.ico" -> "static";
            default -> path.startsWith("/orders/") ? "page" : path.startsWith("/static/") ? "static" : "other";
        };
    }
}
