package dev.orders.ingest;

import dev.orders.cache.CachedOrder;
import dev.orders.cache.OrderCache;
import dev.orders.order.RejectionCode;
import dev.orders.store.Decision;
import dev.orders.feed.OrderFeed;
import dev.orders.store.OrderStore;
import dev.orders.store.OrderSummary;
import dev.orders.store.Outcome;
import dev.orders.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where every message goes: fetched in a batch, judged, its outcome committed to PostgreSQL in one transaction,
 * stored orders put in the cache and announced on the feed, and only then the batch acknowledged. While PostgreSQL is unavailable the
 * batch is retried with backoff and nothing is acknowledged.
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Duration FETCH_WAIT = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final MessageSource source;
    private final MessageJudge judge;
    private final OrderStore store;
    private final OrderCache cache;
    private final int batchSize;
    private final IngestMetrics metrics;
    private final OrderFeed feed;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** False while a batch waits for PostgreSQL to come back; for logging the changes once. */
    private boolean storeAvailable = true;
    private Thread worker;

    public IngestPipeline(MessageSource source, MessageJudge judge, OrderStore store, OrderCache cache,
                          int batchSize, IngestMetrics metrics, OrderFeed feed) {
        this.source = source;
        this.judge = judge;
        this.store = store;
        this.cache = cache;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.feed = feed;
    }

    public void start() {
        worker = Thread.ofPlatform().name("ingest").start(this::run);
    }

    private void run() {
        try {
            while (running) {
                try {
                    List<ReceivedMessage> batch = source.fetch(batchSize, FETCH_WAIT);
                    if (!batch.isEmpty()) {
                        process(batch);
                    }
                } catch (RuntimeException e) {
                    // Whatever went wrong, nothing of this batch was acknowledged: it comes again after the ack wait.
                    log.error("Ingestion failed on a batch; continuing, its messages will be redelivered", e);
                    Thread.sleep(LAST_RETRY);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void process(List<ReceivedMessage> batch) throws InterruptedException {
        long started = System.nanoTime();
        List<Decision> decisions = new ArrayList<>(batch.size());
        for (ReceivedMessage message : batch) {
            decisions.add(judge.judge(message));
        }
        long judged = System.nanoTime();
        List<Outcome> outcomes = commitUntilDone(decisions, batch);
        if (outcomes == null) {
            return;
        }
        long committed = System.nanoTime();
        int stored = 0, duplicates = 0, rejected = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Decision decision = decisions.get(i);
            switch (outcomes.get(i)) {
                case Outcome.Stored s -> {
                    Decision.Accept accept = (Decision.Accept) decision;
                    cache.put(accept.order().orderUid(), CachedOrder.of(accept.json(), accept.sha256()));
                    feed.publish(OrderSummary.of(accept.order(), s));
                    log.debug("Stored order {} from {}", accept.order().orderUid(), decision.position());
                    stored++;
                }
                case Outcome.Duplicate d -> {
                    log.debug("Duplicate of order {} at {}", ((Decision.Accept) decision).order().orderUid(),
                            decision.position());
                    duplicates++;
                }
                case Outcome.Rejected r -> {
                    logRejection(decision, r);
                    metrics.rejected(r.rejection().code());
                    rejected++;
                }
            }
        }
        source.acknowledge(batch);
        long elapsedNanos = System.nanoTime() - started;
        metrics.batchCommitted(stored, duplicates, elapsedNanos);
        log.info("Committed {} messages up to {}: {} stored, {} duplicate, {} rejected, in {} ms "
                        + "(judging {}, PostgreSQL {}, cache and acknowledgement {})", batch.size(),
                batch.getLast().position(), stored, duplicates, rejected, elapsedNanos / 1_000_000,
                (judged - started) / 1_000_000, (committed - judged) / 1_000_000,
                (System.nanoTime() - committed) / 1_000_000);
    }

    private static void logRejection(Decision decision, Outcome.Rejected rejected) {
        String uid = switch (decision) {
            case Decision.Accept accept -> accept.order().orderUid();
            case Decision.Reject reject -> reject.orderUid();
        };
        RejectionCode code = rejected.rejection().code();
        // A parser's message may quote the payload, which can hold personal data; rule messages name only paths.
        String reason = code == RejectionCode.NOT_JSON ? "" : " " + rejected.rejection().message();
        log.warn("Rejected message at {} order_uid={} code={}{}", decision.position(), uid, code.code(), reason);
    }

    /** Commits the batch, retrying while PostgreSQL is unavailable; null when asked to stop meanwhile. */
    private List<Outcome> commitUntilDone(List<Decision> decisions, List<ReceivedMessage> batch)
            throws InterruptedException {
        Duration pause = FIRST_RETRY;
        long pausedSince = 0;
        while (true) {
            try {
                List<Outcome> outcomes = store.commit(decisions);
                if (!storeAvailable) {
                    storeAvailable = true;
                    metrics.pausedFor(System.nanoTime() - pausedSince);
                    log.info("PostgreSQL is back; ingestion resumes");
                }
                return outcomes;
            } catch (StoreUnavailableException e) {
                if (storeAvailable) {
                    storeAvailable = false;
                    pausedSince = System.nanoTime();
                    log.warn("PostgreSQL unavailable, ingestion paused, nothing acknowledged: {}", e.getMessage());
                }
                metrics.retried();
                if (!running) {
                    return null;
                }
                source.stillWorking(batch);
                sleepUnlessStopped(pause);
                pause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
                if (!running) {
                    return null;
                }
            }
        }
    }

    private void sleepUnlessStopped(Duration pause) throws InterruptedException {
        long until = System.nanoTime() + pause.toNanos();
        while (running && System.nanoTime() < until) {
            Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Stops fetching, lets the batch in flight finish and be acknowledged, and waits for that. */
    @Override
    public void close() {
        running = false;
        if (worker == null) {
            return;
        }
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("Ingestion did not stop within 30 s; interrupting it");
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
