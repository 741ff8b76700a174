package dev.orders.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, on a fixed port and data directory so that it can be stopped and started
 * again like a database that goes down. {@link #shared()} serves tests that only need a fresh database.
 */
public final class TestPostgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final Path dataDirectory;
    private final int port;
    private final boolean durable;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDirectory, int port, boolean durable) throws IOException {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.durable = durable;
        start();
    }

    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = create();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static TestPostgres create() {
        return create(false);
    }

    /**
     * A server that keeps every commit it confirmed through a crash, as production servers do. The embedded server's
     * defaults trade that away for speed: with synchronous_commit off, a killed server forgets its last commits.
     */
    public static TestPostgres createDurable() {
        return create(true);
    }

    private static TestPostgres create(boolean durable) {
        try {
            return new TestPostgres(Files.createTempDirectory("orders-test-pg"), FreePorts.next(), durable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (durable) {
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        server = builder
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    /** Stops the server as an outage would; clients see refused connections until {@link #start()}. */
    public synchronized void stop() throws IOException {
        server.close();
    }

    /**
     * Kills the server with SIGKILL, as a crashed host or the OOM killer would, and waits until all its processes are
     * gone; {@link #start()} then runs PostgreSQL's crash recovery.
     */
    public synchronized void kill() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("no PostgreSQL process " + pid));
        List<ProcessHandle> processes = new ArrayList<>(postmaster.descendants().toList());
        processes.add(postmaster);
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        // Releases the embedded server's lock on the data directory; its "pg_ctl stop" finds nothing to stop.
        server.close();
    }

    /** A new, empty database on this server. */
    public TestDatabase newDatabase() {
        String name = "orders_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(url(name), "postgres", "");
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public synchronized void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
