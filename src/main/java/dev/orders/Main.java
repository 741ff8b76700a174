package dev.orders;

import dev.orders.cli.ServeCommand;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/** Entry point: {@code orders} runs the service, {@code orders publish} sends orders to it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine commandLine = new CommandLine(new ServeCommand());
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
        System.exit(commandLine.execute(args));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
