package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.store.BrokerPosition;
import dev.orders.support.FreePorts;
import dev.orders.support.Orders;
import dev.orders.support.ServiceProcess;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** What the shipped logging writes: JSON lines when asked, a line per rejection, and no personal data. */
class LoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesJsonLinesWithOneLinePerRejectionThatNamesUidCodeAndPositionButNoPersonalData() throws IOException {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start();
             ServiceProcess process = ServiceProcess.startWithShippedLogging(Map.of(
                     "ORDERS_LOG_FORMAT", "json", "ORDERS_DB_URL", database.url(), "ORDERS_DB_USER", database.user(),
                     "ORDERS_NATS_URL", nats.url(), "ORDERS_HTTP_PORT", String.valueOf(FreePorts.next())))) {
            await("the service has started", Duration.ofSeconds(60), () -> process.output().contains("Orders service started"));
            String personal = Orders.withUid("loggedorder").replace("Test Testov", "Ivan Personalov")
                    .replace("+9720000000", "+79990001122").replace("\"sale\": 30", "\"sale\": 300");
            BrokerPosition rejected = nats.publish(personal);
            nats.publish("{\"name\": \"Ivan Personalov\", broken");
            await("both rejections are logged", () -> process.output().lines()
                    .filter(line -> line.contains("Rejected message")).count() == 2);
            process.terminate();
            assertThat(process.awaitExit(30)).isZero();

            List<JsonNode> lines = new ArrayList<>();
            for (String line : process.output().lines().filter(line -> !line.isBlank()).toList()) {
                JsonNode parsed = JSON.readTree(line);
                assertThat(parsed.isObject()).as(line).isTrue();
                lines.add(parsed);
            }
            JsonNode rejection = lines.stream().filter(line -> line.get("formattedMessage").asText()
                    .startsWith("Rejected message at " + rejected + " ")).findFirst().orElseThrow();
            assertThat(rejection.get("level").asText()).isEqualTo("WARN");
            assertThat(rejection.get("formattedMessage").asText())
                    .contains("order_uid=loggedorder").contains("code=invalid_value").contains("items[0].sale");
            assertThat(process.output()).doesNotContain("Personalov").doesNotContain("79990001122");
        }
    }
}
