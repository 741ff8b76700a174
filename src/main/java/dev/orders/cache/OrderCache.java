package dev.orders.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.orders.store.OrderStore;
import dev.orders.store.StoreUnavailableException;
import dev.orders.store.StoredOrder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders in memory, bounded by a byte budget. Orders are immutable, so an entry never goes stale; it is written
 * only after its order is committed, and a miss reads PostgreSQL.
 */
public final class OrderCache {
    private static final Logger log = LoggerFactory.getLogger(OrderCache.class);
    /** Measured object overhead of one entry beyond its JSON bytes (key string, record, array and map node). */
    static final int ENTRY_OVERHEAD_BYTES = 160;

    /**
     * How long an id PostgreSQL did not know is answered 404 on that word. Bounds the database load of a flood of
     * unknown ids (at most two queries a second for each, see {@link #absent}); the price is that an order stored by
     * another instance may be unknown here for this long.
     */
    static final Duration ABSENT_FOR = Duration.ofSeconds(1);

    private final Cache<String, CachedOrder> entries;
    /**
     * Ids PostgreSQL did not know, with the {@link System#nanoTime()} it last said so. One still asked for is checked
     * again in the background after half of {@link #ABSENT_FOR}, so that a request for it never waits for PostgreSQL
     * (in the lookup benchmark such waits were the whole p99 tail); one not asked for expires after
     * {@link #ABSENT_FOR}.
     */
    private final LoadingCache<String, Long> absent = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(ABSENT_FOR)
            .refreshAfterWrite(ABSENT_FOR.dividedBy(2))
            .executor(task -> Thread.ofVirtual().name("absence-check").start(task))
            .build(new AbsenceCheck());
    private final long budgetBytes;
    private final OrderStore store;
    private volatile boolean restored;
    private volatile long restoreNanos;

    public OrderCache(long budgetBytes, OrderStore store) {
        this.budgetBytes = budgetBytes;
        this.store = store;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(budgetBytes)
                .weigher((String uid, CachedOrder order) -> weight(uid, order))
                .recordStats()
                .build();
    }

    private static int weight(String uid, CachedOrder order) {
        return ENTRY_OVERHEAD_BYTES + 2 * uid.length() + order.json().length;
    }

    /**
     * Fills the cache from PostgreSQL, newest orders first (by ranges read by {@code readers} threads), until every
     * order is in or the budget is spent.
     */
    public void restore(int readers) throws StoreUnavailableException {
        long started = System.nanoTime();
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        store.forEachNewestFirst(readers, stored -> {
            CachedOrder order = toCached(stored);
            long weight = weight(stored.orderUid(), order);
            if (bytes.addAndGet(weight) > budgetBytes) {
                bytes.addAndGet(-weight);
                return false;
            }
            entries.asMap().putIfAbsent(stored.orderUid(), order);
            count.incrementAndGet();
            return true;
        });
        restoreNanos = System.nanoTime() - started;
        restored = true;
        log.info("Cache restored: {} orders, {} bytes, by {} readers in {} ms", count.get(), bytes.get(), readers,
                restoreNanos / 1_000_000);
    }

    public boolean isRestored() {
        return restored;
    }

    /** Called after commit, with the bytes computed once at ingestion. */
    public void put(String orderUid, CachedOrder order) {
        entries.put(orderUid, order);
        absent.invalidate(orderUid);
    }

    /**
     * The order from memory, or else from PostgreSQL (then kept). An id PostgreSQL did not know is remembered as
     * absent for {@link #ABSENT_FOR}, unless this instance stores the order meanwhile.
     *
     * @throws StoreUnavailableException on a miss while PostgreSQL is unreachable
     */
    public Optional<CachedOrder> get(String orderUid) throws StoreUnavailableException {
        CachedOrder cached = entries.getIfPresent(orderUid);
        if (cached != null) {
            return Optional.of(cached);
        }
        Long saidAbsentAt = absent.getIfPresent(orderUid);
        if (saidAbsentAt != null && System.nanoTime() - saidAbsentAt < ABSENT_FOR.toNanos()) {
            return Optional.empty();
        }
        Optional<CachedOrder> loaded = store.find(orderUid).map(OrderCache::toCached);
        if (loaded.isPresent()) {
            entries.put(orderUid, loaded.get());
        } else {
            absent.put(orderUid, System.nanoTime());
        }
        return loaded;
    }

    /** Asks PostgreSQL again about an absent id: if the order is there now, it goes into the cache. */
    private final class AbsenceCheck implements CacheLoader<String, Long> {
        /** When PostgreSQL said the id is absent; null (no longer absent) when the order was found. */
        @Override
        public Long load(String orderUid) throws StoreUnavailableException {
            Optional<StoredOrder> stored = store.find(orderUid);
            if (stored.isEmpty()) {
                return System.nanoTime();
            }
            entries.put(orderUid, toCached(stored.get()));
            return null;
        }

        /** While PostgreSQL is unreachable the last answer stands, and ages out like one never checked again. */
        @Override
        public Long reload(String orderUid, Long saidAbsentAt) {
            try {
                return load(orderUid);
            } catch (StoreUnavailableException e) {
                return saidAbsentAt;
            }
        }
    }

    private static CachedOrder toCached(StoredOrder stored) {
        return CachedOrder.of(stored.json(), stored.sha256());
    }

    public long size() {
        return entries.estimatedSize();
    }

    /** Entries, hits, misses and evictions (Caffeine's statistics), bytes held, and how long the restore took. */
    public void bindMetrics(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, entries, "orders");
        Gauge.builder("orders.cache.bytes", entries,
                        cache -> cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L))
                .description("Bytes the cached orders are weighed at").baseUnit("bytes").register(registry);
        Gauge.builder("orders.cache.budget", () -> budgetBytes).baseUnit("bytes").register(registry);
        Gauge.builder("orders.cache.restore.seconds", () -> restoreNanos / 1e9)
                .description("How long restoring the cache from PostgreSQL took at start").register(registry);
    }
}
