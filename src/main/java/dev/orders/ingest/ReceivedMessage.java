package dev.orders.ingest;

import dev.orders.store.BrokerPosition;

/**
 * One message as the broker delivered it, before any decision about it.
 *
 * @param handle what the source needs to acknowledge this message later
 */
public record ReceivedMessage(byte[] payload, BrokerPosition position, Object handle) {
}
