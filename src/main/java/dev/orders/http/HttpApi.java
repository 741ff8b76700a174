package dev.orders.http;

import dev.orders.cache.OrderCache;
import dev.orders.feed.OrderFeed;
import dev.orders.store.ActivityQueries;
import io.helidon.common.uri.UriPath;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The HTTP server: every route of the API is listed here. */
public final class HttpApi implements AutoCloseable {
    /**
     * Longer request lines are answered 414. Helidon closes the connection without a word when a request line it
     * cannot finish reading is longer than this in the first bytes it receives, so the limit is generous.
     */
    private static final int MAX_REQUEST_LINE = 64 * 1024;
    private static final String ALL_INTERFACES = "0.0.0.0";
    /**
     * By ASCII code, looked up rather than compared in a chain: order ids mix digits and letters at random, so a chain
     * of range comparisons mispredicts a branch on about every other character (3.5% of a lookup's samples).
     */
    private static final boolean[] UNRESERVED_BUT_DOT = new boolean[128];

    static {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~".chars()
                .forEach(c -> UNRESERVED_BUT_DOT[c] = true);
    }
    private final int port;
    private final WebServer server;
    private final MetricsRoute metricsRoute;

    public HttpApi(int port, OrderCache cache, ActivityQueries activity, OrderFeed feed,
                   Map<String, BooleanSupplier> readinessChecks, PrometheusMeterRegistry metrics) {
        this.port = port;
        metricsRoute = new MetricsRoute(metrics);
        server = WebServer.builder()
                .host(ALL_INTERFACES)
                .port(port)
                .addProtocol(http1())
                .directHandlers(problemsForEveryRefusal())
                // Every request is timed, its connection closed after the response if it asks for that, and refused if
                // malformed, answered if it is a lookup of an order, or else passed on, by a first route rather than by
                // filters: with any filter Helidon builds a filter chain for every request, about 5% of a lookup's CPU
                // (docs/performance-log.md, lookups, session 35).
                .routing(routing -> {
                    OrderRoutes orders = new OrderRoutes(cache, activity);
                    routing.any(firstRoute(new HttpMetrics(metrics), orders));
                    orders.addTo(routing);
                    routing.register("/api/rejected", new RejectedRoutes(activity))
                            .get("/api/order-events", new OrderEventsRoute(feed))
                            .register("/health", new HealthRoutes(readinessChecks))
                            .get("/metrics", metricsRoute)
                            .register("/", new WebPage())
                            .any((request, response) -> Problem.send(response, Status.NOT_FOUND_404,
                                    "no resource at " + request.path().path()));
                })
                .build();
    }

    /**
     * HTTP/1.1 as this service speaks it (bench/BareHelidon.java measures Helidon alone with the same settings).
     * Every response header is this service's own constant or a value built from a checked order id; validating them
     * again on every response was the top item of the lookup profile. The Host header is not matched against a
     * regular expression (3% of a lookup): this service never uses its value; that it is there at all, as HTTP/1.1
     * requires, is checked by refuseMalformed. "Connection: keep-alive" says what HTTP/1.1 means anyway (Helidon
     * answers no HTTP/1.0): one header fewer to build on every response. The path is checked by refuseMalformed,
     * which passes a plain path without the URI parse and normalization Helidon 4.5.0 ran on every request (6% of a
     * lookup's samples). Helidon's packet logs dump requests and responses, orders' personal data among them, at
     * debug level, which this service never turns on for Helidon; left in place, they ask the logging framework on
     * every request and response whether they are wanted (1% of a lookup's samples).
     */
    public static Http1Config http1() {
        return Http1Config.builder()
                .receiveLog(false)
                .sendLog(false)
                .validateResponseHeaders(false)
                .validateRequestHostHeader(false)
                .validatePath(false)
                .sendKeepAliveHeader(false)
                .maxPrologueLength(MAX_REQUEST_LINE)
                .build();
    }

