package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/order-events}: the live feed the web page listens to. */
class OrderEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void streamsEachNewlyStoredOrderAsAServerSentEvent() throws Exception {
        try (TestNats nats = TestNats.start();
             RunningService service = RunningService.start(TestPostgres.shared().newDatabase(), nats)) {
            streamsTo(service, nats);
        }
    }

    private static void streamsTo(RunningService service, TestNats nats) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(service.uri("/api/order-events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(":connected");
            CompletableFuture<List<String>> event = CompletableFuture.supplyAsync(() -> readEvent(lines));

            nats.publish(Orders.withUid("streamed1"));

            List<String> received = event.get(20, TimeUnit.SECONDS);
            assertThat(received.getFirst()).isEqualTo("event:order");
            JsonNode data = JSON.readTree(received.get(1).substring("data:".length()));
            assertThat(data.get("order_uid").asText()).isEqualTo("streamed1");
        }
    }

    private static List<String> readEvent(BufferedReader lines) {
        List<String> event = new ArrayList<>();
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(":")) {
                    continue;
                }
                if (line.isEmpty() && !event.isEmpty()) {
                    return event;
                }
                if (!line.isEmpty()) {
                    event.add(line);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return event;
    }

}
