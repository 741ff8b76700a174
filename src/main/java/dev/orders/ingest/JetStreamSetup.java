package dev.orders.ingest;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/** The stream orders are published to and the durable consumer that reads it, created when absent. */
public final class JetStreamSetup {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSetup.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;
    static final long MAX_ACK_PENDING = 20_000;

    private JetStreamSetup() {
    }

    /**
     * Makes sure the stream exists, creating it (file storage) when absent and allowed.
     *
     * @throws IllegalStateException when it is absent and may not be created
     */
    public static void ensureStream(JetStreamManagement management, String stream, String subject,
                                    boolean createWhenAbsent) throws IOException, JetStreamApiException {
        try {
            management.getStreamInfo(stream);
            return;
        } catch (JetStreamApiException e) {
            requireAbsentAndCreatable(e, STREAM_NOT_FOUND, createWhenAbsent, "stream " + stream);
        }
        management.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
                .storageType(StorageType.File).build());
        log.info("Created JetStream stream {} on subject {}", stream, subject);
    }

    /**
     * Makes sure the durable pull consumer exists, creating it when absent and allowed: explicit acks, every
     * message from the start, and unlimited deliveries, so the pipeline, not the broker, decides what is rejected.
     */
    public static void ensureDurableConsumer(JetStreamManagement management, String stream, String subject,
                                             String durable, Duration ackWait, boolean createWhenAbsent)
            throws IOException, JetStreamApiException {
        try {
            management.getConsumerInfo(stream, durable);
            return;
        } catch (JetStreamApiException e) {
            requireAbsentAndCreatable(e, CONSUMER_NOT_FOUND, createWhenAbsent,
                    "durable consumer " + durable + " on stream " + stream);
        }
        management.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(subject)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .ackWait(ackWait)
                .maxDeliver(-1)
                // The server's default of 1,000 unacknowledged messages would cap a batch at 1,000 and make a
                // larger fetch wait out its expiry; the largest batch is 10,000.
                .maxAckPending(MAX_ACK_PENDING)
                .build());
        log.info("Created JetStream durable consumer {} on stream {}", durable, stream);
    }

    private static void requireAbsentAndCreatable(JetStreamApiException e, int notFoundCode, boolean create,
                                                  String what) throws JetStreamApiException {
        if (e.getApiErrorCode() != notFoundCode) {
            throw e;
        }
        if (!create) {
            throw new IllegalStateException(what + " does not exist and creating it is switched off");
        }
    }
}
