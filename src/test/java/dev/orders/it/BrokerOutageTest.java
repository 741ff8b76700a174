package dev.orders.it;

import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** nats-server goes away and comes back: readiness says so, reads go on, ingestion resumes by itself. */
class BrokerOutageTest {

    @Test
    void reportsTheBrokerDownKeepsServingAndResumesIngestionWhenItIsBack() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start(); RunningService service = RunningService.start(database, nats)) {
            nats.publish(Orders.sample());
            await("the sample is served", () -> service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode() == 200);

            nats.stopServer();

            await("readiness reports the broker down", () -> service.get("/health/ready").statusCode() == 503);
            assertThat(service.get("/health/ready").body()).contains("\"broker\":\"DOWN\"").contains("\"database\":\"UP\"");
            assertThat(service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode()).isEqualTo(200);

            nats.restartServer();

            await("readiness is back", Duration.ofSeconds(30), () -> service.get("/health/ready").statusCode() == 200);
            nats.publish(Orders.withUid("afterrestart"));
            await("an order published after the restart is stored", Duration.ofSeconds(30),
                    () -> service.get("/api/orders/afterrestart").statusCode() == 200);
        }
    }
}
