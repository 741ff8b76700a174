package dev.orders.feed;

import dev.orders.store.OrderSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tells live subscribers (the web page, through Server-Sent Events) about each order just committed. A
 * subscriber that falls too far behind is cut off rather than allowed to hold memory; it reconnects and reloads.
 */
public final class OrderFeed implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 1_000;
    /** Put in every queue at close, so that waiting subscribers end at once instead of at their next timeout. */
    private static final OrderSummary END = new OrderSummary(0, Instant.EPOCH, "", "", Instant.EPOCH, "", "", 0, "", 0);

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public Subscription subscribe() {
        Subscription subscription = new Subscription();
        subscriptions.add(subscription);
        return subscription;
    }

    public void publish(OrderSummary order) {
        for (Subscription subscription : subscriptions) {
            if (!subscription.queue.offer(order)) {
                subscription.overflowed = true;
            }
        }
    }

    /** Ends every subscription; for shutdown. */
    @Override
    public void close() {
        closed = true;
        for (Subscription subscription : subscriptions) {
            subscription.queue.clear();
            subscription.queue.offer(END);
        }
    }

    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<OrderSummary> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private volatile boolean overflowed;
        private volatile boolean ended;

        /** The next order, or null when none came within {@code wait} or the subscription has ended. */
        public OrderSummary next(Duration wait) throws InterruptedException {
            OrderSummary next = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (next == END || closed) {
                ended = true;
                return null;
            }
            return next;
        }

        /**
         * False once the feed closed, or an order had to be dropped because this subscriber was too slow (it
         * should reconnect and reload rather than show a list with a gap).
         */
        public boolean isOpen() {
            return !ended && !overflowed && !closed;
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }
}
