package dev.orders.support;

import dev.orders.config.ServiceConfig;
import dev.orders.store.BrokerPosition;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A real broker for tests, NATS JetStream or Kafka, so one suite can check the contract against both. */
public interface TestBroker extends AutoCloseable {

    /** @param kind {@code jetstream} or {@code kafka} */
    static TestBroker start(String kind) {
        return switch (kind) {
            case "jetstream" -> TestNats.start();
            case "kafka" -> TestKafka.start();
            default -> throw new IllegalArgumentException("no such broker: " + kind);
        };
    }

    /** How the service reaches this broker, its channel and its consumer. */
    ServiceConfig.SourceConfig sourceConfig();

    /** Publishes and waits until the broker has stored the message; returns where it is. */
    BrokerPosition publish(byte[] payload);

    default BrokerPosition publish(String payload) {
        return publish(payload.getBytes(StandardCharsets.UTF_8));
    }

    void publishAll(List<String> payloads);

    /** How many messages were published through this object. */
    long published();

    /** How many messages, counted from the start, the service's consumer has acknowledged (JetStream ack floor, Kafka committed offsets). */
    long acknowledged();

    @Override
    void close();
}
