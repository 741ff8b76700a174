package dev.orders.store;

import dev.orders.order.Order;

/** An order as committed, with the digest of its canonical JSON. */
public record StoredOrder(Order order, byte[] sha256) {
}
