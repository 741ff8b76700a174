package dev.orders.it;

import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The cache is rebuilt from PostgreSQL: a new instance on the same database knows every stored order. */
class SecondInstanceTest {

    @Test
    void restoresTheCacheFromTheDatabaseAndServesEveryStoredOrder() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start(); RunningService first = RunningService.start(database, nats)) {
            IntStream.range(0, 50).forEach(i -> nats.publish(Orders.withUid("restore" + i)));
            await("the first instance stored every order", () -> database.count("select count(*) from orders") == 50);

            try (RunningService second = RunningService.start(database, nats)) {
                assertThat(second.get("/health/ready").statusCode()).isEqualTo(200);
                // Counted before any request, so the orders came from the restore, not from read-through.
                assertThat(second.service().cache().size()).isEqualTo(50);
                IntStream.range(0, 50).forEach(i ->
                        assertThat(second.get("/api/orders/restore" + i).body())
                                .isEqualTo(first.get("/api/orders/restore" + i).body()));
            }
        }
    }
}
