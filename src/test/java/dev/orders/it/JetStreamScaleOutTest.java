package dev.orders.it;

import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Two service instances on one JetStream durable consumer: they share the work and both serve every order. */
class JetStreamScaleOutTest {

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
            assertThat(first.storedByThisInstance()).as("stored by the first instance").isPositive();
            assertThat(second.storedByThisInstance()).as("stored by the second instance").isPositive();
            assertThat(first.storedByThisInstance() + second.storedByThisInstance()).isEqualTo(orders);
            List<String> uids = IntStream.range(0, orders).mapToObj(i -> "shared" + i).toList();
            assertThat(first.unserved(uids)).as("orders the first instance did not serve").isZero();
            assertThat(second.unserved(uids)).as("orders the second instance did not serve").isZero();
        }
    }

}
