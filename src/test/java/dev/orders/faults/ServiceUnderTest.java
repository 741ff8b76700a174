package dev.orders.faults;

import dev.orders.support.FreePorts;
import dev.orders.support.ServiceProcess;
import dev.orders.support.TestBroker;
import dev.orders.support.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.orders.support.Eventually.await;

/**
 * The service as a separate OS process, which the harness kills, stops and starts again on the same port, counting
 * every exit it did not cause as a crash.
 */
final class ServiceUnderTest implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, String> environment;
    private final int port;
    private ServiceProcess process;
    private int crashes;
    private long peakResidentBytes;
    private final StringBuilder crashOutput = new StringBuilder();

    private ServiceUnderTest(Map<String, String> environment, int port) {
        this.environment = environment;
        this.port = port;
        this.process = ServiceProcess.start(environment);
    }

    /** Starts the service on a free port with the given extra settings, and waits until it is ready. */
    static ServiceUnderTest start(TestDatabase database, TestBroker broker, Map<String, String> settings) {
        int port = FreePorts.next();
        Map<String, String> environment = new HashMap<>(broker.serviceEnvironment());
        environment.putAll(Map.of("ORDERS_DB_URL", database.url(), "ORDERS_DB_USER", database.user(),
                "ORDERS_DB_PASSWORD", database.password(), "ORDERS_HTTP_PORT", String.valueOf(port),
                "ORDERS_CACHE_BYTES", "64MiB"));
        environment.putAll(settings);
        ServiceUnderTest service = new ServiceUnderTest(Map.copyOf(environment), port);
        service.awaitReady();
        return service;
    }

    int port() {
        return port;
    }

    /** Whether the API answers 200 with the order as it was sent: same fields, same values, nothing escaped or lost. */
    boolean servesUnchanged(Message.Valid order) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri("/api/orders/" + order.orderUid()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200
                    && Message.JSON.readTree(response.body()).equals(Message.JSON.readTree(order.payload()));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    void awaitReady() {
        await("the service is ready", Duration.ofSeconds(90), () -> {
            noteCrash();
            return readiness() == 200;
        });
    }

    /** The status of /health/ready, or 0 when nothing answers. */
    int readiness() {
        return HttpWatch.status(uri("/health/ready"));
    }

    /** SIGKILL, then a new process with the same settings, as a supervisor restarts a crashed service. */
    void killAndRestart() {
        noteCrash();
        notePeakMemory();
        process.kill();
        process = ServiceProcess.start(environment);
    }

    /** SIGTERM; returns the exit code, failing if the process is not gone within {@code grace}. */
    int terminate(Duration grace) {
        noteCrash();
        notePeakMemory();
        process.terminate();
        return process.awaitExit(grace.toSeconds());
    }

    /** Starts the service again after {@link #terminate}. */
    void start() {
        process = ServiceProcess.start(environment);
        awaitReady();
    }

    /** Exits the harness did not cause, so far. */
    int crashes() {
        noteCrash();
        return crashes;
    }

    String crashOutput() {
        return crashOutput.toString();
    }

    /** The most resident memory any of the service's processes has had so far. */
    long peakResidentBytes() {
        notePeakMemory();
        return peakResidentBytes;
    }

    private void notePeakMemory() {
        peakResidentBytes = Math.max(peakResidentBytes, process.peakResidentBytes());
    }

    /** A process that exited by itself is a crash: counted, its output kept, and a new one started in its place. */
    private void noteCrash() {
        if (!process.isAlive()) {
            crashes++;
            crashOutput.append(process.output());
            process = ServiceProcess.start(environment);
        }
    }

    @Override
    public void close() {
        notePeakMemory();
        process.close();
    }
}
