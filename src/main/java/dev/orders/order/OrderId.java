package dev.orders.order;

import java.util.regex.Pattern;

/** The one accepted shape of an order id, shared by ingestion and the HTTP API. */
public final class OrderId {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private OrderId() {
    }

    public static boolean isValid(String candidate) {
        return candidate != null && SHAPE.matcher(candidate).matches();
    }
}
