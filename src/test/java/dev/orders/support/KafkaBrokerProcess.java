package dev.orders.support;

import dev.orders.local.LocalKafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A Kafka broker in a JVM of its own, on fixed ports and a fixed log directory, so that a test can stop it and start
 * it again as an outage of a real cluster would, while the service under test keeps running.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dataDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final Path output;
    private Process process;

    private KafkaBrokerProcess(Path dataDirectory, int brokerPort, int controllerPort, Path output) {
        this.dataDirectory = dataDirectory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.output = output;
    }

    static KafkaBrokerProcess start() {
        try {
            KafkaBrokerProcess broker = new KafkaBrokerProcess(Files.createTempDirectory("orders-test-kafka-process"),
                    FreePorts.next(), FreePorts.next(), Files.createTempFile("orders-kafka-process", ".log"));
            broker.startProcess();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    void startProcess() {
        try {
            process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), KafkaBrokerProcess.class.getName(),
                    dataDirectory.toString(), String.valueOf(brokerPort), String.valueOf(controllerPort)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Eventually.await("the Kafka broker process listens", Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the Kafka broker process exited; see " + output);
            }
            return listening();
        });
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, as a rolling restart does; the broker shuts down in order and its log stays for {@link #startProcess()}. */
    void stopProcess() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Runs the broker until the JVM is told to stop. */
    public static void main(String[] arguments) throws IOException, InterruptedException {
        LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(arguments[0]), Integer.parseInt(arguments[1]),
                Integer.parseInt(arguments[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
