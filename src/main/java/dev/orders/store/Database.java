package dev.orders.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The connection pool to PostgreSQL. {@link #create} makes the pool without connecting; {@link #migrate} waits for
 * the database and migrates its schema, and nothing may use the pool before it has returned.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Creates the pool and {@link #migrate migrates}.
     *
     * @throws StoreUnavailableException when the database did not answer in time
     */
    public static Database open(String url, String user, String password, int poolSize, Duration startupTimeout,
                                MeterRegistry metrics) throws StoreUnavailableException {
        Database database = create(url, user, password, poolSize, poolSize, metrics);
        try {
            database.migrate(startupTimeout);
            return database;
        } catch (StoreUnavailableException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * The pool, without a connection yet. Until {@link #fillPool} it keeps {@code connectionsDuringStart} of its
     * connections open, and opens others only when they are asked for.
     */
    public static Database create(String url, String user, String password, int poolSize, int connectionsDuringStart,
                                  MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        config.setPoolName("orders-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        // PostgreSQL backends starting beside the migration take the cores' time from it; the rest are opened once the
        // service has started (docs/performance-log.md, start-up, session 18). Not fewer than the start uses at once:
        // Hikari opens a connection asked for only if the asking thread still waits when the opening begins, so two
        // threads that each take and return a connection often can end up taking turns on one; the cache's two
        // restore readers did, and restored a third slower.
        config.setMinimumIdle(Math.min(poolSize, connectionsDuringStart));
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        // Start without a connection; the bounded wait in migrate gives the clear error instead.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new Database(new HikariDataSource(config));
    }

    /**
     * Waits up to {@code startupTimeout} for PostgreSQL to answer, then runs the migrations.
     *
     * @throws StoreUnavailableException when it did not answer in time
     */
    public void migrate(Duration startupTimeout) throws StoreUnavailableException {
        // Flyway opens connections of its own (two, with a Java migration), so any pool size will do. The pending
        // migrations go in one transaction: an upgrade is applied whole or not at all, and a new database's schema
        // costs 8 commits instead of 19 and a quarter fewer statements (ready ×0.96 in starts in turns,
        // docs/performance-log.md, start-up, session 39).
        Flyway flyway = Flyway.configure().dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword())
                .resourceProvider(new MigrationScripts())
                .javaMigrationClassProvider(MigrationScripts.NO_MIGRATION_CLASSES)
                .group(true)
                .javaMigrations(new CanonicalJsonMigration()).load();
        // Set up before the wait for PostgreSQL, which it does not need: ready sooner in 16 of 20 starts in turns, with
        // less CPU in 19. The pool opens its first connection only when the wait asks, so the two do not overlap, and
        // asking on a thread of its own meanwhile gained nothing more (docs/performance-log.md, start-up, session 39).
        awaitAnswer(pool, startupTimeout);
        flyway.migrate();
    }

    private static void awaitAnswer(DataSource pool, Duration timeout) throws StoreUnavailableException {
        Instant deadline = Instant.now().plus(timeout);
        Duration pause = Duration.ofMillis(200);
        while (true) {
            try (Connection connection = pool.getConnection()) {
                if (connection.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new StoreUnavailableException("PostgreSQL did not answer within " + timeout.toSeconds()
                            + " s: " + e.getMessage(), e);
                }
                log.info("Waiting for PostgreSQL: {}", e.getMessage());
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : pause.multipliedBy(2);
        }
    }

    private static void sleep(Duration pause) throws StoreUnavailableException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for PostgreSQL", e);
        }
    }

    /**
     * From now on the pool keeps all its connections open, as a pool of fixed size; its housekeeping opens them within
     * half a minute, and a connection asked for before that is opened at once.
     */
    public void fillPool() {
        pool.getHikariConfigMXBean().setMinimumIdle(pool.getMaximumPoolSize());
    }

    public DataSource dataSource() {
        return pool;
    }

    /** True when a connection answers within a second; for readiness. */
    public boolean answers() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
