package dev.orders.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.store.BrokerPosition;
import dev.orders.support.Orders;
import dev.orders.support.RunningService;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestBroker;
import dev.orders.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order contract §1 end to end, once with each source: a real nats-server or Kafka broker, real PostgreSQL,
 * the whole service.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jetstream", "kafka"})
class IngestContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Parameter
    String kind;
    private static TestBroker broker;
    private static TestDatabase database;
    private static RunningService service;

    @BeforeParameterizedClassInvocation
    static void start(String kind) {
        broker = TestBroker.start(kind);
        database = TestPostgres.shared().newDatabase();
        service = RunningService.start(database, broker);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        service.close();
        broker.close();
    }

    @Test
    void storesTheSampleAndServesItAsModelJsonInItsFieldOrder() throws IOException {
        broker.publish(Orders.sample());

        awaitServed(Orders.SAMPLE_UID);
        String body = service.get("/api/orders/" + Orders.SAMPLE_UID).body();
        assertThat(body).isEqualTo(JSON.writeValueAsString(JSON.readTree(Orders.sample())));
        assertThat(database.count("select count(*) from order_items where order_uid = ?", Orders.SAMPLE_UID))
                .isEqualTo(1);
    }

    static Stream<Arguments> badMessages() {
        String big = "x".repeat(20 * 1024);
        return Stream.of(
                Arguments.of("too_large", Orders.withUid("big1").replace("\"entry\"", "\"padding\":\"" + big + "\",\"entry\"")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not_json", new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                Arguments.of("not_json", ("[" + Orders.withUid("array1") + "]").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("not_json", "{\"order_uid\": \"trunc".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("schema", mutated(o -> ((ObjectNode) o.get("delivery")).remove("phone"))),
                Arguments.of("schema", mutated(o -> ((ObjectNode) o.get("payment")).put("amount", "1817"))),
                Arguments.of("invalid_value", mutated(o -> ((ObjectNode) o.get("payment")).put("amount", -1))),
                Arguments.of("invalid_value", mutated(o -> ((ObjectNode) o.get("items").get(0)).put("sale", 101))),
                Arguments.of("invalid_value", mutated(o -> ((ObjectNode) o.get("payment")).put("currency", "usd"))),
                Arguments.of("invalid_value", mutated(o -> o.putArray("items"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badMessages")
    void recordsABadMessageAsExactlyOneRejectedRowAndStoresTheValidOneBehindIt(String code, byte[] payload)
            throws SQLException {
        BrokerPosition bad = broker.publish(payload);
        String behind = freshUid();
        broker.publish(Orders.withUid(behind));

        awaitServed(behind);
        assertThat(database.rejectedAt(bad)).isEqualTo(1);
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("select code, reason, payload, payload_size"
                     + " from rejected_messages where source = ? and channel = ? and partition = ? and position = ?")) {
            query.setString(1, bad.source());
            query.setString(2, bad.channel());
            query.setInt(3, bad.partition());
            query.setLong(4, bad.position());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getString("code")).isEqualTo(code);
                assertThat(row.getString("reason")).isNotBlank();
                assertThat(row.getInt("payload_size")).isEqualTo(payload.length);
                assertThat(payload).startsWith(row.getBytes("payload"));
                if (!code.equals("too_large")) {
                    assertThat(row.getBytes("payload")).isEqualTo(payload);
                }
            }
        }
    }

    @Test
    void rejectsAConflictingDuplicateAndKeepsTheFirstVersion() throws IOException {
        String uid = freshUid();
        broker.publish(Orders.withUid(uid));
        String changed = Orders.withUid(uid).replace("\"amount\": 1817", "\"amount\": 9999");
        assertThat(changed).contains("9999");
        BrokerPosition conflict = broker.publish(changed);

        await("the conflict is recorded", () -> database.rejectedAt(conflict) == 1);
        assertThat(database.count("select count(*) from rejected_messages where code = 'conflict' and order_uid = ?",
                uid)).isEqualTo(1);
        assertThat(JSON.readTree(service.get("/api/orders/" + uid).body()).at("/payment/amount").asLong())
                .isEqualTo(1817);
    }

    @Test
    void storesNothingNewForAnIdenticalRedelivery() {
        String uid = freshUid();
        broker.publish(Orders.withUid(uid));
        awaitServed(uid);
        // Same content, other whitespace and field order: still the same order.
        String again = Orders.withUid(uid).replace("\n", "").replace("  ", "");
        BrokerPosition second = broker.publish(again);

        await("every message is acknowledged", () -> broker.acknowledged() == broker.published());
        assertThat(database.count("select count(*) from orders where order_uid = ?", uid)).isEqualTo(1);
        assertThat(database.count("select count(*) from order_items where order_uid = ?", uid)).isEqualTo(1);
        assertThat(database.rejectedAt(second)).isZero();
    }

    @Test
    void isolatesAMessageTheDatabaseRefusesSoItDoesNotBlockItsBatch() throws SQLException {
        // A rule only the database knows stands in for any data error the reader did not foresee.
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("alter table orders add constraint test_no_poison check (entry <> 'POISON')");
        }
        try {
            String poison = freshUid();
            String before = freshUid();
            String after = freshUid();
            broker.publish(Orders.withUid(before));
            BrokerPosition poisoned = broker.publish(Orders.withUid(poison).replace("\"entry\": \"WBIL\"", "\"entry\": \"POISON\""));
            broker.publish(Orders.withUid(after));

            awaitServed(after);
            awaitServed(before);
            assertThat(service.get("/api/orders/" + poison).statusCode()).isEqualTo(404);
            await("the poison message is rejected", () -> database.rejectedAt(poisoned) == 1);
            assertThat(database.count("select count(*) from rejected_messages where order_uid = ? and code = 'invalid_value'"
                    + " and reason like 'refused by the database%'", poison)).isEqualTo(1);
        } finally {
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("alter table orders drop constraint test_no_poison");
            }
        }
    }

    private static void awaitServed(String uid) {
        await("order " + uid + " is served", () -> service.get("/api/orders/" + uid).statusCode() == 200);
    }

    private static String freshUid() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static byte[] mutated(Consumer<ObjectNode> change) {
        try {
            ObjectNode order = (ObjectNode) JSON.readTree(Orders.withUid(freshUid()));
            change.accept(order);
            return JSON.writeValueAsBytes(order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
