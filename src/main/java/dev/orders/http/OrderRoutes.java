package dev.orders.http;

import dev.orders.cache.CachedOrder;
import dev.orders.cache.OrderCache;
import dev.orders.order.OrderId;
import dev.orders.store.ActivityQueries;
import dev.orders.store.OrderSummary;
import dev.orders.store.Page;
import dev.orders.store.StoreUnavailableException;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code GET /api/orders/{order_uid}}: the order as JSON, from the cache or else PostgreSQL;
 * {@code GET /api/orders?limit=&before=}: the latest stored orders, newest first.
 */
final class OrderRoutes {
    private static final Logger log = LoggerFactory.getLogger(OrderRoutes.class);
    private static final String PATH = "/api/orders";
    private static final String PREFIX = PATH + "/";
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header ALLOW = HeaderValues.createCached(HeaderNames.ALLOW, "GET, HEAD");
    // Orders never change, but a client should still revalidate rather than keep a 404 it once saw.
    private static final Header CACHE_CONTROL = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache");

    private final OrderCache cache;
    private final ActivityQueries activity;

    OrderRoutes(OrderCache cache, ActivityQueries activity) {
        this.cache = cache;
        this.activity = activity;
    }

    /**
     * {@code /api/orders} and {@code /api/orders/*} but their lookups, added to the top of the routing rather than
     * registered as a service under /api/orders: a registered service's prefix match and its own crawl of routes were
     * 4% of a lookup's samples (docs/performance-log.md, lookups, session 36). A prefix, not a "/{id}" pattern: pattern
     * routes match with a regular expression on every request.
     */
    void addTo(HttpRules rules) {
        // The exact path first: Helidon's prefix matcher also accepts the prefix without its trailing slash.
        rules.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.exact(PATH), this::list)
                .route(method -> true, PathMatchers.exact(PATH), OrderRoutes::methodNotAllowed)
                // Lookups, GET and HEAD, never get this far: the first route answers them (see isLookup).
                .route(method -> true, PathMatchers.prefix(PREFIX), OrderRoutes::methodNotAllowed);
    }

    /**
     * A lookup by order_uid, GET or HEAD under /api/orders/, matched on the decoded path as Helidon's prefix matcher
     * matches. {@link HttpApi}'s first route answers these itself, with {@link #lookup}, instead of passing them down
     * the routing, past the routes before theirs: CPU a lookup ×0.94–0.99 (median ×0.97) for six instances, each in
     * turns with one of the build before (docs/performance-log.md, lookups, session 41).
     */
    static boolean isLookup(ServerRequest request) {
        Method method = request.prologue().method();
        return (method == Method.GET || method == Method.HEAD) && request.path().path().startsWith(PREFIX);
    }

    private void list(ServerRequest request, ServerResponse response) {
        QueryParameters query = new QueryParameters(request.query());
        Page<OrderSummary> page;
        try {
            page = activity.recentOrders(query.limit(), query.before());
        } catch (QueryParameters.BadParameter e) {
            Problem.send(response, Status.BAD_REQUEST_400, e.getMessage());
            return;
        } catch (StoreUnavailableException e) {
            Problem.databaseUnavailable(response, "the list of orders");
            return;
        }
        response.header(JSON);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(JsonBodies.orders(page));
    }

    void lookup(ServerRequest request, ServerResponse response) {
        String id = request.path().path().substring(PREFIX.length());
        if (!OrderId.isValid(id)) {
            Problem.send(response, Status.BAD_REQUEST_400,
                    "order_uid must be 1-64 characters from A-Z a-z 0-9 _ -");
            return;
        }
        Optional<CachedOrder> order;
        try {
            order = cache.get(id);
        } catch (StoreUnavailableException e) {
            log.warn("Order {} is not cached and PostgreSQL is unavailable: {}", id, e.getMessage());
            Problem.databaseUnavailable(response, "order " + id);
            return;
        }
        if (order.isEmpty()) {
            Problem.notFound(response, id);
            return;
        }
        CachedOrder found = order.get();
        String etag = found.etag();
        response.header(HeaderNames.ETAG, etag);
        response.header(CACHE_CONTROL);
        if (request.headers().contains(HeaderNames.IF_NONE_MATCH)
                && matches(request.headers().first(HeaderNames.IF_NONE_MATCH), etag)) {
            response.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        response.header(JSON);
        response.send(found.json());
    }

    /** RFC 9110 §13.1.2: a list of entity tags or "*", compared weakly. */
    static boolean matches(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static void methodNotAllowed(ServerRequest request, ServerResponse response) {
        response.header(ALLOW);
        Problem.send(response, Status.METHOD_NOT_ALLOWED_405,
                "method " + request.prologue().method().text() + " is not allowed here; use GET");
    }
}
