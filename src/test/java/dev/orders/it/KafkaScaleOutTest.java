package dev.orders.it;

import dev.orders.config.ServiceConfig;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestKafka;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Several service instances in one Kafka consumer group: the partitions are shared, nothing is stored twice or lost. */
class KafkaScaleOutTest {

    @Test
    void twoInstancesShareAFourPartitionTopicStoreEachOrderOnceAndBothServeEveryOrder() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int orders = 10_000;
        try (TestKafka kafka = TestKafka.start();
             RunningService first = RunningService.start(database, kafka);
             RunningService second = RunningService.start(database, kafka)) {
            await("both instances own partitions", Duration.ofSeconds(30), () -> kafka.membersWithPartitions() == 2);

            kafka.publishAll(IntStream.range(0, orders).mapToObj(i -> Orders.withUid("scale" + i)).toList());

            await("every order is stored", Duration.ofSeconds(120),
                    () -> database.count("select count(*) from orders") == orders);
            await("every message is acknowledged", Duration.ofSeconds(30), () -> kafka.acknowledged() == orders);
            assertThat(database.count("select count(*) from order_items")).isEqualTo(orders);
            assertThat(database.count("select count(*) from rejected_messages")).isZero();
            assertThat(first.storedByThisInstance()).as("stored by the first instance").isPositive();
            assertThat(second.storedByThisInstance()).as("stored by the second instance").isPositive();
            assertThat(first.storedByThisInstance() + second.storedByThisInstance()).isEqualTo(orders);
            List<String> uids = IntStream.range(0, orders).mapToObj(i -> "scale" + i).toList();
            assertThat(first.unserved(uids)).as("orders the first instance did not serve").isZero();
            assertThat(second.unserved(uids)).as("orders the second instance did not serve").isZero();
        }
    }

    @Test
    void storesEveryOrderOnceWhenASecondConsumerJoinsMidStream() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int orders = 5_000;
        try (TestKafka kafka = TestKafka.start();
             RunningService first = RunningService.start(smallBatches(RunningService.config(database, kafka)))) {
            kafka.publishAll(IntStream.range(0, orders).mapToObj(i -> Orders.withUid("join" + i)).toList());
            await("ingestion has begun", () -> database.count("select count(*) from orders") > 0);

            try (RunningService second = RunningService.start(smallBatches(RunningService.config(database, kafka)))) {
                await("both instances own partitions", Duration.ofSeconds(30), () -> kafka.membersWithPartitions() == 2);
                assertThat(database.count("select count(*) from orders")).as("stored when the rebalance was done")
                        .isLessThan(orders);
                await("every order is stored", Duration.ofSeconds(120),
                        () -> database.count("select count(*) from orders") == orders);
                assertThat(second.storedByThisInstance()).as("stored by the instance that joined").isPositive();
                await("every message is acknowledged", Duration.ofSeconds(30), () -> kafka.acknowledged() == orders);
                assertThat(database.count("select count(*) from order_items")).isEqualTo(orders);
                assertThat(database.count("select count(*) from rejected_messages")).isZero();
            }
        }
    }

    /** One message a transaction makes ingestion slow enough for a member to join while it runs. */
    private static ServiceConfig smallBatches(ServiceConfig config) {
        return new ServiceConfig(config.database(), config.source(), config.httpPort(), config.cacheBytes(),
                config.maxPayloadBytes(), 1, config.startupTimeout());
    }

}
