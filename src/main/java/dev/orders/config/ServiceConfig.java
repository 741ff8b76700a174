package dev.orders.config;

import java.time.Duration;
import java.util.Map;

/**
 * Everything the service needs to run, validated before anything starts.
 *
 * @param database        where orders are kept
 * @param source          where orders come from: NATS JetStream or Kafka
 * @param httpPort        0 picks a free port
 * @param cacheBytes      memory budget of the order cache
 * @param maxPayloadBytes larger messages are rejected as too_large
 * @param batchSize       messages committed per transaction at most
 * @param startupTimeout  how long to wait for PostgreSQL and the broker at start
 */
public record ServiceConfig(DatabaseConfig database, SourceConfig source, int httpPort, long cacheBytes,
                            int maxPayloadBytes, int batchSize, Duration startupTimeout) {

    public record DatabaseConfig(String url, String user, String password, int poolSize) {
    }

    /** The broker orders are read from. */
    public sealed interface SourceConfig {
    }

    /**
     * @param createWhenAbsent create the stream and the durable consumer when they do not exist
     */
    public record NatsConfig(String url, String stream, String subject, String durable, boolean createWhenAbsent)
            implements SourceConfig {
    }

    /**
     * @param createPartitions when above 0, create the topic with this many partitions if it does not exist
     * @param clientProperties passed as they are to the Kafka clients (security protocol, SASL, timeouts, …)
     */
    public record KafkaConfig(String bootstrapServers, String topic, String groupId, int createPartitions,
                              Map<String, String> clientProperties) implements SourceConfig {
        public KafkaConfig {
            clientProperties = Map.copyOf(clientProperties);
        }
    }
}
