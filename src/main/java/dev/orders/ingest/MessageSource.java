package dev.orders.ingest;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.List;

/** A broker seen by the pipeline: messages come in batches and are acknowledged only when told. */
public interface MessageSource extends AutoCloseable {
    /**
     * Bytes one fetch brings at most, so that a run of large messages cannot fill the heap (2,000 messages just under
     * 1 MB would need two gigabytes), while a batch of orders of a few kilobytes comes whole from a single partition.
     */
    int FETCH_BYTES = 16 * 1024 * 1024;

    /**
     * Up to {@code max} messages, waiting at most {@code wait} for the first; empty when none came.
     */
    List<ReceivedMessage> fetch(int max, Duration wait) throws InterruptedException;

    /**
     * True when the last fetch took all the broker had for this consumer, as far as its client knows; false when more
     * is waiting or it cannot tell.
     */
    boolean drained();

    /** Tells the broker these messages are done with: their outcomes are committed. */
    void acknowledge(List<ReceivedMessage> messages);

    /** Gives these messages back undone, so that they are delivered again (after what was acknowledged). */
    void redeliver(List<ReceivedMessage> messages);

    /** Tells the broker these messages are still being worked on, so it does not hand them to another consumer. */
    void stillWorking(List<ReceivedMessage> messages);

    /** True while the broker connection is up; for readiness. */
    boolean isConnected();

    /** Registers what the broker client knows: pending messages or consumer lag. */
    void bindMetrics(MeterRegistry registry);

    @Override
    void close();
}
