package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /openapi.yaml} says what the service really does: every documented answer comes from the real endpoints. */
class OpenApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNats nats;
    private static RunningService service;
    private static JsonNode spec;

    @BeforeAll
    static void start() throws IOException {
        nats = TestNats.start();
        service = RunningService.start(TestPostgres.shared().newDatabase(), nats);
        nats.publish(Orders.sample());
        await("the sample is served", () -> service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode() == 200);
        HttpResponse<String> description = service.get("/openapi.yaml");
        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.headers().firstValue("content-type")).hasValue("application/yaml");
        spec = YAML.readTree(description.body());
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
    }

    @Test
    void isOpenApi31AndDescribesEveryRouteOfTheApi() {
        assertThat(spec.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        spec.get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyInAnyOrder("/api/orders/{order_uid}", "/api/orders", "/api/rejected",
                "/api/order-events", "/health/live", "/health/ready", "/metrics", "/openapi.yaml");
    }

    @Test
    void documentsEveryAnswerTheOrderEndpointGives() throws IOException {
        JsonNode operation = spec.at("/paths/~1api~1orders~1{order_uid}/get");
        String etag = service.get("/api/orders/" + Orders.SAMPLE_UID).headers().firstValue("etag").orElseThrow();
        List<HttpResponse<String>> answers = List.of(
                service.get("/api/orders/" + Orders.SAMPLE_UID),
                service.get("/api/orders/" + Orders.SAMPLE_UID, "If-None-Match", etag),
                service.get("/api/orders/unknownorder"),
                service.get("/api/orders/not%20an%20id"),
                service.send(HttpRequest.newBuilder(service.uri("/api/orders/" + Orders.SAMPLE_UID)).DELETE()));
        for (HttpResponse<String> answer : answers) {
            assertDocumented(operation, answer);
        }
        JsonNode order = JSON.readTree(answers.getFirst().body());
        List<String> required = new ArrayList<>();
        resolve(spec.at("/components/schemas/Order/required")).forEach(field -> required.add(field.asText()));
        List<String> fields = new ArrayList<>();
        order.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyElementsOf(required);
    }

    @Test
    void documentsEveryAnswerTheOtherEndpointsGive() throws Exception {
        assertDocumented(spec.at("/paths/~1api~1orders/get"), service.get("/api/orders?limit=5"));
        assertDocumented(spec.at("/paths/~1api~1orders/get"), service.get("/api/orders?limit=0"));
        assertDocumented(spec.at("/paths/~1api~1rejected/get"), service.get("/api/rejected?code=schema"));
        assertDocumented(spec.at("/paths/~1api~1rejected/get"), service.get("/api/rejected?code=nonsense"));
        assertDocumented(spec.at("/paths/~1health~1live/get"), service.get("/health/live"));
        assertDocumented(spec.at("/paths/~1health~1ready/get"), service.get("/health/ready"));
        assertDocumented(spec.at("/paths/~1metrics/get"), service.get("/metrics"));
        assertDocumented(spec.at("/paths/~1openapi.yaml/get"), service.get("/openapi.yaml"));

        HttpResponse<InputStream> events = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(service.uri("/api/order-events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = events.body()) {
            JsonNode documented = spec.at("/paths/~1api~1order-events/get/responses/" + events.statusCode());
            assertThat(documented.isMissingNode()).isFalse();
            assertThat(documented.get("content").has(mediaType(events))).isTrue();
        }
    }

    private static void assertDocumented(JsonNode operation, HttpResponse<String> answer) {
        JsonNode response = resolve(operation.at("/responses/" + answer.statusCode()));
        assertThat(response.isMissingNode()).as("status %d of %s is documented", answer.statusCode(), answer.uri())
                .isFalse();
        if (!answer.body().isEmpty()) {
            assertThat(response.get("content").has(mediaType(answer)))
                    .as("content type %s of %s is documented", mediaType(answer), answer.uri()).isTrue();
        }
    }

    private static String mediaType(HttpResponse<?> answer) {
        return answer.headers().firstValue("content-type").orElse("").split(";")[0].strip();
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode reference = node.get("$ref");
        return reference == null ? node : spec.at(reference.asText().substring(1));
    }
}
