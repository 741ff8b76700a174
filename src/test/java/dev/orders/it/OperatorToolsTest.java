package dev.orders.it;

import dev.orders.Main;
import dev.orders.store.BrokerPosition;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestNats;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code orders rejected list|resubmit}: what an operator does about rejected messages. */
class OperatorToolsTest {
    private static TestNats nats;
    private static TestDatabase database;
    private static RunningService service;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        database = TestPostgres.shared().newDatabase();
        service = RunningService.start(database, nats);
    }

    @AfterAll
    static void stop() {
        service.close();
        nats.close();
    }

    @BeforeEach
    void clearOutput() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    @Test
    void listsRejectedMessagesFilteredByCodeWithoutTheirPayloads() {
        long schema = rejectedId(nats.publish(Orders.withUid("listed1").replace("\"locale\": \"en\",", "")));
        long notJson = rejectedId(nats.publish("{\"name\":\"Ivan Personalov\""));

        assertThat(run("rejected", "list", "--db-url", database.url(), "--db-user", database.user(), "--code", "schema"))
                .isZero();

        assertThat(out.toString()).containsPattern("(?m)^" + schema + " .*listed1.*locale: is required$")
                .doesNotContainPattern("(?m)^" + notJson + " ").doesNotContain("not_json").doesNotContain("Personalov");
    }

    @Test
    void resubmitsAMessageOnceItsCauseIsFixedAndRecordsTheOutcome() throws SQLException {
        execute("alter table orders add constraint test_no_fixme check (entry <> 'FIXME')");
        long id;
        try {
            id = rejectedId(nats.publish(Orders.withUid("fixedlater").replace("\"entry\": \"WBIL\"", "\"entry\": \"FIXME\"")));
        } finally {
            execute("alter table orders drop constraint test_no_fixme");
        }

        assertThat(run("rejected", "resubmit", "--db-url", database.url(), "--db-user", database.user(),
                String.valueOf(id))).isZero();

        assertThat(out.toString()).isEqualToIgnoringNewLines(id + ": stored order fixedlater");
        assertThat(service.get("/api/orders/fixedlater").statusCode()).isEqualTo(200);
        assertThat(database.count("select count(*) from rejected_messages where id = ? and resubmitted_at is not null"
                + " and resubmit_outcome = 'stored order fixedlater'", id)).isEqualTo(1);
    }

    @Test
    void recordsThatAMessageStillInvalidIsRejectedAgain() {
        long id = rejectedId(nats.publish(Orders.withUid("stillbad").replace("\"sale\": 30", "\"sale\": 130")));

        run("rejected", "resubmit", "--db-url", database.url(), "--db-user", database.user(), String.valueOf(id));

        assertThat(out.toString()).contains(id + ": rejected again: invalid_value: items[0].sale");
        assertThat(database.count("select count(*) from rejected_messages where order_uid = 'stillbad'")).isEqualTo(1);
    }

    @Test
    void refusesToResubmitATruncatedPayloadOrAnUnknownId() {
        long id = rejectedId(nats.publish("x".repeat(20 * 1024)));

        int exit = run("rejected", "resubmit", "--db-url", database.url(), "--db-user", database.user(),
                String.valueOf(id), "999999");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains(id + ": cannot be re-submitted: only the first 4096 of its 20480 bytes were kept")
                .contains("999999: no rejected message has this id");
    }

    @Test
    void refusesToRunWithoutADatabaseUrl() {
        assertThat(run("rejected", "list", "--db-url", "")).isEqualTo(2);
        assertThat(err.toString()).contains("--db-url (ORDERS_DB_URL) must be the service's PostgreSQL JDBC URL");
    }

    private static long rejectedId(BrokerPosition position) {
        await("message " + position + " is rejected", () -> database.rejectedAt(position) == 1);
        return database.count("select id from rejected_messages where source = ? and channel = ? and position = ?",
                position.source(), position.channel(), position.position());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int run(String... arguments) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(arguments);
    }
}
