package dev.orders.ingest;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;

/** Creates the stream orders are published to, when it is absent. Shared by the service and the publisher. */
public final class JetStreamSetup {
    static final int STREAM_NOT_FOUND = 10059;

    private JetStreamSetup() {
    }

    /** @return true when the stream was created, false when it was there already */
    public static boolean ensureStream(JetStreamManagement management, String stream, String subject)
            throws IOException, JetStreamApiException {
        try {
            management.getStreamInfo(stream);
            return false;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
        }
        management.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
                .storageType(StorageType.File).build());
        return true;
    }
}
