package dev.orders.config;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The logging the service sets up for itself, written by a context of its own to a captured standard output. */
class LogConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesReadableLinesAtInfoByDefault() {
        String output = logged(null, null, context -> {
            context.getLogger("dev.orders.Example").info("Committed {} messages", 3);
            context.getLogger("dev.orders.Example").debug("not written");
        });
        assertThat(output).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Example - Committed 3 messages\\R");
    }

    @Test
    void writesOneJsonObjectPerLineWhenAsked() throws Exception {
        String output = logged("json", null, context -> context.getLogger("dev.orders.Example").warn("Rejected {}", "x"));
        JsonNode line = JSON.readTree(output);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("Rejected x");
        assertThat(line.has("arguments")).isFalse();
    }

    @Test
    void readsTheFormatWhateverItsCase() {
        String output = logged(" JSON ", null, context -> context.getLogger("dev.orders.Example").info("started"));
        assertThat(output).startsWith("{");
    }

    @Test
    void logsAtTheLevelAsked() {
        String output = logged(null, "debug", context -> context.getLogger("dev.orders.Example").debug("details"));
        assertThat(output).contains("DEBUG Example - details");
    }

    @Test
    void keepsChattyLibrariesAtWarnings() {
        String output = logged(null, "debug", context -> {
            context.getLogger("com.zaxxer.hikari.pool.HikariPool").info("pool filled");
            context.getLogger("org.apache.kafka.clients.NetworkClient").warn("connection refused");
        });
        assertThat(output).isEmpty();
    }

    @Test
    void namesAnUnknownFormatAndWritesText() {
        String output = logged("xml", null, context -> context.getLogger("dev.orders.Example").info("started"));
        assertThat(output).contains("WARN  LogConfiguration - ORDERS_LOG_FORMAT must be text or json, got 'xml'")
                .contains("INFO  Example - started");
    }

    @Test
    void namesAnUnknownLevelAndLogsAtInfo() {
        String output = logged(null, "loud", context -> {
            context.getLogger("dev.orders.Example").info("started");
            context.getLogger("dev.orders.Example").debug("not written");
        });
        assertThat(output).contains("ORDERS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR or OFF, got 'loud'")
                .contains("INFO  Example - started").doesNotContain("not written");
    }

    @Test
    void leavesTheSetUpToAFileNamedOnTheCommandLine() {
        // The build's test runs name the tests' logback-test.xml this way.
        assertThat(System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY)).isNotNull();
        LoggerContext context = new LoggerContext();
        LogConfiguration configuration = new LogConfiguration();
        configuration.setContext(context);
        assertThat(configuration.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger("ROOT").iteratorForAppenders().hasNext()).isFalse();
        assertThat(context.getLogger("ROOT").getLevel()).isEqualTo(Level.DEBUG);
    }

    /** What a context set up for these variables' values writes while {@code logging} runs. */
    private static String logged(String format, String level, Consumer<LoggerContext> logging) {
        PrintStream standardOutput = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogConfiguration.configure(context, format, level);
            logging.accept(context);
        } finally {
            context.stop();
            System.setOut(standardOutput);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
