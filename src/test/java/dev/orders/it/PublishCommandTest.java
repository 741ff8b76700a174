package dev.orders.it;

import dev.orders.Main;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code orders publish}: what it sends is what the service receives. */
class PublishCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void publishesGeneratedOrdersWithTheAskedShareOfInvalidOnes() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start(); RunningService service = RunningService.start(database, nats)) {
            int exit = publish("--nats-url", nats.url(), "--count", "200", "--invalid-fraction", "0.25");

            assertThat(exit).as(err.toString()).isZero();
            Matcher summary = Pattern.compile("Sent 200 messages \\((\\d+) generated invalid\\)").matcher(out.toString());
            assertThat(summary.find()).as(out.toString()).isTrue();
            long invalid = Long.parseLong(summary.group(1));
            assertThat(invalid).isBetween(25L, 75L);
            await("every message has an outcome", () -> database.count(
                    "select (select count(*) from orders) + (select count(*) from rejected_messages)") == 200);
            assertThat(database.count("select count(*) from rejected_messages")).isEqualTo(invalid);
        }
    }

    @Test
    void publishesEveryJsonFileOfADirectory(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("a.json"), dev.orders.support.Orders.withUid("fromfilea"));
        Files.writeString(directory.resolve("b.json"), dev.orders.support.Orders.withUid("fromfileb"));
        Files.writeString(directory.resolve("notes.txt"), "not an order");
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (TestNats nats = TestNats.start(); RunningService service = RunningService.start(database, nats)) {
            assertThat(publish("--nats-url", nats.url(), "--file", directory.toString())).isZero();

            assertThat(out.toString()).startsWith("Sent 2 messages");
            await("both are served", () -> service.get("/api/orders/fromfilea").statusCode() == 200
                    && service.get("/api/orders/fromfileb").statusCode() == 200);
        }
    }

    @Test
    void refusesABadFlagNamingIt() {
        assertThat(publish("--count", "10", "--invalid-fraction", "2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("publish: --invalid-fraction must be from 0 to 1, got 2.0");
    }

    @Test
    void refusesAMissingFile() {
        assertThat(publish("--file", "/no/such/file.json")).isEqualTo(2);
        assertThat(err.toString()).contains("--file /no/such/file.json does not exist");
    }

    private int publish(String... arguments) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[arguments.length + 1];
        all[0] = "publish";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return commandLine.execute(all);
    }
}
