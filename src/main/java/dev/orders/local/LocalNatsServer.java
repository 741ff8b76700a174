package dev.orders.local;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code nats-server} child process with JetStream, listening on loopback only, storing in its own directory.
 * Used by the one-command start and by the tests.
 */
public final class LocalNatsServer implements AutoCloseable {
    private static final List<String> USUAL_PLACES = List.of("/usr/sbin", "/usr/local/bin", "/usr/bin");

    private final Process process;
    private final int port;

    private LocalNatsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The nats-server executable on PATH (or where Debian puts it), if installed. */
    public static Optional<Path> findExecutable() {
        List<String> places = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            places.addAll(List.of(path.split(File.pathSeparator)));
        }
        places.addAll(USUAL_PLACES);
        return places.stream().map(dir -> Path.of(dir, "nats-server")).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the server on {@code port} (0 picks a free one) and waits until it accepts connections.
     */
    public static LocalNatsServer start(Path executable, Path storeDirectory, int port) throws IOException {
        Files.createDirectories(storeDirectory);
        int chosen = port == 0 ? LoopbackPorts.free() : port;
        Process process = new ProcessBuilder(executable.toString(), "-a", "127.0.0.1", "-p", String.valueOf(chosen),
                "-js", "-sd", storeDirectory.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(storeDirectory.resolve("nats-server.log").toFile())
                .start();
        LocalNatsServer server = new LocalNatsServer(process, chosen);
        try {
            server.awaitListening(Duration.ofSeconds(10));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }


    private void awaitListening(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited with code " + process.exitValue() + " at start");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IOException("nats-server did not listen on port " + port + " within " + timeout.toSeconds() + " s");
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for nats-server", e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the server gracefully (SIGTERM), or forcibly after five seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
