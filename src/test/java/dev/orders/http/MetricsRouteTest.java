package dev.orders.http;

import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsRouteTest {

    @Test
    void writesTheExpositionOnAPlatformThread() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<Thread> scrapedOn = new AtomicReference<>();
        Gauge.builder("probe", () -> {
            scrapedOn.set(Thread.currentThread());
            return 42;
        }).register(registry);
        try (MetricsRoute route = new MetricsRoute(registry)) {
            WebServer server = WebServer.builder().port(0).host("127.0.0.1")
                    .routing(routing -> routing.get("/metrics", route)).build().start();
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue(
                        "text/plain; version=0.0.4; charset=utf-8");
                assertThat(response.body()).contains("probe 42.0");
                assertThat(scrapedOn.get().isVirtual()).isFalse();
            } finally {
                server.stop();
            }
        }
    }
}
