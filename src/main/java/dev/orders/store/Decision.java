package dev.orders.store;

import dev.orders.order.Order;
import dev.orders.order.Rejection;

/** What the pipeline decided about one message before anything is written: store it, or record its rejection. */
public sealed interface Decision {
    BrokerPosition position();

    /**
     * @param json   the canonical JSON of the order, as served
     * @param sha256 the digest of {@code json}: equal digests mean equal content
     */
    record Accept(BrokerPosition position, Order order, byte[] json, byte[] sha256) implements Decision {
    }

    /**
     * @param orderUid    the order_uid when the message had a well-formed one, else null
     * @param payload     the raw bytes, or their beginning when the message was too large
     * @param payloadSize the size of the whole message in bytes
     */
    record Reject(BrokerPosition position, Rejection rejection, String orderUid, byte[] payload, int payloadSize)
            implements Decision {
    }
}
