package dev.orders.it;

import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Two service instances on one JetStream durable consumer: they share the work and both serve every order. */
class JetStreamScaleOutTest {
    private static final Pattern STORED = Pattern.compile("orders_messages_total\\{outcome=\"stored\"} (\\d+)");

    @Test
    void twoInstancesOnOneDurableConsumerShareTheWorkStoreEachOrderOnceAndBothServeEveryOrder() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int orders = 5_000;
        try (TestNats nats = TestNats.start();
             RunningService first = RunningService.start(database, nats);
             RunningService second = RunningService.start(database, nats)) {
            nats.publishAll(IntStream.range(0, orders).mapToObj(i -> Orders.withUid("shared" + i)).toList());

            await("every order is stored", Duration.ofSeconds(120),
                    () -> database.count("select count(*) from orders") == orders);
            await("every message is acknowledged", () -> nats.acknowledged() == orders);
            assertThat(database.count("select count(*) from rejected_messages")).isZero();
            assertThat(storedBy(first)).as("stored by the first instance").isPositive();
            assertThat(storedBy(second)).as("stored by the second instance").isPositive();
            assertThat(storedBy(first) + storedBy(second)).isEqualTo(orders);
            for (RunningService instance : List.of(first, second)) {
                assertThat(IntStream.range(0, orders).parallel()
                        .filter(i -> instance.get("/api/orders/shared" + i).statusCode() != 200).count())
                        .as("orders an instance did not serve").isZero();
            }
        }
    }

    private static long storedBy(RunningService instance) {
        Matcher stored = STORED.matcher(instance.get("/metrics").body());
        assertThat(stored.find()).isTrue();
        return (long) Double.parseDouble(stored.group(1));
    }
}
