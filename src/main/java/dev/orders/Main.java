package dev.orders;

import dev.orders.cli.ServeCommand;
import picocli.CommandLine;

/** Entry point: {@code orders} runs the service, {@code orders publish} sends orders to it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
