package dev.orders.store;

import dev.orders.support.TestDatabase;
import dev.orders.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema's own checks, which hold whatever the service's validation lets through. */
class SchemaTest {
    private TestDatabase database;

    @BeforeEach
    void migrate() throws StoreUnavailableException {
        database = TestPostgres.shared().newDatabase();
        Database.open(database.url(), database.user(), database.password(), 1, Duration.ofSeconds(10),
                new SimpleMeterRegistry()).close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b563feb7b2b84b6test", "A-Z_a-z_0-9",
            "x234567890123456789012345678901234567890123456789012345678901234"})
    void storesAnOrderUidOfOneToSixtyFourAllowedCharacters(String orderUid) throws SQLException {
        insertOrder(orderUid);

        assertThat(database.count("select count(*) from orders where order_uid = ?", orderUid)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x2345678901234567890123456789012345678901234567890123456789012345", "a.b", "a b",
            "a/b", "caf\u00e9", "\u0430\u0431\u0432", "a\nb", "ab\n"})
    void refusesAnOrderUidTheRuleForbids(String orderUid) {
        assertThatThrownBy(() -> insertOrder(orderUid))
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("23514"))
                .hasMessageContaining("orders_order_uid_check");
    }

    private void insertOrder(String orderUid) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement("""
                insert into orders (order_uid, track_number, entry, locale, internal_signature, customer_id,
                                    delivery_service, shardkey, sm_id, date_created, oof_shard, content_sha256,
                                    canonical_json, delivery_name, delivery_phone, delivery_zip, delivery_city,
                                    delivery_address, delivery_region, delivery_email, payment_transaction,
                                    payment_request_id, payment_currency, payment_provider, payment_amount,
                                    payment_dt, payment_bank, payment_delivery_cost, payment_goods_total,
                                    payment_custom_fee)
                values (?, 'WBILMTESTTRACK', 'WBIL', 'en', '', 'test', 'meest', '9', 99, now(), '1',
                        decode(repeat('00', 32), 'hex'), convert_to('{}', 'UTF8'), 'Test Testov', '+9720000000',
                        '2639809', 'Kiryat Mozkin', 'Ploshad Mira 15', 'Kraiot', 'test@gmail.com',
                        'b563feb7b2b84b6test', '', 'USD', 'wbpay', 1817, 1637907727, 'alpha', 1500, 317, 0)""")) {
            insert.setString(1, orderUid);
            insert.executeUpdate();
        }
    }
}
