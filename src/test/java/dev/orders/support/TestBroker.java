package dev.orders.support;

import dev.orders.config.ServiceConfig;
import dev.orders.store.BrokerPosition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    /** Publishes without waiting; the future completes with the position once the broker has stored the message. */
    CompletableFuture<BrokerPosition> publishAsync(byte[] payload);

    /** The settings a service started as a separate process needs to consume from this broker. */
    default Map<String, String> serviceEnvironment() {
        return switch (sourceConfig()) {
            case ServiceConfig.NatsConfig nats -> Map.of("ORDERS_SOURCE", "jetstream", "ORDERS_NATS_URL", nats.url(),
                    "ORDERS_NATS_STREAM", nats.stream(), "ORDERS_NATS_SUBJECT", nats.subject(),
                    "ORDERS_NATS_DURABLE", nats.durable());
            case ServiceConfig.KafkaConfig kafka -> Map.of("ORDERS_SOURCE", "kafka",
                    "ORDERS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "ORDERS_KAFKA_TOPIC", kafka.topic(),
                    "ORDERS_KAFKA_GROUP_ID", kafka.groupId());
        };
    }

    /** Stops the broker as an outage would; what it stored stays for {@link #restartServer()}. */
    void stopServer();

    /** Starts the broker again on the same port with the same store. */
    void restartServer();

    /** How many messages were published through this object. */
    long published();

    /** How many messages, counted from the start, the service's consumer has acknowledged (JetStream ack floor, Kafka committed offsets). */
    long acknowledged();

    @Override
    void close();
}
