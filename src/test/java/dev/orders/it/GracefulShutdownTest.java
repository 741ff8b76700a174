package dev.orders.it;

import dev.orders.support.FreePorts;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.ServiceProcess;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM while ingesting: the batch in flight is finished and acknowledged, the process exits 0. */
class GracefulShutdownTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static boolean isReady(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void finishesTheBatchInFlightAcknowledgesItAndExitsZeroOnSigterm() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int orders = 5_000;
        try (TestNats nats = TestNats.start()) {
            nats.publishAll(IntStream.range(0, orders).mapToObj(i -> Orders.withUid("shutdown" + i)).toList());
            int port = FreePorts.next();
            try (ServiceProcess process = ServiceProcess.start(Map.of(
                    "ORDERS_DB_URL", database.url(), "ORDERS_DB_USER", database.user(),
                    "ORDERS_NATS_URL", nats.url(), "ORDERS_HTTP_PORT", String.valueOf(port),
                    "ORDERS_BATCH_SIZE", "5"))) {
                await("the service is ready", Duration.ofSeconds(60), () -> isReady(port));
                await("ingestion has begun", Duration.ofSeconds(60),
                        () -> database.count("select count(*) from orders") > 0);
                process.terminate();

                assertThat(process.awaitExit(30)).as(process.output()).isZero();
            }
            long stored = database.count("select count(*) from orders");
            assertThat(stored).as("stopped mid-stream").isLessThan(orders);
            assertThat(nats.consumer().getNumAckPending()).as("delivered but unacknowledged").isZero();
            assertThat(nats.consumer().getAckFloor().getStreamSequence()).as("acknowledged").isEqualTo(stored);

            try (RunningService restarted = RunningService.start(database, nats)) {
                await("the rest is stored after a restart", Duration.ofSeconds(60),
                        () -> database.count("select count(*) from orders") == orders);
                assertThat(database.count("select count(*) from rejected_messages")).isZero();
            }
        }
    }
}
