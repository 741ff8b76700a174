package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The endpoints behind the web page: recent orders, rejected messages, the page itself. */
class ActivityApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNats nats;
    private static TestDatabase database;
    private static RunningService service;

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        database = TestPostgres.shared().newDatabase();
        service = RunningService.start(database, nats);
        IntStream.range(0, 5).forEach(i -> nats.publish(Orders.withUid("recent" + i)));
        nats.publish("not json at all");
        nats.publish("{\"order_uid\":\"schema1\"}");
        await("every message has an outcome", () -> database.count(
                "select (select count(*) from orders) + (select count(*) from rejected_messages)") == 7);
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
    }

    @Test
    void listsRecentOrdersNewestFirstAndPagesWithTheCursor() throws IOException {
        JsonNode first = json("/api/orders?limit=2");
        JsonNode second = json("/api/orders?limit=2&before=" + first.get("next").asText());
        JsonNode third = json("/api/orders?limit=2&before=" + second.get("next").asText());

        assertThat(uids(first.get("orders"))).containsExactly("recent4", "recent3");
        assertThat(uids(second.get("orders"))).containsExactly("recent2", "recent1");
        assertThat(uids(third.get("orders"))).containsExactly("recent0");
        assertThat(third.get("next").isNull()).isTrue();
        JsonNode summary = first.get("orders").get(0);
        assertThat(summary.get("amount").asLong()).isEqualTo(1817);
        assertThat(summary.get("currency").asText()).isEqualTo("USD");
        assertThat(summary.get("items").asInt()).isEqualTo(1);
        assertThat(summary.get("date_created").asText()).isEqualTo("2021-11-26T06:22:19Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=ten", "before=0", "before=-5", "before=x",
            "limit=99999999999999999999"})
    void refusesAListParameterOutOfRangeAsBadRequest(String query) throws IOException {
        HttpResponse<String> response = service.get("/api/orders?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(query.substring(0, query.indexOf('=')));
    }

    @Test
    void listsRejectedMessagesNewestFirstFilteredByCode() throws IOException {
        JsonNode all = json("/api/rejected");
        JsonNode schema = json("/api/rejected?code=schema");

        assertThat(all.get("rejected")).hasSize(2);
        assertThat(all.get("rejected").get(0).get("code").asText()).isEqualTo("schema");
        assertThat(all.get("rejected").get(1).get("payload_text").asText()).isEqualTo("not json at all");
        assertThat(all.get("rejected").get(1).get("payload_size").asInt()).isEqualTo(15);
        assertThat(all.get("rejected").get(1).get("payload_truncated").asBoolean()).isFalse();
        assertThat(schema.get("rejected")).hasSize(1);
        assertThat(schema.get("rejected").get(0).get("order_uid").asText()).isEqualTo("schema1");
    }

    @Test
    void refusesAnUnknownRejectionCode() {
        assertThat(service.get("/api/rejected?code=bogus").statusCode()).isEqualTo(400);
    }

    @Test
    void servesThePageForEveryPageUrlWithAPolicyThatForbidsInlineScript() {
        for (String path : List.of("/", "/orders/" + Orders.SAMPLE_UID, "/rejected")) {
            HttpResponse<String> page = service.get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(policy -> {
                assertThat(policy).contains("script-src 'self'").contains("default-src 'none'");
                assertThat(policy).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            });
            assertThat(page.body()).contains("<script src=\"/static/app.js\" defer></script>")
                    .doesNotContainPattern("<script>").doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(service.get("/static/app.js").headers().firstValue("content-type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(service.get("/static/nosuch.js").statusCode()).isEqualTo(404);
    }

    @Test
    void answersNotModifiedForAPageFileTheBrowserHasEachUnderItsOwnEtag() {
        List<String> etags = new ArrayList<>();
        for (String path : List.of("/", "/static/app.js", "/static/app.css", "/favicon.ico", "/openapi.yaml")) {
            String etag = service.get(path).headers().firstValue("etag").orElseThrow();
            assertThat(service.get(path, "If-None-Match", etag).statusCode()).as(path).isEqualTo(304);
            assertThat(service.get(path, "If-None-Match", "\"0\"").statusCode()).as(path).isEqualTo(200);
            etags.add(etag);
        }
        assertThat(etags).doesNotHaveDuplicates();
    }

    private static JsonNode json(String path) throws IOException {
        HttpResponse<String> response = service.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> uids(JsonNode orders) {
        List<String> uids = new ArrayList<>();
        orders.forEach(order -> uids.add(order.get("order_uid").asText()));
        return uids;
    }
}
