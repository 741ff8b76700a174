package dev.orders.store;

/** An order as committed: its canonical JSON, as served, and the SHA-256 of those bytes. */
public record StoredOrder(String orderUid, byte[] json, byte[] sha256) {
}
