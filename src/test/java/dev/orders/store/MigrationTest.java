package dev.orders.store;

import dev.orders.order.Order;
import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.order.ReadResult;
import dev.orders.support.Orders;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An order stored by version 2 of the schema (no JSON kept; delivery and payment in tables of their own). */
class MigrationTest {

    @Test
    void writesTheCanonicalJsonOfOrdersStoredBeforeIt() throws Exception {
        TestDatabase database = databaseWithAnOrderStoredByVersion2();

        try (Database upgraded = open(database)) {
            StoredOrder stored = new OrderStore(upgraded.dataSource()).find(Orders.SAMPLE_UID).orElseThrow();

            Order sample = ((ReadResult.Valid) new OrderReader().read(Orders.sample().getBytes(StandardCharsets.UTF_8)))
                    .order();
            byte[] expected = new OrderWriter().write(sample);
            assertThat(new String(stored.json(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(stored.sha256()).as("the digest is of the bytes now served")
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(expected));
        }
    }

    @Test
    void movesTheDeliveryAndPaymentIntoTheOrder() throws Exception {
        TestDatabase database = databaseWithAnOrderStoredByVersion2();

        open(database).close();

        assertThat(database.count("""
                select count(*) from orders
                where delivery_city = 'Kiryat Mozkin' and delivery_email = 'test@gmail.com'
                  and payment_amount = 1817 and payment_currency = 'USD' and payment_dt = 1637907727""")).isEqualTo(1);
        assertThat(database.count(
                "select count(*) from information_schema.tables where table_name in ('deliveries', 'payments')"))
                .isZero();
    }

    @Test
    void comparesOrderUidsByteByByteAndStillRefusesItemsOfUnknownOrders() throws Exception {
        TestDatabase database = databaseWithAnOrderStoredByVersion2();

        open(database).close();

        assertThat(database.count("""
                select count(*) from information_schema.columns
                where column_name = 'order_uid' and table_name in ('orders', 'order_items') and collation_name = 'C'"""))
                .isEqualTo(2);
        assertThat(database.count("select count(*) from order_items where order_uid = 'b563feb7b2b84b6test'"))
                .isEqualTo(1);
        assertThatThrownBy(() -> {
            try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
                sql.execute("""
                        insert into order_items (order_uid, position, chrt_id, track_number, price, rid, name, sale,
                                                 size, total_price, nm_id, brand, status)
                        values ('no-such-order', 0, 1, 'T', 1, 'r', 'n', 0, '0', 1, 1, 'b', 1)""");
            }
        }).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("23503"));
    }

    @Test
    void leavesTheSchemaAsItWasWhenALaterVersionFails() throws Exception {
        TestDatabase database = databaseWithAnOrderStoredByVersion2();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            // Version 4 adds this column; version 3, before it, would succeed.
            sql.execute("alter table orders add column delivery_name text");
        }

        assertThatThrownBy(() -> open(database)).hasMessageContaining("delivery_name");

        assertThat(database.count("select count(*) from flyway_schema_history where success")).isEqualTo(2);
        assertThat(database.count(
                "select count(*) from information_schema.columns where column_name = 'canonical_json'"))
                .as("version 3's column, rolled back with version 4").isZero();
        assertThat(database.count("select count(*) from deliveries")).isEqualTo(1);
    }

    private static Database open(TestDatabase database) throws StoreUnavailableException {
        return Database.open(database.url(), database.user(), database.password(), 1, Duration.ofSeconds(10),
                new SimpleMeterRegistry());
    }

    private static TestDatabase databaseWithAnOrderStoredByVersion2() throws Exception {
        TestDatabase database = TestPostgres.shared().newDatabase();
        Flyway.configure().dataSource(database.url(), database.user(), database.password()).target("2").load()
                .migrate();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            // The sample order as version 2 stored it, with a digest that a different writer would have made.
            sql.execute("""
                    insert into orders (order_uid, track_number, entry, locale, internal_signature, customer_id,
                                        delivery_service, shardkey, sm_id, date_created, oof_shard, content_sha256)
                    values ('b563feb7b2b84b6test', 'WBILMTESTTRACK', 'WBIL', 'en', '', 'test', 'meest', '9', 99,
                            '2021-11-26T06:22:19Z', '1', decode(repeat('00', 32), 'hex'));
                    insert into deliveries (order_uid, name, phone, zip, city, address, region, email)
                    values ('b563feb7b2b84b6test', 'Test Testov', '+9720000000', '2639809', 'Kiryat Mozkin',
                            'Ploshad Mira 15', 'Kraiot', 'test@gmail.com');
                    insert into payments (order_uid, transaction, request_id, currency, provider, amount, payment_dt,
                                          bank, delivery_cost, goods_total, custom_fee)
                    values ('b563feb7b2b84b6test', 'b563feb7b2b84b6test', '', 'USD', 'wbpay', 1817, 1637907727,
                            'alpha', 1500, 317, 0);
                    insert into order_items (order_uid, position, chrt_id, track_number, price, rid, name, sale,
                                             size, total_price, nm_id, brand, status)
                    values ('b563feb7b2b84b6test', 0, 9934930, 'WBILMTESTTRACK', 453, 'ab4219087a764ae0btest',
                            'Mascaras', 30, '0', 317, 2389212, 'Vivienne Sabo', 202)""");
        }
        return database;
    }
}
