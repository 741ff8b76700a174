package dev.orders.config;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service's logging, set up in code: Logback finds this class through {@code META-INF/services} before it looks
 * for an XML file. Parsing a {@code logback.xml} took 70-80 ms of the main thread's start, before the command line
 * could start the migration (docs/performance-log.md, start-up, session 18). A file named by
 * {@code -Dlogback.configurationFile} still wins, for whoever needs another set-up, and the tests' quieter one.
 *
 * <p>{@code ORDERS_LOG_FORMAT}: {@code text} (readable lines, the default) or {@code json} (one object a line);
 * {@code ORDERS_LOG_LEVEL}: the root level, {@code INFO} by default. A value that is neither is reported in the log
 * and the default is used.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    private static final String FORMAT_VARIABLE = "ORDERS_LOG_FORMAT";
    private static final String LEVEL_VARIABLE = "ORDERS_LOG_LEVEL";

    /** Libraries that log every connection attempt or state change at INFO. */
    private static final Map<String, Level> QUIETER = Map.of(
            "io.zonky", Level.WARN,
            "org.flywaydb", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "io.helidon", Level.WARN,
            "org.apache.kafka", Level.WARN,
            "org.apache.kafka.clients.NetworkClient", Level.ERROR,
            "kafka", Level.WARN,
            "state.change.logger", Level.WARN,
            "org.apache.kafka.controller.QuorumController", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // Levels set here reach java.util.logging's loggers too (Helidon's, through SLF4J), so that they do not build
        // records that Logback then drops.
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);
        configure(context, System.getenv(FORMAT_VARIABLE), System.getenv(LEVEL_VARIABLE));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up the context's appender and levels for the given variables' values (null when unset). */
    static void configure(LoggerContext context, String format, String level) {
        List<String> problems = new ArrayList<>();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder(context, format, problems));
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(level, problems));
        root.addAppender(console);
        QUIETER.forEach((name, quieter) -> context.getLogger(name).setLevel(quieter));
        Logger own = context.getLogger(LogConfiguration.class);
        problems.forEach(own::warn);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format, List<String> problems) {
        String chosen = format == null || format.isBlank() ? "text" : format.strip().toLowerCase(Locale.ROOT);
        if (chosen.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            json.setWithMDC(false);
            json.start();
            return json;
        }
        if (!chosen.equals("text")) {
            problems.add(FORMAT_VARIABLE + " must be text or json, got '" + format + "'; writing text");
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        text.start();
        return text;
    }

    private static Level rootLevel(String level, List<String> problems) {
        if (level == null || level.isBlank()) {
            return Level.INFO;
        }
        Level parsed = Level.toLevel(level.strip(), null);
        if (parsed == null) {
            problems.add(LEVEL_VARIABLE + " must be one of TRACE, DEBUG, INFO, WARN, ERROR or OFF, got '" + level
                    + "'; logging at INFO");
            return Level.INFO;
        }
        return parsed;
    }
}
