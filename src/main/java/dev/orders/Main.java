package dev.orders;

import dev.orders.cli.ServeCommand;
import io.helidon.logging.common.LogConfig;
import picocli.CommandLine;

/** Entry point: {@code orders} runs the service, {@code orders publish} sends orders to it. */
public final class Main {
    private static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";

    private Main() {
    }

    public static void main(String[] args) {
        sendJavaUtilLoggingToSlf4j();
        keepTwoVirtualThreadCarriers();
        System.exit(commandLine().execute(args));
    }

    /**
     * Helidon logs through java.util.logging. Its logging set-up, which hands that to SLF4J
     * ({@link dev.orders.http.Slf4jLogging}), runs when Helidon's LogConfig is first touched, as Helidon's own main
     * does; without it Helidon's warnings were written in java.util.logging's format, also among JSON log lines.
     */
    static void sendJavaUtilLoggingToSlf4j() {
        LogConfig.configureRuntime();
    }

    /**
     * A JVM that sees one CPU (a one-CPU container, or the benchmarks' pinned server) runs virtual threads on one
     * carrier thread, and under load single connections then waited 100-430 ms while the carrier served the others.
     * With two carriers on the same CPU those stalls were gone, at the same CPU time per request (docs/PERFORMANCE.md).
     * It must be set before the first virtual thread starts; a setting given on the command line wins.
     */
    private static void keepTwoVirtualThreadCarriers() {
        if (System.getProperty(CARRIERS) == null && Runtime.getRuntime().availableProcessors() < 2) {
            System.setProperty(CARRIERS, "2");
        }
    }

    /** The command line with its error handling: one line naming what is wrong, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ServeCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, command, parseResult) -> {
            command.getErr().println(command.getCommandName() + ": could not run: " + describe(e));
            return 1;
        });
        return commandLine;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
