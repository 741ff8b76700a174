package dev.orders.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Where the Kafka cluster and topic are, and client settings passed through; shared by the service and publisher. */
final class KafkaOptions {
    @Option(names = "--kafka-bootstrap-servers", paramLabel = "HOST:PORT,…",
            defaultValue = "${env:ORDERS_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers; unset starts an in-process broker (ORDERS_KAFKA_BOOTSTRAP_SERVERS)")
    String bootstrapServers;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", defaultValue = "${env:ORDERS_KAFKA_TOPIC:-orders}",
            description = "Kafka topic (ORDERS_KAFKA_TOPIC, default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:ORDERS_KAFKA_CONFIG}",
            description = "A .properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, …) "
                    + "passed through to the clients (ORDERS_KAFKA_CONFIG)")
    Path configFile;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting passed through; repeatable, and wins over --kafka-config")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The pass-through client settings: the file's, then the flags'. */
    Map<String, String> clientProperties(CommandLine commandLine) {
        Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null && !configFile.toString().isBlank()) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(commandLine,
                        "--kafka-config (ORDERS_KAFKA_CONFIG): cannot read " + configFile + ": " + e.getMessage());
            }
            file.stringPropertyNames().forEach(name -> all.put(name, file.getProperty(name)));
        }
        all.putAll(properties);
        return all;
    }

    void validate(CommandLine commandLine) {
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--kafka-topic (ORDERS_KAFKA_TOPIC) must be 1-249 letters, digits, '.', '_' or '-', got '" + topic + "'");
        }
        if (bootstrapServers != null && !bootstrapServers.isBlank()
                && !bootstrapServers.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--kafka-bootstrap-servers (ORDERS_KAFKA_BOOTSTRAP_SERVERS) must look like host:9092,host2:9092, got '"
                            + bootstrapServers + "'");
        }
    }

    boolean hasBootstrapServers() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }
}
