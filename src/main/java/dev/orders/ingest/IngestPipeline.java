package dev.orders.ingest;

import dev.orders.cache.CachedOrder;
import dev.orders.cache.OrderCache;
import dev.orders.feed.OrderFeed;
import dev.orders.order.RejectionCode;
import dev.orders.store.Decision;
import dev.orders.store.OrderStore;
import dev.orders.store.OrderSummary;
import dev.orders.store.Outcome;
import dev.orders.store.PreparedBatch;
import dev.orders.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where every message goes: fetched in a batch, judged, its outcome committed to PostgreSQL in one transaction,
 * stored orders put in the cache and announced on the feed, and only then the batch acknowledged. While PostgreSQL
 * is unavailable the batch is retried with backoff and nothing is acknowledged.
 *
 * <p>Two threads overlap the work: while the committer thread commits one batch, the ingest thread fetches, judges and
 * prepares the next (encodes its rows for PostgreSQL's COPY), and it hands that one over as soon as the first is
 * committed, then caches and acknowledges the first while the committer works on the second. So batches are
 * committed one at a time in broker order (the first version of an order stays), and none after a batch that was not
 * committed; the committer does nothing but commit (its turn is what every batch waits for), and the broker client
 * is used from the ingest thread alone (a Kafka consumer must be).
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Duration FETCH_WAIT = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    /** How often the broker is told that batches held while PostgreSQL is down are still being worked on. */
    private static final Duration STILL_WORKING_EVERY = Duration.ofSeconds(1);

    private final MessageSource source;
    private final MessageJudge judge;
    private final OrderStore store;
    private final OrderCache cache;
    private final int batchSize;
    private final IngestMetrics metrics;
    private final OrderFeed feed;
    private final ExecutorService committer =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("commit").factory());
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** False while a batch waits for PostgreSQL to come back; for logging the changes once. */
    private volatile boolean storeAvailable = true;
    private Thread worker;

    /** A judged and prepared batch handed to the committer. */
    private record InFlight(List<ReceivedMessage> messages, PreparedBatch batch, long fetchedNanos, long judgingNanos,
                            Future<Committed> committed) {
    }

    /** What the committer made of a batch; null instead of it when asked to stop while PostgreSQL was down. */
    private record Committed(List<Outcome> outcomes, long committingNanos) {
    }

    private record Tally(int stored, int duplicates, int rejected) {
    }

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
        InFlight inFlight = null;
        try {
            while (running) {
                List<ReceivedMessage> next = List.of();
                InFlight committedNotAcknowledged = null;
                try {
                    if (inFlight != null && source.drained()) {
                        // Nothing is waiting: the next fetch would wait its full second for new messages, and the
                        // batch in flight would be acknowledged (and counted) only after it.
                        if (!finishOrGiveBack(inFlight, List.of())) {
                            return;
                        }
                        inFlight = null;
                    }
                    next = source.fetch(batchSize, FETCH_WAIT);
                    long fetched = System.nanoTime();
                    PreparedBatch prepared = PreparedBatch.of(judgeAll(next));
                    long judging = System.nanoTime() - fetched;
                    Committed committed = null;
                    if (inFlight != null) {
                        committed = awaitCommitOrGiveBack(inFlight, next);
                        if (committed == null) {
                            return;
                        }
                        committedNotAcknowledged = inFlight;
                        inFlight = null;
                    }
                    // The committer's turn is what every batch waits for: it gets the next one before this thread
                    // caches and acknowledges the one it has just committed.
                    if (!next.isEmpty()) {
                        inFlight = new InFlight(next, prepared, fetched, judging,
                                committer.submit(() -> commit(prepared)));
                        next = List.of();
                    }
                    if (committedNotAcknowledged != null) {
                        acknowledge(committedNotAcknowledged, committed);
                    }
                } catch (RuntimeException e) {
                    // Nothing in hand was acknowledged: all of it is given back and comes again, in broker order.
                    log.error("Ingestion failed on a batch; continuing, its messages will be redelivered", e);
                    giveBack(committedNotAcknowledged, inFlight, next);
                    inFlight = null;
                    Thread.sleep(LAST_RETRY);
                }
            }
            if (inFlight != null) {
                finishOrGiveBack(inFlight, List.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            committer.shutdownNow();
            stopped.countDown();
        }
    }

    private List<Decision> judgeAll(List<ReceivedMessage> batch) {
        List<Decision> decisions = new ArrayList<>(batch.size());
        for (ReceivedMessage message : batch) {
            decisions.add(judge.judge(message));
        }
        return decisions;
    }

    /** Gives every message in hand back to the broker in one call (a Kafka source seeks to the earliest of them). */
    private void giveBack(InFlight older, InFlight newer, List<ReceivedMessage> next) {
        List<ReceivedMessage> held = new ArrayList<>();
        for (InFlight batch : new InFlight[] {older, newer}) {
            if (batch != null) {
                held.addAll(batch.messages());
            }
        }
        held.addAll(next);
        try {
            source.redeliver(held);
        } catch (RuntimeException e) {
            log.warn("Could not give {} messages back to the broker; they come again after the ack wait: {}",
                    held.size(), e.getMessage());
        }
    }

    /** Finishes the batch; false when it was not committed (see {@link #awaitCommitOrGiveBack}). */
    private boolean finishOrGiveBack(InFlight batch, List<ReceivedMessage> next) throws InterruptedException {
        Committed committed = awaitCommitOrGiveBack(batch, next);
        if (committed == null) {
            return false;
        }
        acknowledge(batch, committed);
        return true;
    }

    /**
     * Waits for the batch to be committed; null when it was not, because the pipeline is stopping while PostgreSQL is
     * down. Then it and the batch fetched after it are given back: nothing after an uncommitted batch may be
     * committed, or a Kafka offset commit would pass over it.
     */
    private Committed awaitCommitOrGiveBack(InFlight batch, List<ReceivedMessage> next) throws InterruptedException {
        Committed committed = awaitCommit(batch, next);
        if (committed == null) {
            giveBack(batch, null, next);
        }
        return committed;
    }

    /**
     * Waits for the batch to be committed, meanwhile telling the broker that it and the one fetched after it are
     * still being worked on if PostgreSQL is down; null when it was not committed because the pipeline is stopping.
     */
    private Committed awaitCommit(InFlight batch, List<ReceivedMessage> next) throws InterruptedException {
        while (true) {
            try {
                return batch.committed().get(STILL_WORKING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!storeAvailable) {
                    List<ReceivedMessage> held = new ArrayList<>(batch.messages());
                    held.addAll(next);
                    source.stillWorking(held);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure
                        : new IllegalStateException("committing a batch failed", e.getCause());
            }
        }
    }

    /** Caches, counts and acknowledges a committed batch. */
    private void acknowledge(InFlight batch, Committed committed) {
        Tally tally = settle(batch.batch().decisions(), committed.outcomes());
        source.acknowledge(batch.messages());
        long elapsedNanos = System.nanoTime() - batch.fetchedNanos();
        metrics.batchCommitted(tally.stored(), tally.duplicates(), elapsedNanos);
        log.info("Committed {} messages up to {}: {} stored, {} duplicate, {} rejected, in {} ms "
                        + "(judging {}, PostgreSQL {})", batch.messages().size(), batch.messages().getLast().position(),
                tally.stored(), tally.duplicates(), tally.rejected(), elapsedNanos / 1_000_000,
                batch.judgingNanos() / 1_000_000, committed.committingNanos() / 1_000_000);
    }

    /** On the committer thread, and all it does: commits the batch. */
    private Committed commit(PreparedBatch batch) throws InterruptedException {
        long started = System.nanoTime();
        List<Outcome> outcomes = commitUntilDone(batch);
        return outcomes == null ? null : new Committed(outcomes, System.nanoTime() - started);
    }

    /** Fills the cache and the feed with what a committed batch stored, and logs what it rejected. */
    private Tally settle(List<Decision> decisions, List<Outcome> outcomes) {
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
        return new Tally(stored, duplicates, rejected);
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
    private List<Outcome> commitUntilDone(PreparedBatch batch) throws InterruptedException {
        Duration pause = FIRST_RETRY;
        long pausedSince = 0;
        while (true) {
            try {
                List<Outcome> outcomes = store.commit(batch);
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

    /** Stops fetching, lets the batches in hand finish and be acknowledged, and waits for that. */
    @Override
    public void close() {
        running = false;
        if (worker == null) {
            committer.shutdownNow();
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
