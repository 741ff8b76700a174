package dev.orders.store;

import dev.orders.order.Rejection;

/** The committed result for one message, as the contract names them. */
public sealed interface Outcome {
    record Stored() implements Outcome {
    }

    record Duplicate() implements Outcome {
    }

    record Rejected(Rejection rejection) implements Outcome {
    }
}
