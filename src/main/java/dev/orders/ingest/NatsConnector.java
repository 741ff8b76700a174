package dev.orders.ingest;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Opens the NATS connection: retried for a bounded time at start, then reconnecting forever once up. */
public final class NatsConnector {
    private static final Logger log = LoggerFactory.getLogger(NatsConnector.class);

    private NatsConnector() {
    }

    public static Connection connect(String url, Duration startupTimeout) throws IOException, InterruptedException {
        Options options = new Options.Builder()
                .server(url)
                .connectionName("orders-service")
                .connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .connectionListener((connection, event) -> log.info("NATS connection: {}", event))
                .errorListener(new io.nats.client.ErrorListener() {
                })
                .build();
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("NATS at " + url + " did not answer within " + startupTimeout.toSeconds()
                            + " s: " + e.getMessage(), e);
                }
                log.info("Waiting for NATS at {}: {}", url, e.getMessage());
                Thread.sleep(500);
            }
        }
    }
}
