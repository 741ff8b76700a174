package dev.orders.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.orders.store.OrderStore;
import dev.orders.store.StoreUnavailableException;
import dev.orders.store.StoredOrder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders in memory, bounded by a byte budget. Orders are immutable, so an entry never goes stale; it is written
 * only after its order is committed, and a miss reads PostgreSQL.
 */
public final class OrderCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderCache.class);
    /** Measured object overhead of one entry beyond its JSON bytes (key string, record, array and map node). */
    static final int ENTRY_OVERHEAD_BYTES = 160;
    /** Queries of missed ids at once; each takes every id missed meanwhile (see {@link CoalescingReader}). */
    private static final int READERS = 2;

    private final Cache<String, CachedOrder> entries;
    private final AbsentIds absent;
    private final CoalescingReader reader;
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
                // Caffeine's upkeep (every 16th read or so) runs on the reading thread: handed to the common pool,
                // it woke a thread on the server's one core each time (-4% CPU a lookup with this, side by side).
                .executor(Runnable::run)
                .build();
        this.absent = new AbsentIds(store, stored -> entries.put(stored.orderUid(), toCached(stored)));
        this.reader = new CoalescingReader(store::findAll, READERS);
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
        absent.forget(orderUid);
    }

    /**
     * The order from memory, or else from PostgreSQL (then kept). An id PostgreSQL did not know is answered from
     * memory while the word on it is fresh (see {@link AbsentIds}), unless this instance stores the order meanwhile.
     *
     * @throws StoreUnavailableException on a miss while PostgreSQL is unreachable
     */
    public Optional<CachedOrder> get(String orderUid) throws StoreUnavailableException {
        CachedOrder cached = entries.getIfPresent(orderUid);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (absent.isAbsent(orderUid)) {
            return Optional.empty();
        }
        CoalescingReader.Answer answer = reader.read(orderUid);
        Optional<CachedOrder> loaded = answer.order().map(OrderCache::toCached);
        if (loaded.isPresent()) {
            entries.put(orderUid, loaded.get());
        } else {
            absent.saidAbsent(orderUid, answer.askedAt());
        }
        return loaded;
    }

    private static CachedOrder toCached(StoredOrder stored) {
        return CachedOrder.of(stored.json(), stored.sha256());
    }

    public long size() {
        return entries.estimatedSize();
    }

    /** Stops checking absent ids again and reading missed ones. */
    @Override
    public void close() {
        absent.close();
        reader.close();
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
