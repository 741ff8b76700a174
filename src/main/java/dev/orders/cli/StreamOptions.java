package dev.orders.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The JetStream stream and subject, the same for the service and the publisher. */
final class StreamOptions {
    @Option(names = "--nats-stream", paramLabel = "NAME", defaultValue = "${env:ORDERS_NATS_STREAM:-ORDERS}",
            description = "JetStream stream, created when absent (ORDERS_NATS_STREAM, default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--nats-subject", paramLabel = "SUBJECT", defaultValue = "${env:ORDERS_NATS_SUBJECT:-orders}",
            description = "Subject orders are published on (ORDERS_NATS_SUBJECT, default ${DEFAULT-VALUE})")
    String subject;

    void validate(CommandLine commandLine) {
        if (!name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--nats-stream (ORDERS_NATS_STREAM) must be letters, digits, _ or -, got '" + name + "'");
        }
        if (!subject.matches("[^\\s*>]+")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--nats-subject (ORDERS_NATS_SUBJECT) must be a subject without spaces or wildcards, got '"
                            + subject + "'");
        }
    }
}
