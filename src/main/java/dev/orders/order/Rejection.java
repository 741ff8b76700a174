package dev.orders.order;

/** A rejection reason: a stable code and a human message that names the JSON path. */
public record Rejection(RejectionCode code, String message) {
}
