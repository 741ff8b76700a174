package dev.orders.http;

import dev.orders.order.RejectionCode;
import dev.orders.store.ActivityQueries;
import dev.orders.store.Page;
import dev.orders.store.RejectedMessage;
import dev.orders.store.StoreUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code GET /api/rejected?limit=&before=&code=}: the latest rejected messages, newest first, for operators. */
final class RejectedRoutes implements HttpService {
    /** Enough of a payload to see what it was; the page shows less and expands to this. */
    static final int PAYLOAD_PREVIEW_BYTES = 4096;
    private static final Set<String> CODES = Arrays.stream(RejectionCode.values()).map(RejectionCode::code)
            .collect(Collectors.toUnmodifiableSet());

    private final ActivityQueries activity;

    RejectedRoutes(ActivityQueries activity) {
        this.activity = activity;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.exact("/"), this::list)
                .any("/", OrderRoutes::methodNotAllowed);
    }

    private void list(ServerRequest request, ServerResponse response) {
        QueryParameters query = new QueryParameters(request.query());
        Page<RejectedMessage> page;
        try {
            page = activity.rejected(query.limit(), query.before(), query.oneOf("code", CODES), PAYLOAD_PREVIEW_BYTES);
        } catch (QueryParameters.BadParameter e) {
            Problem.send(response, Status.BAD_REQUEST_400, e.getMessage());
            return;
        } catch (StoreUnavailableException e) {
            Problem.databaseUnavailable(response, "the rejected messages");
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(JsonBodies.rejected(page));
    }
}
