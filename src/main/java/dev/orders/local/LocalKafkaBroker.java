package dev.orders.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, listening on loopback
 * only. For the one-command start on a machine without nats-server, and for the tests.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final int port;

    private LocalKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Formats {@code dataDirectory} on first use, then starts the broker on free loopback ports. */
    public static LocalKafkaBroker start(Path dataDirectory) throws IOException {
        int[] ports = LoopbackPorts.free(2);
        return start(dataDirectory, ports[0], ports[1]);
    }

    /** Formats {@code dataDirectory} on first use, then starts the broker on the given loopback ports. */
    public static LocalKafkaBroker start(Path dataDirectory, int brokerPort, int controllerPort) throws IOException {
        Files.createDirectories(dataDirectory);
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("log.dirs", dataDirectory.toAbsolutePath().toString());
        // One node: the internal topics can have no more than one replica, or no consumer group ever gets a coordinator.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "4");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("num.partitions", "4");
        // The default dedupe buffer takes 128 MiB of heap; nothing here is compacted at that scale.
        properties.put("log.cleaner.dedupe.buffer.size", "2097152");
        Path config = dataDirectory.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "written by Orders for its in-process broker");
        }
        if (!Files.exists(dataDirectory.resolve("meta.properties"))) {
            format(config);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();
        return new LocalKafkaBroker(server, brokerPort);
    }

    private static void format(Path config) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IOException("could not format the Kafka log directory: " + output.toString(StandardCharsets.UTF_8));
        }
    }


    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
