package dev.orders.support;

import dev.orders.config.ServiceConfig;
import dev.orders.ingest.JetStreamSetup;
import dev.orders.local.LocalNatsServer;
import dev.orders.store.BrokerPosition;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A real nats-server with JetStream on a random loopback port and its own store, plus a client to publish. */
public final class TestNats implements TestBroker {
    public static final String STREAM = "ORDERS";
    public static final String SUBJECT = "orders";
    public static final String DURABLE = "orders-service";

    private final Path storeDirectory;
    private final int port;
    private LocalNatsServer server;
    private final Connection client;
    private final JetStream jetStream;
    private final AtomicLong published = new AtomicLong();

    private TestNats(Path storeDirectory, LocalNatsServer server, Connection client) throws IOException {
        this.storeDirectory = storeDirectory;
        this.port = server.port();
        this.server = server;
        this.client = client;
        this.jetStream = client.jetStream();
    }

    public static TestNats start() {
        try {
            Path storeDirectory = Files.createTempDirectory("orders-test-nats");
            LocalNatsServer server = LocalNatsServer.start(executable(), storeDirectory, 0);
            Connection client = Nats.connect(new Options.Builder().server(server.url()).maxReconnects(-1).build());
            JetStreamSetup.ensureStream(client.jetStreamManagement(), STREAM, SUBJECT, true);
            return new TestNats(storeDirectory, server, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path executable() {
        return LocalNatsServer.findExecutable().orElseThrow(
                () -> new IllegalStateException("nats-server is not installed; .ci/run installs it"));
    }

    @Override
    public void stopServer() {
        server.close();
    }

    /** Starts the server again on the same port with the same store, and waits for the test client to reconnect. */
    @Override
    public void restartServer() {
        try {
            server = LocalNatsServer.start(executable(), storeDirectory, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Eventually.await("the test client has reconnected", () -> client.getStatus() == Connection.Status.CONNECTED);
    }

    public String url() {
        return server.url();
    }

    @Override
    public ServiceConfig.SourceConfig sourceConfig() {
        return new ServiceConfig.NatsConfig(url(), STREAM, SUBJECT, DURABLE, true);
    }

    @Override
    public BrokerPosition publish(byte[] payload) {
        try {
            published.incrementAndGet();
            return new BrokerPosition("jetstream", STREAM, 0, jetStream.publish(SUBJECT, payload).getSeqno());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void publishAll(List<String> payloads) {
        try {
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            for (String payload : payloads) {
                published.incrementAndGet();
                acks.add(jetStream.publishAsync(SUBJECT, payload.getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    @Override
    public CompletableFuture<BrokerPosition> publishAsync(byte[] payload) {
        published.incrementAndGet();
        return jetStream.publishAsync(SUBJECT, payload)
                .thenApply(ack -> new BrokerPosition("jetstream", STREAM, 0, ack.getSeqno()));
    }

    @Override
    public long published() {
        return published.get();
    }

    @Override
    public long acknowledged() {
        return consumer().getAckFloor().getStreamSequence();
    }

    /** The service's durable consumer as the server sees it: what is acknowledged and what is pending. */
    public ConsumerInfo consumer() {
        try {
            return client.jetStreamManagement().getConsumerInfo(STREAM, DURABLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
