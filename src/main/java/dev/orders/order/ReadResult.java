package dev.orders.order;

/** What reading one message gave: a valid order, or the reason it was rejected. */
public sealed interface ReadResult {

    /**
     * @param unknownFields fields outside the contract that were ignored (tolerant reader)
     */
    record Valid(Order order, int unknownFields) implements ReadResult {
    }

    /**
     * @param orderUid the message's order_uid when it had a well-formed one, for logs and operators; else null
     */
    record Invalid(Rejection rejection, String orderUid) implements ReadResult {
    }
}
