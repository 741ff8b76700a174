package dev.orders.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.Main;
import dev.orders.support.FreePorts;
import dev.orders.support.Orders;
import dev.orders.support.ServiceProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The program with no database or broker configured, as a newcomer runs it: it starts embedded PostgreSQL and a
 * broker of its own, publishes the sample, says where to look, takes more orders, and stops cleanly.
 */
class OneCommandRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern PUBLISH_HINT = Pattern.compile("Send more:  \\./orders publish (.+?) --count");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"jetstream, NATS JetStream at nats://127.0.0.1:", "kafka, Kafka at 127.0.0.1:"})
    void startsEverythingItNeedsServesTheSampleAndTakesPublishedOrders(String source, String brokerLine,
                                                                         @TempDir Path dataDir) throws Exception {
        int port = FreePorts.next();
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_SOURCE", source,
                "ORDERS_DATA_DIR", dataDir.toString(), "ORDERS_HTTP_PORT", String.valueOf(port)))) {
            await("it says it is running", Duration.ofSeconds(90), () -> process.output().contains("Press Ctrl+C"));
            assertThat(process.output()).contains("Orders is running at http://localhost:" + port + "/ with " + brokerLine);
            assertThat(get(port, "/api/orders/" + Orders.SAMPLE_UID).statusCode()).isEqualTo(200);

            Matcher hint = PUBLISH_HINT.matcher(process.output());
            assertThat(hint.find()).isTrue();
            StringWriter out = new StringWriter();
            String[] publish = ("publish " + hint.group(1) + " --count 20").split(" ");
            int exit = Main.commandLine().setOut(new PrintWriter(out, true)).execute(publish);
            assertThat(exit).as(out.toString()).isZero();
            await("the published orders are listed", () -> orderCount(port) == 21);

            process.terminate();
            assertThat(process.awaitExit(30)).as(process.output()).isZero();
        }
    }

    private static int orderCount(int port) {
        try {
            return JSON.readTree(get(port, "/api/orders?limit=100").body()).get("orders").size();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
