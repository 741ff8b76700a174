package dev.orders.cli;

import picocli.CommandLine.Option;

/** Which broker orders come from or go to; shared by the service and the publisher. */
final class SourceOption {
    @Option(names = "--source", paramLabel = "jetstream|kafka", defaultValue = "${env:ORDERS_SOURCE:-jetstream}",
            description = "The broker: jetstream or kafka (ORDERS_SOURCE, default ${DEFAULT-VALUE})")
    Source value;
}
