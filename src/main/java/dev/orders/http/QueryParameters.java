package dev.orders.http;

import io.helidon.common.uri.UriQuery;

import java.util.Set;

/** Reads the query parameters of the list endpoints, refusing bad ones with a message that names them. */
final class QueryParameters {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final UriQuery query;

    QueryParameters(UriQuery query) {
        this.query = query;
    }

    /** {@code limit}: 1 to 100, default 20. */
    int limit() {
        if (!query.contains("limit")) {
            return DEFAULT_LIMIT;
        }
        long limit = number("limit");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameter("limit must be from 1 to " + MAX_LIMIT);
        }
        return (int) limit;
    }

    /** {@code before}: the cursor of a previous page, or null for the first page. */
    Long before() {
        if (!query.contains("before")) {
            return null;
        }
        long before = number("before");
        if (before < 1) {
            throw new BadParameter("before must be a cursor from a previous page");
        }
        return before;
    }

    /** An optional parameter that must be one of {@code allowed}. */
    String oneOf(String name, Set<String> allowed) {
        if (!query.contains(name)) {
            return null;
        }
        String value = query.get(name);
        if (!allowed.contains(value)) {
            throw new BadParameter(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private long number(String name) {
        String value = query.get(name);
        if (!value.matches("\\d{1,18}")) {
            throw new BadParameter(name + " must be a whole number");
        }
        return Long.parseLong(value);
    }

    /** A query parameter that cannot be used; its message is shown to the client. */
    static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message, null, false, false);
        }
    }
}
