package dev.orders.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Sends orders to the broker to watch the service take them live: the sample, files, or generated ones. */
@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Publishes orders to NATS JetStream or Kafka. Without --file or --count it sends the sample order.")
public final class PublishCommand implements Callable<Integer> {
    private static final int IN_FLIGHT = 1_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nats-url", paramLabel = "URL", defaultValue = "${env:ORDERS_NATS_URL:-nats://127.0.0.1:4222}",
            description = "NATS server URL (ORDERS_NATS_URL, default ${DEFAULT-VALUE})")
    String natsUrl;

    @CommandLine.Mixin
    SourceOption source;

    @CommandLine.Mixin
    StreamOptions stream;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--file", paramLabel = "PATH",
            description = "A JSON file, or a directory whose *.json files are sent, each as one message")
    Path file;

    @Option(names = "--count", paramLabel = "N", description = "Generate and send N orders")
    Integer count;

    @Option(names = "--invalid-fraction", paramLabel = "F", defaultValue = "0",
            description = "With --count: the fraction of generated orders that are invalid, 0 to 1 (default ${DEFAULT-VALUE})")
    double invalidFraction;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Send at most this many messages per second")
    Double rate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed for generated orders (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        validate();
        List<byte[]> messages = new ArrayList<>();
        int invalid = 0;
        if (file != null) {
            messages.addAll(readFiles(file));
        } else if (count != null) {
            OrderGenerator generator = new OrderGenerator(seed);
            java.util.Random choice = new java.util.Random(seed + 1);
            for (int i = 0; i < count; i++) {
                if (choice.nextDouble() < invalidFraction) {
                    messages.add(generator.invalidOrder().payload());
                    invalid++;
                } else {
                    messages.add(generator.validOrder().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } else {
            messages.add(sampleOrder());
        }
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        int failed = publish(messages);
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("Sent %d messages (%d generated invalid) to %s in %.2f s (%.0f msg/s); %d failed%n",
                messages.size() - failed, invalid, source.value == Source.KAFKA ? "Kafka topic " + kafka.topic
                        : "NATS subject " + stream.subject, seconds, messages.size() / Math.max(seconds, 1e-9),
                failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private void validate() {
        stream.validate(spec.commandLine());
        kafka.validate(spec.commandLine());
        if (file != null && count != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--file and --count cannot be used together");
        }
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
        }
        if (invalidFraction < 0 || invalidFraction > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--invalid-fraction must be from 0 to 1, got " + invalidFraction);
        }
        if (rate != null && !(rate > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be more than 0, got " + rate);
        }
        if (file != null && !Files.exists(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--file " + file + " does not exist");
        }
    }

    private static List<byte[]> readFiles(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(Files.readAllBytes(path));
        }
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path json : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                contents.add(Files.readAllBytes(json));
            }
        }
        return contents;
    }

    static byte[] sampleOrder() throws IOException {
        try (InputStream sample = PublishCommand.class.getResourceAsStream("/sample-order.json")) {
            return sample.readAllBytes();
        }
    }

    private Publisher publisher() throws Exception {
        return switch (source.value) {
            case JETSTREAM -> Publisher.jetStream(natsUrl, stream.name, stream.subject);
            case KAFKA -> Publisher.kafka(kafka.hasBootstrapServers() ? kafka.bootstrapServers : "127.0.0.1:9092",
                    kafka.topic, kafka.clientProperties(spec.commandLine()));
        };
    }

    /** Publishes with a window of acknowledgements in flight; returns how many were not acknowledged. */
    private int publish(List<byte[]> messages) throws Exception {
        try (Publisher publisher = publisher()) {
            List<CompletableFuture<?>> window = new ArrayList<>();
            long started = System.nanoTime();
            int failed = 0;
            for (int i = 0; i < messages.size(); i++) {
                if (rate != null) {
                    long due = started + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
                window.add(publisher.send(messages.get(i)));
                if (window.size() >= IN_FLIGHT) {
                    failed += awaitAll(window);
                }
            }
            return failed + awaitAll(window);
        }
    }

    private int awaitAll(List<CompletableFuture<?>> window) throws InterruptedException {
        int failed = 0;
        for (CompletableFuture<?> ack : window) {
            try {
                ack.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                spec.commandLine().getErr().println("publish failed: " + e.getCause().getMessage());
            }
        }
        window.clear();
        return failed;
    }
}
