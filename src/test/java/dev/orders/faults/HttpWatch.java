package dev.orders.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A client that keeps looking up orders known to be stored, and polls readiness, for as long as a scenario runs:
 * what users and the orchestrator saw while the faults happened.
 */
final class HttpWatch implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Function<String, URI> uri;
    private final List<String> storedUids;
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong answered200 = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong otherAnswers = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final List<Integer> readinessChanges = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private HttpWatch(Function<String, URI> uri, List<String> storedUids) {
        this.uri = uri;
        this.storedUids = List.copyOf(storedUids);
    }

    /** @param storedUids orders stored before the watch starts; every answer for them must be 200 */
    static HttpWatch start(Function<String, URI> uri, List<String> storedUids) {
        HttpWatch watch = new HttpWatch(uri, storedUids);
        watch.threads.add(Thread.ofVirtual().start(watch::lookUp));
        watch.threads.add(Thread.ofVirtual().start(watch::pollReadiness));
        return watch;
    }

    private void lookUp() {
        while (running) {
            String uid = storedUids.get(ThreadLocalRandom.current().nextInt(storedUids.size()));
            long started = System.nanoTime();
            int status = status("/api/orders/" + uid);
            slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            lookups.incrementAndGet();
            if (status == 200) {
                answered200.incrementAndGet();
            } else if (status >= 500) {
                serverErrors.incrementAndGet();
            } else if (status == 0) {
                unreachable.incrementAndGet();
            } else {
                System.err.println("lookup of stored order " + uid + " answered " + status);
                otherAnswers.incrementAndGet();
            }
            pause(Duration.ofMillis(2));
        }
    }

    private void pollReadiness() {
        while (running) {
            int status = status("/health/ready");
            synchronized (readinessChanges) {
                if (readinessChanges.isEmpty() || readinessChanges.getLast() != status) {
                    readinessChanges.add(status);
                }
            }
            pause(Duration.ofMillis(100));
        }
    }

    private int status(String path) {
        return status(uri.apply(path));
    }

    /** The status a GET of {@code uri} is answered with, or 0 when nothing answers within 5 s. */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long lookups() {
        return lookups.get();
    }

    long answered200() {
        return answered200.get();
    }

    /** Lookups of stored orders answered 5xx. */
    long serverErrors() {
        return serverErrors.get();
    }

    /** Lookups of stored orders answered with anything but 200 or 5xx: a 404 would mean a stored order was not found. */
    long otherAnswers() {
        return otherAnswers.get();
    }

    /** Lookups that found no server listening, while the process was down. */
    long unreachable() {
        return unreachable.get();
    }

    /** The longest a lookup took, answered or not. */
    Duration slowestLookup() {
        return Duration.ofNanos(slowestNanos.get());
    }

    /** Readiness statuses in the order they changed, 0 for no answer: e.g. [200, 503, 200]. */
    List<Integer> readinessChanges() {
        synchronized (readinessChanges) {
            return List.copyOf(readinessChanges);
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
