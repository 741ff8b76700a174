package dev.orders.http;

import dev.orders.cache.OrderCache;
import dev.orders.feed.OrderFeed;
import dev.orders.store.ActivityQueries;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** The HTTP server: every route of the API is listed here. */
public final class HttpApi implements AutoCloseable {
    private final WebServer server;

    public HttpApi(int port, OrderCache cache, ActivityQueries activity, OrderFeed feed,
                   Map<String, BooleanSupplier> readinessChecks, PrometheusMeterRegistry metrics) {
        server = WebServer.builder()
                .host("0.0.0.0")
                .port(port)
                // Every response header is this service's own constant or a value built from a checked order id;
                // validating them again on every response was the top item of the lookup profile.
                .addProtocol(Http1Config.builder().validateResponseHeaders(false).build())
                .directHandlers(problemsForEveryRefusal())
                .routing(routing -> routing
                        .addFilter(new HttpMetrics(metrics))
                        .register("/api/orders", new OrderRoutes(cache, activity))
                        .register("/api/rejected", new RejectedRoutes(activity))
                        .get("/api/order-events", new OrderEventsRoute(feed))
                        .register("/health", new HealthRoutes(readinessChecks))
                        .get("/metrics", (request, response) -> {
                            response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                            response.send(metrics.scrape());
                        })
                        .register("/", new WebPage())
                        .any((request, response) -> Problem.send(response, Status.NOT_FOUND_404,
                                "no resource at " + request.path().path())))
                .build();
    }

    private static DirectHandlers problemsForEveryRefusal() {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        ProblemDirectHandler problems = new ProblemDirectHandler();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, problems);
        }
        return handlers.build();
    }

    public HttpApi start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
