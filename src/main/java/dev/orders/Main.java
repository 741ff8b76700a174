package dev.orders;

import dev.orders.cli.ServeCommand;
import io.helidon.logging.common.LogConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.Arrays;
import java.util.List;

/** Entry point: {@code orders} runs the service, {@code orders publish} sends orders to it. */
public final class Main {
    private static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";

    private Main() {
    }

    public static void main(String[] args) {
        sendJavaUtilLoggingToSlf4j();
        keepTwoVirtualThreadCarriers();
        System.exit(run(args));
    }

    /**
     * Runs what the command line asks for. A line that names no subcommand runs the service, and is first given to the
     * service's command alone: picocli builds every subcommand's model by reflection when it builds the command line,
     * 180 ms of each service start on a slow machine (docs/PERFORMANCE.md, start-up, session 38). Whatever that command
     * does not take, help or a mistake, goes to the whole command line, which answers as it always did.
     */
    static int run(String... args) {
        if (!namesASubcommand(args)) {
            CommandLine service = withErrorHandling(new CommandLine(new ServeCommand()));
            if (takes(service, args)) {
                // execute parses the line again, a millisecond's work, so that its handlers report what the run throws.
                return service.execute(args);
            }
        }
        return commandLine().execute(args);
    }

    private static boolean namesASubcommand(String[] args) {
        List<String> arguments = Arrays.asList(args);
        return ServeCommand.SUBCOMMANDS.stream()
                .anyMatch(command -> arguments.contains(command.getAnnotation(Command.class).name()));
    }

    private static boolean takes(CommandLine command, String[] args) {
        try {
            ParseResult parsed = command.parseArgs(args);
            return !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested();
        } catch (ParameterException e) {
            return false;
        }
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

    /** The whole command line, the service's command and its subcommands. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ServeCommand());
        ServeCommand.SUBCOMMANDS.forEach(commandLine::addSubcommand);
        return withErrorHandling(commandLine);
    }

    /**
     * Error handling: one line naming what is wrong, never a stack trace. picocli's setters reach the subcommands
     * registered when they are called, so this comes after them.
     */
    private static CommandLine withErrorHandling(CommandLine commandLine) {
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
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
