package dev.orders.store;

import java.time.Instant;

/**
 * A row of the rejected-messages table, as operators see it.
 *
 * @param payload the stored bytes: the whole message, or its beginning when it was too large
 */
public record RejectedMessage(long id, Instant rejectedAt, BrokerPosition position, String code, String reason,
                              String orderUid, byte[] payload, int payloadSize) {
}
