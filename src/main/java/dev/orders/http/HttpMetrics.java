package dev.orders.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} by method, route and status, with a histogram for latency
 * percentiles. Routes are the API's own templates, never raw paths, so hostile URLs cannot multiply the series.
 */
final class HttpMetrics implements Filter {
    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long started = System.nanoTime();
        // Read before routing: a registered service sees the path relative to where it is registered.
        String route = route(request.path().path());
        String method = method(request.prologue().method().text());
        try {
            chain.proceed();
        } finally {
            Timer.builder("http.server.requests")
                    .tag("method", method)
                    .tag("route", route)
                    .tag("status", String.valueOf(response.status().code()))
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static String method(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" -> method;
            default -> "OTHER";
        };
    }

    static String route(String path) {
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
