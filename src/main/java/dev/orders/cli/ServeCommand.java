package dev.orders.cli;

import dev.orders.OrdersService;
import dev.orders.config.ServiceConfig;
import dev.orders.http.HttpApi;
import dev.orders.local.EmbeddedDatabase;
import dev.orders.local.LocalKafkaBroker;
import dev.orders.local.LocalNatsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the service. Every setting is an environment variable with a matching flag. Without a database URL it
 * starts an embedded PostgreSQL; without a broker address it starts a local nats-server (or, when none is
 * installed, an in-process Kafka broker) and publishes the sample order.
 */
@Command(name = "orders", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Takes orders from NATS JetStream or Kafka, stores them in PostgreSQL, serves them over HTTP.%n"
                + "Each option can also be set by the environment variable named in its description.")
public final class ServeCommand implements Callable<Integer> {
    /**
     * The commands besides this one, in the order its help lists them; {@link dev.orders.Main} adds them only where
     * the command line needs them.
     */
    public static final List<Class<?>> SUBCOMMANDS = List.of(PublishCommand.class, RejectedCommand.class);
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    private static final String SAMPLE_UID = "b563feb7b2b84b6test";
    private static final long MIB = 1024 * 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:ORDERS_HTTP_PORT:-8080}",
            description = "HTTP port, 0 for any free one (ORDERS_HTTP_PORT, default ${DEFAULT-VALUE})")
    int httpPort;

    @CommandLine.Mixin
    DatabaseOptions db;

    @Option(names = "--db-pool-size", paramLabel = "N", defaultValue = "${env:ORDERS_DB_POOL_SIZE:-8}",
            description = "PostgreSQL connections at most (ORDERS_DB_POOL_SIZE, default ${DEFAULT-VALUE})")
    int dbPoolSize;

    @Option(names = "--nats-url", paramLabel = "URL", defaultValue = "${env:ORDERS_NATS_URL}",
            description = "NATS server URL, e.g. nats://nats:4222; unset starts a local nats-server (ORDERS_NATS_URL)")
    String natsUrl;

    @CommandLine.Mixin
    SourceOption source;

    @CommandLine.Mixin
    StreamOptions stream;

    @Option(names = "--nats-durable", paramLabel = "NAME",
            defaultValue = "${env:ORDERS_NATS_DURABLE:-orders-service}",
            description = "Durable consumer name, shared by all instances (ORDERS_NATS_DURABLE, default ${DEFAULT-VALUE})")
    String natsDurable;

    @Option(names = "--nats-create", paramLabel = "true|false", defaultValue = "${env:ORDERS_NATS_CREATE:-true}",
            arity = "1", description = "Create the stream and consumer when absent (ORDERS_NATS_CREATE, default ${DEFAULT-VALUE})")
    String natsCreate;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--kafka-group-id", paramLabel = "ID", defaultValue = "${env:ORDERS_KAFKA_GROUP_ID:-orders-service}",
            description = "Kafka consumer group, shared by all instances (ORDERS_KAFKA_GROUP_ID, default ${DEFAULT-VALUE})")
    String kafkaGroupId;

    @Option(names = "--kafka-partitions", paramLabel = "N", defaultValue = "${env:ORDERS_KAFKA_PARTITIONS:-4}",
            description = "Partitions of the topic when it is created; 0 never creates it (ORDERS_KAFKA_PARTITIONS, default ${DEFAULT-VALUE})")
    int kafkaPartitions;

    @Option(names = "--cache-bytes", paramLabel = "SIZE", defaultValue = "${env:ORDERS_CACHE_BYTES:-256MiB}",
            converter = SettingConverters.Bytes.class,
            description = "Memory budget of the order cache, e.g. 256MiB (ORDERS_CACHE_BYTES, default ${DEFAULT-VALUE})")
    long cacheBytes;

    @Option(names = "--max-payload-bytes", paramLabel = "SIZE",
            defaultValue = "${env:ORDERS_MAX_PAYLOAD_BYTES:-1MiB}", converter = SettingConverters.Bytes.class,
            description = "Larger messages are rejected as too_large (ORDERS_MAX_PAYLOAD_BYTES, default ${DEFAULT-VALUE})")
    long maxPayloadBytes;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "${env:ORDERS_BATCH_SIZE:-2000}",
            description = "Messages committed per transaction at most (ORDERS_BATCH_SIZE, default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--startup-timeout", paramLabel = "DURATION",
            defaultValue = "${env:ORDERS_STARTUP_TIMEOUT:-30s}", converter = SettingConverters.Time.class,
            description = "How long to wait for PostgreSQL and NATS at start (ORDERS_STARTUP_TIMEOUT, default ${DEFAULT-VALUE})")
    Duration startupTimeout;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:ORDERS_DATA_DIR:-.orders-data}",
            description = "Where the embedded PostgreSQL and local nats-server keep their data (ORDERS_DATA_DIR, default ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        validate();
        HttpApi.requirePortFree(httpPort);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());

        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            ServiceConfig.DatabaseConfig database = database(started);
            Broker broker = source.value == Source.KAFKA ? kafkaBroker(started) : jetStreamBroker(started);
            ServiceConfig config = new ServiceConfig(database, broker.config(), httpPort, cacheBytes,
                    (int) maxPayloadBytes, batchSize, startupTimeout);
            OrdersService service = OrdersService.start(config);
            started.push(service);
            if (broker.startedHere()) {
                try (Publisher publisher = broker.publisher()) {
                    publisher.send(PublishCommand.sampleOrder()).get();
                }
                awaitSampleStored(service);
                System.out.printf("%nOrders is running at http://localhost:%d/ with %s%n"
                                + "Try:  curl http://localhost:%d/api/orders/" + SAMPLE_UID + "%n"
                                + "Send more:  ./orders publish %s --count 100 --invalid-fraction 0.1%n"
                                + "Press Ctrl+C to stop.%n%n",
                        service.httpPort(), broker.description(), service.httpPort(), broker.publishFlags());
            }
            stop.await();
            return 0;
        } finally {
            closeAll(started);
        }
    }

    /** So that the curl printed next answers 200 at once (a new Kafka consumer group takes a moment to start). */
    private static void awaitSampleStored(OrdersService service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.cache().get(SAMPLE_UID).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /**
     * The broker to read from, started here when none is configured.
     *
     * @param publishFlags what {@code orders publish} needs to reach it
     */
    private record Broker(ServiceConfig.SourceConfig config, boolean startedHere, String description,
                          String publishFlags, Callable<Publisher> publishers) {
        Publisher publisher() throws Exception {
            return publishers.call();
        }
    }

    private ServiceConfig.DatabaseConfig database(Deque<AutoCloseable> started) throws IOException {
        if (db.hasUrl()) {
            return new ServiceConfig.DatabaseConfig(db.url, db.user, db.password, dbPoolSize);
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start(dataDir.resolve("postgres"), 0);
        started.push(embedded);
        log.info("Started embedded PostgreSQL on port {} with data in {}", embedded.port(),
                dataDir.resolve("postgres").toAbsolutePath());
        return new ServiceConfig.DatabaseConfig(embedded.jdbcUrl(), embedded.user(), "", dbPoolSize);
    }

    private Broker jetStreamBroker(Deque<AutoCloseable> started) throws IOException {
        String url = natsUrl;
        boolean startedHere = isBlank(url);
        if (startedHere) {
            Optional<Path> executable = LocalNatsServer.findExecutable();
            if (executable.isEmpty()) {
                log.info("No nats-server is installed and no --nats-url is set: using an in-process Kafka broker");
                return kafkaBroker(started);
            }
            LocalNatsServer server = LocalNatsServer.start(executable.get(), dataDir.resolve("nats"), 0);
            started.push(server);
            url = server.url();
            log.info("Started nats-server at {} with data in {}", url, dataDir.resolve("nats").toAbsolutePath());
        }
        String connectTo = url;
        return new Broker(new ServiceConfig.NatsConfig(url, stream.name, stream.subject, natsDurable,
                Boolean.parseBoolean(natsCreate)), startedHere, "NATS JetStream at " + url,
                "--nats-url " + url, () -> Publisher.jetStream(connectTo, stream.name, stream.subject));
    }

    private Broker kafkaBroker(Deque<AutoCloseable> started) throws IOException {
        String bootstrap = kafka.bootstrapServers;
        boolean startedHere = !kafka.hasBootstrapServers();
        if (startedHere) {
            LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir.resolve("kafka"));
            started.push(broker);
            bootstrap = broker.bootstrapServers();
            log.info("Started an in-process Kafka broker at {} with data in {}", bootstrap,
                    dataDir.resolve("kafka").toAbsolutePath());
        }
        Map<String, String> clientProperties = kafka.clientProperties(spec.commandLine());
        String servers = bootstrap;
        return new Broker(new ServiceConfig.KafkaConfig(bootstrap, kafka.topic, kafkaGroupId, kafkaPartitions,
                clientProperties), startedHere, "Kafka at " + bootstrap,
                "--source kafka --kafka-bootstrap-servers " + bootstrap,
                () -> Publisher.kafka(servers, kafka.topic, clientProperties));
    }

    private void validate() {
        require(httpPort >= 0 && httpPort <= 65_535, "--http-port (ORDERS_HTTP_PORT) must be 0-65535, got " + httpPort);
        require(!db.hasUrl() || db.isPostgresql(),
                "--db-url (ORDERS_DB_URL) must start with jdbc:postgresql:, got '" + db.url + "'");
        require(dbPoolSize >= 1 && dbPoolSize <= 200, "--db-pool-size (ORDERS_DB_POOL_SIZE) must be 1-200, got " + dbPoolSize);
        require(isBlank(natsUrl) || natsUrl.matches("(nats|tls|ws|wss)://.+"),
                "--nats-url (ORDERS_NATS_URL) must look like nats://host:4222, got '" + natsUrl + "'");
        stream.validate(spec.commandLine());
        kafka.validate(spec.commandLine());
        require(!kafkaGroupId.isBlank() && kafkaGroupId.length() <= 255,
                "--kafka-group-id (ORDERS_KAFKA_GROUP_ID) must be 1-255 characters");
        require(kafkaPartitions >= 0 && kafkaPartitions <= 10_000,
                "--kafka-partitions (ORDERS_KAFKA_PARTITIONS) must be 0-10000, got " + kafkaPartitions);
        require(natsDurable.matches("[A-Za-z0-9_-]{1,255}"),
                "--nats-durable (ORDERS_NATS_DURABLE) must be letters, digits, _ or -, got '" + natsDurable + "'");
        require(natsCreate.equals("true") || natsCreate.equals("false"),
                "--nats-create (ORDERS_NATS_CREATE) must be true or false, got '" + natsCreate + "'");
        require(cacheBytes >= MIB, "--cache-bytes (ORDERS_CACHE_BYTES) must be at least 1MiB, got " + cacheBytes);
        // A full cache holds about its budget in heap; the last quarter is for the batches in hand, the HTTP server and
        // the collector's room to work. A budget the heap cannot hold ends in running out of memory, not in an error.
        long heap = Runtime.getRuntime().maxMemory();
        long cacheLimit = heap / 4 * 3;
        require(cacheBytes <= cacheLimit, "--cache-bytes (ORDERS_CACHE_BYTES) must fit in three quarters of the heap, "
                + cacheLimit / MIB + "MiB of " + heap / MIB + "MiB here, got " + cacheBytes / MIB
                + "MiB; give the JVM more heap (./orders: ORDERS_HEAP=4g) or the cache less");
        require(maxPayloadBytes >= 1024 && maxPayloadBytes <= 64 * MIB,
                "--max-payload-bytes (ORDERS_MAX_PAYLOAD_BYTES) must be 1KiB-64MiB, got " + maxPayloadBytes);
        require(batchSize >= 1 && batchSize <= 10_000, "--batch-size (ORDERS_BATCH_SIZE) must be 1-10000, got " + batchSize);
        require(!startupTimeout.isZero(), "--startup-timeout (ORDERS_STARTUP_TIMEOUT) must be more than 0");
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", e.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
