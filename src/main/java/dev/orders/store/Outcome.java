package dev.orders.store;

import dev.orders.order.Rejection;

/** The committed result for one message, as the contract names them. */
public sealed interface Outcome {
    /**
     * @param storedSeq the order's place in the order of storing, the cursor for listing recent orders
     */
    record Stored(long storedSeq, java.time.Instant storedAt) implements Outcome {
    }

    record Duplicate() implements Outcome {
    }

    record Rejected(Rejection rejection) implements Outcome {
    }
}
