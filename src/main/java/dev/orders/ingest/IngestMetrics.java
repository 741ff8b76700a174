package dev.orders.ingest;

import dev.orders.order.RejectionCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What ingestion counts: messages by outcome and rejection code, batch commit time, retries and pauses. */
public final class IngestMetrics {
    private final Counter stored;
    private final Counter duplicates;
    private final Map<RejectionCode, Counter> rejected = new EnumMap<>(RejectionCode.class);
    private final Counter ignoredFields;
    private final Timer batchCommit;
    private final Counter retries;
    private final Timer paused;

    public IngestMetrics(MeterRegistry registry) {
        stored = Counter.builder("orders.messages").tag("outcome", "stored").register(registry);
        duplicates = Counter.builder("orders.messages").tag("outcome", "duplicate").register(registry);
        for (RejectionCode code : RejectionCode.values()) {
            rejected.put(code, Counter.builder("orders.messages").tag("outcome", "rejected")
                    .tag("code", code.code()).register(registry));
        }
        ignoredFields = Counter.builder("orders.ignored.fields")
                .description("Fields outside the contract that were ignored").register(registry);
        batchCommit = Timer.builder("orders.batch.commit").description("Judging and committing one batch")
                .register(registry);
        retries = Counter.builder("orders.store.retries").description("Batch commits retried").register(registry);
        paused = Timer.builder("orders.ingest.paused").description("Time ingestion waited for PostgreSQL")
                .register(registry);
    }

    void batchCommitted(int storedCount, int duplicateCount, long elapsedNanos) {
        stored.increment(storedCount);
        duplicates.increment(duplicateCount);
        batchCommit.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    void rejected(RejectionCode code) {
        rejected.get(code).increment();
    }

    void ignoredFields(int count) {
        ignoredFields.increment(count);
    }

    void retried() {
        retries.increment();
    }

    void pausedFor(long nanos) {
        paused.record(nanos, TimeUnit.NANOSECONDS);
    }
}
