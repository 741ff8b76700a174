package dev.orders.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.orders.store.OrderStore;
import dev.orders.store.StoreUnavailableException;
import dev.orders.store.StoredOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ids PostgreSQL did not know, each with the {@link System#nanoTime()} it last said so. Every id asked about in the
 * last {@link #KEEP_CHECKING} is asked about again in the background every {@link #CHECK_EVERY}, up to
 * {@link #IDS_A_QUERY} ids a query, so that while PostgreSQL answers, the word on an id still being asked about is
 * never older than {@link #ABSENT_FOR} and no request for it waits for PostgreSQL.
 *
 * <p>Before, an absence expired a second after PostgreSQL's answer unless the id was asked for in the second half of
 * that second, and the next request for it waited for PostgreSQL: at 10,000 lookups a second, 5% of them for 526
 * unknown ids, PostgreSQL counted 330-485 transactions a second, and those requests were in the latency tail.
 */
final class AbsentIds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AbsentIds.class);

    /**
     * How long an id PostgreSQL did not know is answered 404 on that word; an older word is checked while the request
     * waits. An order stored by another instance may be unknown here for this long.
     */
    static final Duration ABSENT_FOR = Duration.ofSeconds(1);
    static final Duration CHECK_EVERY = ABSENT_FOR.dividedBy(2);
    /** An id nobody asks about any more is forgotten after this, so a flood of made-up ids is not checked forever. */
    static final Duration KEEP_CHECKING = Duration.ofSeconds(10);
    /** Bounds the background checks to a few queries per round, whatever a flood of made-up ids asks for. */
    private static final int MAX_IDS = 10_000;
    private static final int IDS_A_QUERY = 1_000;

    private final OrderStore store;
    private final Consumer<StoredOrder> whenStored;
    /** A read keeps an id for another {@link #KEEP_CHECKING}; the background check's update does not. */
    private final Cache<String, Long> saidAbsentAt = Caffeine.newBuilder()
            .maximumSize(MAX_IDS)
            // Upkeep on the reading thread, as in OrderCache.
            .executor(Runnable::run)
            .expireAfter(new Expiry<String, Long>() {
                @Override
                public long expireAfterCreate(String uid, Long saidAt, long now) {
                    return KEEP_CHECKING.toNanos();
                }

                @Override
                public long expireAfterUpdate(String uid, Long saidAt, long now, long remaining) {
                    return remaining;
                }

                @Override
                public long expireAfterRead(String uid, Long saidAt, long now, long remaining) {
                    return KEEP_CHECKING.toNanos();
                }
            })
            .build();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("absence-check").daemon().factory());

    /** {@code whenStored} is given each order that has been stored since PostgreSQL said its id was unknown. */
    AbsentIds(OrderStore store, Consumer<StoredOrder> whenStored) {
        this.store = store;
        this.whenStored = whenStored;
        checker.scheduleWithFixedDelay(this::checkAgain, CHECK_EVERY.toNanos(), CHECK_EVERY.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Whether PostgreSQL said, less than {@link #ABSENT_FOR} ago, that it does not know this id. */
    boolean isAbsent(String orderUid) {
        Long saidAt = saidAbsentAt.getIfPresent(orderUid);
        return saidAt != null && System.nanoTime() - saidAt < ABSENT_FOR.toNanos();
    }

    /** PostgreSQL has just said it does not know this id. */
    void saidAbsent(String orderUid, long saidAt) {
        saidAbsentAt.put(orderUid, saidAt);
    }

    void forget(String orderUid) {
        saidAbsentAt.invalidate(orderUid);
    }

    /** While PostgreSQL is unreachable the last word on each id stands, and ages until requests wait again. */
    private void checkAgain() {
        try {
            List<String> uids = new ArrayList<>(saidAbsentAt.asMap().keySet());
            for (int from = 0; from < uids.size(); from += IDS_A_QUERY) {
                List<String> some = uids.subList(from, Math.min(uids.size(), from + IDS_A_QUERY));
                long askedAt = System.nanoTime();
                for (StoredOrder stored : store.findAll(some)) {
                    whenStored.accept(stored);
                    forget(stored.orderUid());
                }
                for (String uid : some) {
                    saidAbsentAt.asMap().computeIfPresent(uid, (key, saidAt) -> askedAt);
                }
            }
        } catch (StoreUnavailableException e) {
            log.debug("Could not check absent ids again: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task, it would end the checks for good.
            log.warn("Checking absent ids again failed", e);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
