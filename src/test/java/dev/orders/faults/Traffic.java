package dev.orders.faults;

import dev.orders.store.BrokerPosition;
import dev.orders.support.TestBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a list of messages at a steady rate from a thread of its own, as producers keep doing whatever happens
 * to the service, and remembers where the broker put each one.
 */
final class Traffic implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Published bytes not yet confirmed by the broker, at most: clients time out when far more is in flight. */
    private static final long MAX_UNCONFIRMED_BYTES = 8L * 1024 * 1024;

    record Sent(Message message, CompletableFuture<BrokerPosition> position) {
        BrokerPosition awaitPosition() {
            return position.orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    private final TestBroker broker;
    private final List<Message> messages;
    private final int ratePerSecond;
    private final List<Sent> sent;
    private final Thread publisher;
    private volatile boolean pauseRequested;
    private volatile boolean paused;
    private volatile RuntimeException failure;

    private Traffic(TestBroker broker, List<Message> messages, int ratePerSecond) {
        this.broker = broker;
        this.messages = messages;
        this.ratePerSecond = ratePerSecond;
        this.sent = new ArrayList<>(messages.size());
        this.publisher = Thread.ofPlatform().name("traffic").daemon().unstarted(this::publish);
    }

    /** Starts publishing; a rate of 0 publishes as fast as the broker takes them. */
    static Traffic start(TestBroker broker, List<Message> messages, int ratePerSecond) {
        Traffic traffic = new Traffic(broker, messages, ratePerSecond);
        traffic.publisher.start();
        return traffic;
    }

    private void publish() {
        try {
            long next = System.nanoTime();
            int perTick = ratePerSecond == 0 ? Integer.MAX_VALUE : Math.max(1, ratePerSecond / 100);
            int index = 0;
            long unconfirmedBytes = 0;
            while (index < messages.size() && !Thread.currentThread().isInterrupted()) {
                if (pauseRequested) {
                    awaitPublished();
                    paused = true;
                    while (pauseRequested) {
                        LockSupport.parkNanos(TICK_NANOS);
                    }
                    paused = false;
                    next = System.nanoTime();
                }
                for (int i = 0; i < perTick && index < messages.size(); i++, index++) {
                    Message message = messages.get(index);
                    Sent one = new Sent(message, broker.publishAsync(message.payload()));
                    synchronized (sent) {
                        sent.add(one);
                    }
                    unconfirmedBytes += message.payload().length;
                    if (unconfirmedBytes > MAX_UNCONFIRMED_BYTES) {
                        one.awaitPosition();
                        unconfirmedBytes = 0;
                    }
                }
                next += TICK_NANOS;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            awaitPublished();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void awaitPublished() {
        for (Sent one : snapshot()) {
            one.awaitPosition();
        }
    }

    /** Stops publishing once everything published so far is stored by the broker, e.g. before it is restarted. */
    void pause() {
        pauseRequested = true;
        while (!paused && publisher.isAlive()) {
            LockSupport.parkNanos(TICK_NANOS);
        }
        throwIfFailed();
    }

    void resume() {
        pauseRequested = false;
    }

    /** How many messages have been handed to the broker so far. */
    int published() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /** Waits until every message is published and stored by the broker; returns them in order. */
    List<Sent> awaitAllPublished(Duration timeout) {
        try {
            publisher.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (publisher.isAlive()) {
            throw new AssertionError("publishing did not finish within " + timeout + "; " + published() + " sent");
        }
        throwIfFailed();
        return snapshot();
    }

    private List<Sent> snapshot() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new AssertionError("publishing failed", failure);
        }
    }

    @Override
    public void close() {
        publisher.interrupt();
    }
}
