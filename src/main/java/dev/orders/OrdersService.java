package dev.orders;

import dev.orders.cache.OrderCache;
import dev.orders.config.ServiceConfig;
import dev.orders.feed.OrderFeed;
import dev.orders.http.HttpApi;
import dev.orders.ingest.IngestMetrics;
import dev.orders.ingest.IngestPipeline;
import dev.orders.ingest.JetStreamSource;
import dev.orders.ingest.MessageJudge;
import dev.orders.ingest.KafkaSource;
import dev.orders.ingest.MessageSource;
import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.store.ActivityQueries;
import dev.orders.store.Database;
import dev.orders.store.OrderStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The service, wired in one place. A message goes: {@link JetStreamSource} or {@link KafkaSource} →
 * {@link IngestPipeline} (judged by
 * {@link MessageJudge}, committed by {@link OrderStore}) → {@link OrderCache} and {@link OrderFeed} →
 * acknowledged; reads go {@link HttpApi} → {@link OrderCache} → {@link OrderStore} on a miss. Closing stops them
 * in the reverse order.
 */
public final class OrdersService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrdersService.class);

    private final Database database;
    private final HttpApi http;
    private final OrderCache cache;
    private final OrderFeed feed;
    private final MessageSource source;
    private final IngestPipeline pipeline;
    private final JvmGcMetrics gcMetrics;

    private OrdersService(Database database, HttpApi http, OrderCache cache, OrderFeed feed,
                          MessageSource source, IngestPipeline pipeline, JvmGcMetrics gcMetrics) {
        this.database = database;
        this.http = http;
        this.cache = cache;
        this.feed = feed;
        this.source = source;
        this.pipeline = pipeline;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Starts everything; returns once the cache is restored and ingestion runs. The database's schema is migrated on
     * a thread of its own while the HTTP API is built and the broker is reached, which the migration's waits on
     * PostgreSQL leave room for (docs/performance-log.md, start-up, session 14).
     */
    public static OrdersService start(ServiceConfig config) throws Exception {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceConfig.DatabaseConfig db = config.database();
        // One connection stays for lookups that miss meanwhile; more readers than cores would only wait.
        int restoreReaders = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), db.poolSize() - 1));
        Database database = Database.create(db.url(), db.user(), db.password(), db.poolSize(), restoreReaders + 1,
                metrics);
        FutureTask<Void> migration = new FutureTask<>(() -> {
            database.migrate(config.startupTimeout());
            return null;
        });
        Thread.ofPlatform().name("orders-migration").start(migration);

        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(metrics);
        OrderStore store = new OrderStore(database.dataSource());
        OrderWriter writer = new OrderWriter();
        OrderCache cache = new OrderCache(config.cacheBytes(), store);
        cache.bindMetrics(metrics);

        Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
        readiness.put("cache", cache::isRestored);
        readiness.put("database", database::answers);
        AtomicReference<MessageSource> connectedSource = new AtomicReference<>();
        readiness.put("broker", () -> connectedSource.get() != null && connectedSource.get().isConnected());
        OrderFeed feed = new OrderFeed();
        HttpApi http = new HttpApi(config.httpPort(), cache, new ActivityQueries(database.dataSource()), feed,
                readiness, metrics);
        MessageSource source = null;
        try {
            source = switch (config.source()) {
                case ServiceConfig.NatsConfig nats -> JetStreamSource.connect(nats, config.startupTimeout());
                case ServiceConfig.KafkaConfig kafka ->
                        KafkaSource.connect(kafka, config.batchSize(), config.startupTimeout());
            };
            awaitMigration(migration);
            http.start();
            cache.restore(restoreReaders);
            source.bindMetrics(metrics);
            connectedSource.set(source);
            IngestMetrics ingestMetrics = new IngestMetrics(metrics);
            MessageJudge judge = new MessageJudge(config.maxPayloadBytes(), new OrderReader(), writer, ingestMetrics);
            IngestPipeline pipeline = new IngestPipeline(source, judge, store, cache, config.batchSize(),
                    ingestMetrics, feed);
            pipeline.start();
            database.fillPool();
            log.info("Orders service started: HTTP on port {}, reading {}", http.port(), source);
            return new OrdersService(database, http, cache, feed, source, pipeline, gcMetrics);
        } catch (Exception | Error e) {
            try {
                // Nothing works without the database: when it failed too, its failure is the one reported. The
                // migration ends by itself, within the start-up timeout.
                awaitMigration(migration);
                throw e;
            } finally {
                closeAll(source, feed, http, cache, database, gcMetrics);
            }
        }
    }

    /** Waits for the migration; its failure is thrown as it was thrown on its own thread. */
    private static void awaitMigration(FutureTask<Void> migration) throws Exception {
        try {
            migration.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Exception cause -> throw cause;
                case Error cause -> throw cause;
                default -> throw e;
            }
        }
    }

    public int httpPort() {
        return http.port();
    }

    public OrderCache cache() {
        return cache;
    }

    /** Stops fetching, finishes and acknowledges the batch in flight, then stops HTTP and closes connections. */
    @Override
    public void close() {
        log.info("Stopping: finishing the batch in flight");
        pipeline.close();
        closeAll(source, feed, http, cache, database, gcMetrics);
        log.info("Stopped");
    }

    /** Closes the parts from the broker to the database; the source is null when a start failed before reaching it. */
    private static void closeAll(MessageSource source, OrderFeed feed, HttpApi http, OrderCache cache,
                                 Database database, JvmGcMetrics gcMetrics) {
        if (source != null) {
            source.close();
        }
        feed.close();
        http.close();
        cache.close();
        database.close();
        gcMetrics.close();
    }
}
