package dev.orders.it;

import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} after real traffic: the numbers an operator watches move as messages and requests come. */
class MetricsTest {

    @Test
    void countsMessagesRequestsCacheAndPoolAfterTraffic() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start(); RunningService service = RunningService.start(database, nats)) {
            String before = service.get("/metrics").body();

            IntStream.range(0, 10).forEach(i -> nats.publish(Orders.withUid("metered" + i)));
            nats.publish("not json");
            nats.publish(Orders.withUid("metered0"));
            await("every message has an outcome", () -> nats.acknowledged() == 12);
            IntStream.range(0, 10).forEach(i -> service.get("/api/orders/metered" + i));
            service.get("/api/orders/unknown1");
            service.get("/api/orders/bad%20id");
            String after = service.get("/metrics").body();

            assertThat(value(after, "orders_messages_total{outcome=\"stored\"}")).isEqualTo(10);
            assertThat(value(after, "orders_messages_total{outcome=\"duplicate\"}")).isEqualTo(1);
            assertThat(value(after, "orders_messages_total{code=\"not_json\",outcome=\"rejected\"}")).isEqualTo(1);
            assertThat(value(after, "orders_batch_commit_seconds_count")).isPositive();
            assertThat(value(after, "http_server_requests_seconds_count{method=\"GET\",route=\"/api/orders/{order_uid}\",status=\"200\"}"))
                    .isEqualTo(10);
            assertThat(value(after, "http_server_requests_seconds_count{method=\"GET\",route=\"/api/orders/{order_uid}\",status=\"404\"}"))
                    .isEqualTo(1);
            assertThat(value(after, "http_server_requests_seconds_count{method=\"GET\",route=\"/api/orders/{order_uid}\",status=\"400\"}"))
                    .isEqualTo(1);
            assertThat(after).contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/api/orders/{order_uid}\",status=\"200\",le=");
            assertThat(value(after, "cache_gets_total{cache=\"orders\",result=\"hit\"}"))
                    .isGreaterThan(value(before, "cache_gets_total{cache=\"orders\",result=\"hit\"}"));
            assertThat(value(after, "cache_size{cache=\"orders\"}")).isEqualTo(10);
            assertThat(value(after, "orders_cache_bytes")).isGreaterThan(10 * 800);
            assertThat(value(after, "orders_broker_pending")).isZero();
            assertThat(after).contains("hikaricp_connections_active{pool=\"orders-db\"}");
            assertThat(after).contains("jvm_memory_used_bytes");
            assertThat(after).contains("orders_store_retries_total").contains("orders_cache_restore_seconds");
        }
    }

    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
