package dev.orders.support;

import dev.orders.OrdersService;
import dev.orders.config.ServiceConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The whole service started in this JVM against a test database and broker, with an HTTP client for it. */
public final class RunningService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern STORED = Pattern.compile("orders_messages_total\\{outcome=\"stored\"} (\\S+)");

    private final OrdersService service;

    private RunningService(OrdersService service) {
        this.service = service;
    }

    public static RunningService start(TestDatabase database, TestBroker broker) {
        return start(config(database, broker));
    }

    public static ServiceConfig config(TestDatabase database, TestBroker broker) {
        return new ServiceConfig(
                new ServiceConfig.DatabaseConfig(database.url(), database.user(), database.password(), 4),
                broker.sourceConfig(), 0, 64L * 1024 * 1024, 16 * 1024, 100, Duration.ofSeconds(10));
    }

    public static RunningService start(ServiceConfig config) {
        try {
            return new RunningService(OrdersService.start(config));
        } catch (Exception e) {
            throw new IllegalStateException("the service did not start", e);
        }
    }

    public OrdersService service() {
        return service;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many orders this instance has stored, from its own metrics. */
    public long storedByThisInstance() {
        Matcher stored = STORED.matcher(get("/metrics").body());
        if (!stored.find()) {
            throw new AssertionError("no stored-orders counter in /metrics");
        }
        return (long) Double.parseDouble(stored.group(1));
    }

    /** How many of the given orders this instance does not answer 200 for. */
    public long unserved(List<String> orderUids) {
        return orderUids.parallelStream().filter(uid -> get("/api/orders/" + uid).statusCode() != 200).count();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }

    @Override
    public void close() {
        service.close();
    }
}
