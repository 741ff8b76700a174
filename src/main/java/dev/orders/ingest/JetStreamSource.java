package dev.orders.ingest;

import dev.orders.config.ServiceConfig;
import dev.orders.store.BrokerPosition;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Messages from a durable pull consumer of a JetStream stream, acknowledged explicitly one by one. */
public final class JetStreamSource implements MessageSource {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSource.class);
    /** How long the broker waits for an ack before redelivering; the pipeline extends it while it retries. */
    static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private final Connection connection;
    private final String stream;
    private final ConsumerContext consumer;
    private final long fetchBytes;
    /** Messages the consumer has yet to deliver, as the broker reported with the last message fetched. */
    private final AtomicLong pending = new AtomicLong();

    private JetStreamSource(Connection connection, String stream, ConsumerContext consumer) {
        this.connection = connection;
        this.stream = stream;
        this.consumer = consumer;
        // The server refuses a fetch too small for its next message, which would then never be delivered.
        this.fetchBytes = Math.max(FETCH_BYTES, 2L * connection.getServerInfo().getMaxPayload());
    }

    /**
     * Connects (waiting up to {@code startupTimeout}) and binds to the durable consumer on the stream, creating
     * both when absent and allowed.
     *
     * @throws IllegalStateException when the stream or consumer is absent and may not be created
     */
    public static JetStreamSource connect(ServiceConfig.NatsConfig config, Duration startupTimeout)
            throws IOException, JetStreamApiException, InterruptedException {
        Connection connection = NatsConnector.connect(config.url(), startupTimeout);
        try {
            JetStreamManagement management = connection.jetStreamManagement();
            JetStreamSetup.ensureStream(management, config.stream(), config.subject(), config.createWhenAbsent());
            JetStreamSetup.ensureDurableConsumer(management, config.stream(), config.subject(), config.durable(),
                    ACK_WAIT, config.createWhenAbsent());
            return new JetStreamSource(connection, config.stream(),
                    connection.getConsumerContext(config.stream(), config.durable()));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public List<ReceivedMessage> fetch(int max, Duration wait) throws InterruptedException {
        List<ReceivedMessage> batch = new ArrayList<>();
        try {
            // "No wait with expiry": return what is there at once; wait only while nothing is there.
            FetchConsumeOptions options = FetchConsumeOptions.builder().maxMessages(max)
                    .maxBytes(fetchBytes).noWaitExpiresIn(wait.toMillis()).build();
            FetchConsumer fetch = consumer.fetch(options);
            for (Message message = fetch.nextMessage(); message != null; message = fetch.nextMessage()) {
                BrokerPosition position = new BrokerPosition("jetstream", stream, 0,
                        message.metaData().streamSequence());
                batch.add(new ReceivedMessage(message.getData() == null ? new byte[0] : message.getData(),
                        position, message));
                pending.set(message.metaData().pendingCount());
            }
        } catch (IOException | JetStreamApiException | JetStreamStatusCheckedException | IllegalStateException e) {
            // The connection reconnects by itself; messages fetched so far stay unacknowledged and come again.
            log.warn("Fetching from JetStream failed, retrying: {}", e.getMessage());
            if (batch.isEmpty()) {
                Thread.sleep(wait.toMillis());
            }
        }
        return batch;
    }

    /** Each message tells how many the consumer had yet to deliver after it; the last one fetched counts. */
    @Override
    public boolean drained() {
        return pending.get() == 0;
    }

    @Override
    public void acknowledge(List<ReceivedMessage> messages) {
        for (ReceivedMessage message : messages) {
            ((Message) message.handle()).ack();
        }
    }

    /** A negative acknowledgement: the broker delivers them again at once rather than after the ack wait. */
    @Override
    public void redeliver(List<ReceivedMessage> messages) {
        for (ReceivedMessage message : messages) {
            ((Message) message.handle()).nak();
        }
    }

    @Override
    public void stillWorking(List<ReceivedMessage> messages) {
        for (ReceivedMessage message : messages) {
            ((Message) message.handle()).inProgress();
        }
    }

    @Override
    public boolean isConnected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("orders.broker.pending", pending, AtomicLong::get)
                .description("Messages the JetStream consumer has yet to deliver").register(registry);
    }

    @Override
    public void close() {
        try {
            // Acks are sent asynchronously; make sure the last batch's reach the server before closing.
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            log.warn("Could not flush the last acknowledgements: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JetStream stream " + stream;
    }
}
