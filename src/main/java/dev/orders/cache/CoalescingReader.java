package dev.orders.cache;

import dev.orders.store.StoreUnavailableException;
import dev.orders.store.StoredOrder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;

/**
 * Reads from PostgreSQL the orders the cache lacks, many in one query: a few reader threads each take every id asked
 * for meanwhile (up to {@link #IDS_A_QUERY}) and ask for them together. A lone miss is read at once; under load the
 * queries grow instead of the requests queueing for the pool's connections. With a query a miss, 50 clients missing
 * the cache got 3,800 lookups a second at 190 µs of CPU each (the service and PostgreSQL on one core); read together,
 * 26,000 at 29 µs (bench/misses.sh; docs/performance-log.md, misses, session 37).
 */
final class CoalescingReader implements AutoCloseable {
    static final int IDS_A_QUERY = 100;

    /** How the orders are read: the ids' stored orders, in any order, none for an id not stored. */
    @FunctionalInterface
    interface Lookup {
        List<StoredOrder> findAll(Collection<String> orderUids) throws StoreUnavailableException;
    }

    /**
     * PostgreSQL's answer for one id, and when the query that gave it began: that an id is unknown is only known as of
     * then.
     */
    record Answer(Optional<StoredOrder> order, long askedAt) {
    }

    private record Request(String orderUid, CompletableFuture<Answer> answer) {
    }

    private final Lookup lookup;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Thread> readers;
    private volatile boolean closed;

    CoalescingReader(Lookup lookup, int readers) {
        this.lookup = lookup;
        this.readers = IntStream.range(0, readers)
                .mapToObj(i -> Thread.ofVirtual().name("cache-reader-" + i).start(this::readUntilClosed))
                .toList();
    }

    /**
     * Waits for the query that takes this id.
     *
     * @throws StoreUnavailableException when that query failed, or the reader is closed
     */
    Answer read(String orderUid) throws StoreUnavailableException {
        Request request = new Request(orderUid, new CompletableFuture<>());
        requests.add(request);
        if (closed) {
            failWaiting();
        }
        try {
            return request.answer().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreUnavailableException unavailable) {
                throw new StoreUnavailableException(unavailable.getMessage(), unavailable);
            }
            throw new IllegalStateException("reading order " + orderUid + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for PostgreSQL", e);
        }
    }

    private void readUntilClosed() {
        List<Request> batch = new ArrayList<>(IDS_A_QUERY);
        while (!closed) {
            try {
                batch.add(requests.take());
            } catch (InterruptedException e) {
                return;
            }
            requests.drainTo(batch, IDS_A_QUERY - 1);
            answer(batch);
            batch.clear();
        }
    }

    private void answer(List<Request> batch) {
        Set<String> ids = new HashSet<>();
        batch.forEach(request -> ids.add(request.orderUid()));
        long askedAt = System.nanoTime();
        try {
            Map<String, StoredOrder> found = new HashMap<>();
            lookup.findAll(ids).forEach(order -> found.put(order.orderUid(), order));
            for (Request request : batch) {
                request.answer().complete(new Answer(Optional.ofNullable(found.get(request.orderUid())), askedAt));
            }
        } catch (StoreUnavailableException | RuntimeException e) {
            batch.forEach(request -> request.answer().completeExceptionally(e));
        }
    }

    private void failWaiting() {
        List<Request> left = new ArrayList<>();
        requests.drainTo(left);
        StoreUnavailableException closing = new StoreUnavailableException("the cache is closed", null);
        left.forEach(request -> request.answer().completeExceptionally(closing));
    }

    /** Ends the readers; a request still waiting, or made from now on, fails. */
    @Override
    public void close() {
        closed = true;
        readers.forEach(Thread::interrupt);
        failWaiting();
    }
}
