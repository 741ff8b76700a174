package dev.orders.config;

import java.time.Duration;

/**
 * Everything the service needs to run, validated before anything starts.
 *
 * @param database        where orders are kept
 * @param nats            where orders come from
 * @param httpPort        0 picks a free port
 * @param cacheBytes      memory budget of the order cache
 * @param maxPayloadBytes larger messages are rejected as too_large
 * @param batchSize       messages committed per transaction at most
 * @param startupTimeout  how long to wait for PostgreSQL and the broker at start
 */
public record ServiceConfig(DatabaseConfig database, NatsConfig nats, int httpPort, long cacheBytes,
                            int maxPayloadBytes, int batchSize, Duration startupTimeout) {

    public record DatabaseConfig(String url, String user, String password, int poolSize) {
    }

    /**
     * @param createWhenAbsent create the stream and the durable consumer when they do not exist
     */
    public record NatsConfig(String url, String stream, String subject, String durable, boolean createWhenAbsent) {
    }
}