    private static Handler firstRoute(HttpMetrics metrics, OrderRoutes orders) {
        return (request, response) -> {
            metrics.time(request, response);
            closeAfterTheResponseWhenAsked(request, response);
            if (refusedAsMalformed(request, response)) {
                return;
            }
            if (OrderRoutes.isLookup(request)) {
                orders.lookup(request, response);
            } else {
                response.next();
            }
        };
    }

    /**
     * A server that answers a request saying "Connection: close" must close the connection after the response (RFC
     * 9112, section 9.6). Helidon 4.5.0 says "Connection: close" in the response and then waits for another request
     * until its idle timeout, minutes later (helidon-io/helidon#12324, fixed in releases this build cannot get), so a
     * client reading to the end of the stream hangs and every such client holds a connection. Ending the connection
     * with CloseConnectionException once the response is written is how Helidon ends one itself. Registered after the
     * timing, because listeners run in turn and this one ends the request.
     */
    private static void closeAfterTheResponseWhenAsked(ServerRequest request, ServerResponse response) {
        // Helidon's containsToken builds a stream and a list even for an absent header, as it is from most clients.
        if (request.headers().contains(HeaderNames.CONNECTION)
                && request.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            response.whenSent(() -> {
                throw new CloseConnectionException("the client asked to close the connection after its request");
            });
        }
    }

    /**
     * A CONNECT request names a host, not a path, which Helidon's router cannot match: it fails instead of refusing.
     * An HTTP/1.1 request without a Host header must be refused (RFC 9112, section 3.2). A path that is not a valid
     * URI path (a bad percent escape, a character URIs do not allow) is refused before anything decodes it. Returns
     * whether the request was refused.
     */
    private static boolean refusedAsMalformed(ServerRequest request, ServerResponse response) {
        if (request.prologue().method() == Method.CONNECT) {
            response.header(HeaderNames.ALLOW, "GET, HEAD");
            Problem.send(response, Status.METHOD_NOT_ALLOWED_405, "CONNECT is not supported: this server is no proxy");
        } else if (!request.headers().contains(HeaderNames.HOST)) {
            Problem.send(response, Status.BAD_REQUEST_400, "an HTTP/1.1 request needs a Host header");
        } else if (!isPlainPath(request.path().rawPath()) && !isValidPath(request.path())) {
            Problem.send(response, Status.BAD_REQUEST_400, "the path is not a valid URI path");
        } else {
            return false;
        }
        return true;
    }

    /** Unreserved characters (RFC 3986) in segments that are neither empty nor dots: valid, and already normal. */
    private static boolean isPlainPath(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return false;
        }
        boolean segmentStart = true;
        for (int i = 1; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '/') {
                if (segmentStart) {
                    return false;
                }
                segmentStart = true;
            } else if (c < UNRESERVED_BUT_DOT.length && UNRESERVED_BUT_DOT[c]) {
                segmentStart = false;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidPath(UriPath path) {
        try {
            path.validate();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static DirectHandlers problemsForEveryRefusal() {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        ProblemDirectHandler problems = new ProblemDirectHandler();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, problems);
        }
        return handlers.build();
    }

    /**
     * @throws IllegalStateException when the port cannot be listened on. Helidon does not throw then: it logs a stack
     * trace and returns a server that is not running, and the service would have run without its API.
     */
    public HttpApi start() {
        requirePortFree(port);
        server.start();
        if (!server.isRunning()) {
            throw new IllegalStateException("could not listen on HTTP port " + port);
        }
        return this;
    }

    /**
     * Checked before Helidon binds, so that a port in use (the usual cause) is reported in one line rather than
     * Helidon's trace; and by the command before it starts anything else, so that the user does not wait for that.
     *
     * @throws IllegalStateException when something listens on the port
     */
    public static void requirePortFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(ALL_INTERFACES, port));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP port " + port + " is not free: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        metricsRoute.close();
    }
}
