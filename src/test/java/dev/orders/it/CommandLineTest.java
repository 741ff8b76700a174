package dev.orders.it;

import dev.orders.support.FreePorts;
import dev.orders.support.ServiceProcess;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up as an operator meets it: settings from flags or the environment, checked before anything starts. */
class CommandLineTest {

    @Test
    void printsItsVersionAndTheJavaItRunsOn() {
        for (String[] command : List.of(new String[]{"--version"}, new String[]{"publish", "--version"})) {
            try (ServiceProcess process = ServiceProcess.start(Map.of(), command)) {
                assertThat(process.awaitExit(30)).as(String.join(" ", command)).isZero();
                assertThat(process.output()).as(String.join(" ", command))
                        .containsPattern("^orders \\d+\\.\\d+\\.\\d+\\S*\\RJava " + Runtime.version().feature() + "\\b");
            }
        }
    }

    @Test
    void listsItsSubcommandsInItsHelp() {
        try (ServiceProcess process = ServiceProcess.start(Map.of(), "--help")) {
            assertThat(process.awaitExit(30)).isZero();
            assertThat(process.output()).contains("Usage: orders [-hV]").contains("[COMMAND]")
                    .containsPattern("Commands:\\R  publish +Publishes orders").containsPattern("\\R  rejected +Lists");
        }
    }

    @Test
    void runsASubcommandNamedAfterTheServicesOwnFlags() {
        try (ServiceProcess process = ServiceProcess.start(Map.of(), "--http-port", "0", "publish", "--help")) {
            assertThat(process.awaitExit(30)).isZero();
            assertThat(process.output()).startsWith("Usage: orders publish [-hV]");
        }
    }

    @Test
    void refusesABadFlagValueWithOneLineNamingIt() {
        try (ServiceProcess process = ServiceProcess.start(Map.of(), "--http-port", "eighty")) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output()).startsWith("orders: Invalid value for option '--http-port': 'eighty' is not an int")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void refusesABadEnvironmentValueNamingTheVariable() {
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_BATCH_SIZE", "0"))) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output()).startsWith("orders: --batch-size (ORDERS_BATCH_SIZE) must be 1-10000, got 0");
        }
    }

    @Test
    void refusesAnUnreadableSizeNamingTheExpectedForm() {
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_CACHE_BYTES", "lots"))) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output()).contains("--cache-bytes").contains("expected e.g.");
        }
    }

    @Test
    void refusesACacheBudgetTheHeapCannotHoldNamingBothSettings() {
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_CACHE_BYTES", "2GiB"))) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output())
                    .startsWith("orders: --cache-bytes (ORDERS_CACHE_BYTES) must fit in three quarters of the heap")
                    .contains("got 2048MiB").contains("ORDERS_HEAP");
        }
    }

    @Test
    void refusesADatabaseUrlThatIsNotPostgresql() {
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_DB_URL", "mysql://localhost/orders"))) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output()).startsWith("orders: --db-url (ORDERS_DB_URL) must start with jdbc:postgresql:");
        }
    }

    @Test
    void givesUpOnAnUnreachableDatabaseAfterTheStartupTimeoutWithAClearError() {
        int closedPort = FreePorts.next();
        try (ServiceProcess process = ServiceProcess.start(Map.of(),
                "--db-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/orders",
                "--nats-url", "nats://127.0.0.1:" + FreePorts.next(), "--startup-timeout", "2s", "--http-port", "0")) {
            assertThat(process.awaitExit(60)).isEqualTo(1);
            assertThat(process.output()).contains("orders: could not run: PostgreSQL did not answer within 2 s")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void givesUpOnAnUnreachableBrokerAfterTheStartupTimeoutWithAClearError() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int closedPort = FreePorts.next();
        try (ServiceProcess process = ServiceProcess.start(Map.of(), "--db-url", database.url(),
                "--db-user", database.user(), "--nats-url", "nats://127.0.0.1:" + closedPort,
                "--startup-timeout", "2s", "--http-port", "0")) {
            assertThat(process.awaitExit(60)).isEqualTo(1);
            assertThat(process.output()).contains("orders: could not run: NATS at nats://127.0.0.1:" + closedPort
                    + " did not answer within 2 s").doesNotContain("\tat ");
        }
    }

    @Test
    void givesUpWhenItsHttpPortIsTakenWithAClearError() throws IOException {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
             ServiceProcess process = ServiceProcess.start(Map.of(), "--db-url", database.url(),
                     "--db-user", database.user(), "--nats-url", "nats://127.0.0.1:" + FreePorts.next(),
                     "--http-port", String.valueOf(taken.getLocalPort()))) {
            assertThat(process.awaitExit(60)).isEqualTo(1);
            assertThat(process.output()).contains("orders: could not run: HTTP port " + taken.getLocalPort()
                    + " is not free: Address already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void checksItsHttpPortBeforeStartingALocalDatabaseOrBroker(@TempDir Path dataDir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
             ServiceProcess process = ServiceProcess.start(Map.of(), "--data-dir", dataDir.toString(),
                     "--http-port", String.valueOf(taken.getLocalPort()))) {
            assertThat(process.awaitExit(60)).isEqualTo(1);
            assertThat(process.output()).contains("HTTP port " + taken.getLocalPort() + " is not free")
                    .doesNotContain("Started embedded PostgreSQL").doesNotContain("Started nats-server");
            assertThat(dataDir).isEmptyDirectory();
        }
    }

    @Test
    void refusesAnUnknownSourceNamingTheChoices() {
        try (ServiceProcess process = ServiceProcess.start(Map.of("ORDERS_SOURCE", "rabbitmq"))) {
            assertThat(process.awaitExit(30)).isEqualTo(2);
            assertThat(process.output()).startsWith("orders: Invalid value for option '--source': expected one of"
                    + " [JETSTREAM, KAFKA] (case-insensitive) but was 'rabbitmq'");
        }
    }

    @Test
    void givesUpOnAnUnreachableKafkaAfterTheStartupTimeoutWithAClearError() {
        TestDatabase database = TestPostgres.shared().newDatabase();
        int closedPort = FreePorts.next();
        try (ServiceProcess process = ServiceProcess.start(Map.of(), "--db-url", database.url(),
                "--db-user", database.user(), "--source", "kafka",
                "--kafka-bootstrap-servers", "127.0.0.1:" + closedPort, "--startup-timeout", "3s", "--http-port", "0")) {
            assertThat(process.awaitExit(60)).isEqualTo(1);
            assertThat(process.output()).contains("orders: could not run: Kafka at 127.0.0.1:" + closedPort
                    + " did not answer within 3 s").doesNotContain("\tat ");
        }
    }
}
