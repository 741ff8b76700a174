package dev.orders.it;

import dev.orders.config.ServiceConfig;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestBroker;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL goes away while orders arrive: nothing is acknowledged, nothing is lost, reads go on; with each source. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetstream", "kafka"})
class DatabaseOutageTest {
    @Parameter
    String kind;
    private final TestPostgres postgres = TestPostgres.create();
    private TestBroker broker;
    private RunningService service;

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(kind);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        broker.close();
        postgres.close();
    }

    @Test
    void acknowledgesNothingWhileDatabaseIsDownAndStoresEveryMessageOnceWhenItIsBack() throws Exception {
        TestDatabase database = postgres.newDatabase();
        service = RunningService.start(database, broker);
        broker.publish(Orders.sample());
        await("the sample is served", () -> service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode() == 200);
        await("the sample is acknowledged", () -> broker.acknowledged() == 1);

        postgres.stop();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            uids.add("outage" + i);
            broker.publish(Orders.withUid("outage" + i));
        }
        await("readiness reports the database down",
                () -> service.get("/health/ready").statusCode() == 503);
        assertThat(service.get("/health/ready").body()).contains("\"database\":\"DOWN\"");
        Thread.sleep(3_000);

        assertThat(broker.acknowledged()).as("acknowledged while the database is down").isEqualTo(1);
        assertThat(service.get("/api/orders/" + Orders.SAMPLE_UID).statusCode()).isEqualTo(200);
        assertThat(service.get("/api/orders/outage0").statusCode()).isEqualTo(503);

        postgres.start();
        await("every order is served after recovery", Duration.ofSeconds(30),
                () -> uids.stream().allMatch(uid -> service.get("/api/orders/" + uid).statusCode() == 200));
        await("every message is acknowledged", () -> broker.acknowledged() == 1 + uids.size());
        assertThat(database.count("select count(*) from orders")).isEqualTo(1 + uids.size());
        assertThat(database.count("select count(*) from order_items")).isEqualTo(1 + uids.size());
        assertThat(database.count("select count(*) from rejected_messages")).isZero();
        await("readiness is back", () -> service.get("/health/ready").statusCode() == 200);
    }

    @Test
    void storesEveryMessageOnceWhenStoppedWhileDatabaseIsDownAndStartedAgain() throws Exception {
        TestDatabase database = postgres.newDatabase();
        ServiceConfig config = RunningService.config(database, broker);
        // Small batches, so that one is being committed and the next one is in hand when the service stops.
        ServiceConfig smallBatches = new ServiceConfig(config.database(), config.source(), config.httpPort(),
                config.cacheBytes(), config.maxPayloadBytes(), 10, config.startupTimeout());
        service = RunningService.start(smallBatches);
        broker.publish(Orders.sample());
        await("the sample is acknowledged", () -> broker.acknowledged() == 1);

        postgres.stop();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            uids.add("stopped" + i);
            broker.publish(Orders.withUid("stopped" + i));
        }
        await("readiness reports the database down", () -> service.get("/health/ready").statusCode() == 503);
        Thread.sleep(2_000);
        service.close();
        service = null;
        assertThat(broker.acknowledged()).as("acknowledged while the database was down").isEqualTo(1);

        postgres.start();
        service = RunningService.start(smallBatches);
        // Well within JetStream's 30 s ack wait: what the stopped service had in hand was given back at once.
        await("every order is served after the restart", Duration.ofSeconds(20),
                () -> uids.stream().allMatch(uid -> service.get("/api/orders/" + uid).statusCode() == 200));
        await("every message is acknowledged", () -> broker.acknowledged() == 1 + uids.size());
        assertThat(database.count("select count(*) from orders")).isEqualTo(1 + uids.size());
        assertThat(database.count("select count(*) from order_items")).isEqualTo(1 + uids.size());
        assertThat(database.count("select count(*) from rejected_messages")).isZero();
    }
}
