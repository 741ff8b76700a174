package dev.orders.store;

/**
 * Where a message sits in its broker, recorded with every rejection so an operator can find or replay it.
 *
 * @param source    {@code jetstream} or {@code kafka}
 * @param channel   the JetStream stream or the Kafka topic
 * @param partition the Kafka partition; 0 for JetStream
 * @param position  the JetStream stream sequence or the Kafka offset
 */
public record BrokerPosition(String source, String channel, int partition, long position) {
    @Override
    public String toString() {
        return source + ":" + channel + "/" + partition + "@" + position;
    }
}
