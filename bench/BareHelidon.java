import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.orders.cache.CachedOrder;
import dev.orders.http.HttpApi;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The floor under Orders' lookups: Helidon SE on virtual threads, with the service's HTTP/1.1 settings, serving
 * the Go reference's map of ready JSON with nothing of the service around it (no metrics, no filters, no cache, no
 * id check). What it spends a request is what Helidon and the JDK's sockets spend; the service cannot spend less. For
 * bench/floor.sh.
 *
 * <p>With "parts", it adds the three things of the service's own that every lookup pays for and that are easy to
 * lift out: the cache as the service builds it (Caffeine, weighed, with statistics, upkeep on the reading thread),
 * the lookup's two further headers (the ETag from the order's digest, Cache-Control) and a Prometheus timer with a
 * percentile histogram recorded once the response is sent. What is left between this and Orders is the rest of the
 * service: its routing and checks, its other threads, its larger process.
 *
 *   java -cp target/orders.jar bench/BareHelidon.java PORT ORDERS_TSV [parts]
 *
 * ORDERS_TSV has one order a line, order_uid TAB JSON, as bench/export_orders.py writes it for the Go server.
 */
public final class BareHelidon {
    private static final String PREFIX = "/api/orders/";
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header NO_CACHE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache");
    private static final byte[] NOT_FOUND = "{\"error\":\"order not found\"}".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null
                && Runtime.getRuntime().availableProcessors() < 2) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "2");   // as dev.orders.Main does
        }
        Map<String, byte[]> orders = read(Path.of(args[1]));
        boolean parts = args.length > 2 && args[2].equals("parts");
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .addProtocol(HttpApi.http1())
                .routing(routing -> routing.any(parts ? withServiceParts(orders) : bare(orders)))
                .build()
                .start();
        System.out.println((parts ? "BareHelidon with the service's parts" : "BareHelidon") + " listening on port "
                + server.port() + " (" + orders.size() + " orders)");
    }

    private static Handler bare(Map<String, byte[]> orders) {
        return (request, response) -> {
            String id = orderId(request.path().rawPath());
            byte[] body = id == null ? null : orders.get(id);
            response.header(JSON);
            if (body == null) {
                response.status(Status.NOT_FOUND_404).send(NOT_FOUND);
            } else {
                response.send(body);
            }
        };
    }

    private static Handler withServiceParts(Map<String, byte[]> orders) {
        Cache<String, CachedOrder> cache = Caffeine.newBuilder()
                .maximumWeight(256L << 20)
                .weigher((String uid, CachedOrder order) -> 160 + 2 * uid.length() + order.json().length)
                .recordStats()
                .executor(Runnable::run)
                .build();
        orders.forEach((uid, json) -> cache.put(uid, CachedOrder.of(json, sha256(json))));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer found = timer(registry, "200");
        Timer notFound = timer(registry, "404");
        return (request, response) -> {
            long started = System.nanoTime();
            response.whenSent(() -> (response.status().code() == 200 ? found : notFound)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
            String id = orderId(request.path().rawPath());
            CachedOrder order = id == null ? null : cache.getIfPresent(id);
            response.header(JSON);
            if (order == null) {
                response.status(Status.NOT_FOUND_404).send(NOT_FOUND);
            } else {
                response.header(HeaderNames.ETAG, order.etag());
                response.header(NO_CACHE);
                response.send(order.json());
            }
        };
    }

    private static String orderId(String rawPath) {
        return rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : null;
    }

    private static Timer timer(PrometheusMeterRegistry registry, String status) {
        return Timer.builder("http.server.requests").tag("status", status).publishPercentileHistogram()
                .register(registry);
    }

    private static byte[] sha256(byte[] json) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(json);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> read(Path tsv) throws IOException {
        Map<String, byte[]> orders = new HashMap<>();
        for (String line : Files.readAllLines(tsv)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                orders.put(line.substring(0, tab), line.substring(tab + 1).getBytes(StandardCharsets.UTF_8));
            }
        }
        return orders;
    }
}
