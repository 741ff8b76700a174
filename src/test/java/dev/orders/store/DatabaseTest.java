package dev.orders.store;

import dev.orders.support.TestDatabase;
import dev.orders.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** How many connections the pool holds open to PostgreSQL, counted by PostgreSQL. */
class DatabaseTest {
    private static final String HOUSEKEEPING = "com.zaxxer.hikari.housekeeping.periodMs";

    @Test
    void holdsTheConnectionsTheStartUsesUntilFilled() throws Exception {
        TestDatabase database = TestPostgres.shared().newDatabase();
        try (Database pool = Database.create(database.url(), database.user(), database.password(), 8, 3,
                new SimpleMeterRegistry())) {
            pool.migrate(Duration.ofSeconds(10));
            Thread.sleep(1_000);

            assertThat(backends(database)).isEqualTo(3);
        }
    }

    @Test
    void holdsEveryConnectionOnceFilled() throws Exception {
        TestDatabase database = TestPostgres.shared().newDatabase();
        // Hikari's housekeeping, which opens them, runs every 30 s unless told otherwise when the pool is made.
        System.setProperty(HOUSEKEEPING, "200");
        try (Database pool = Database.create(database.url(), database.user(), database.password(), 4, 1,
                new SimpleMeterRegistry())) {
            System.clearProperty(HOUSEKEEPING);
            pool.migrate(Duration.ofSeconds(10));

            pool.fillPool();

            await("the pool holds four connections", () -> backends(database) == 4);
        } finally {
            System.clearProperty(HOUSEKEEPING);
        }
    }

    /** The backends serving this database, but the one counting them. */
    private static long backends(TestDatabase database) {
        return database.count("select count(*) from pg_stat_activity where datname = current_database()"
                + " and pid <> pg_backend_pid()");
    }
}
