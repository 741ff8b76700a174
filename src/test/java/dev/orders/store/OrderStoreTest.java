package dev.orders.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orders.order.Order;
import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.order.ReadResult;
import dev.orders.order.Rejection;
import dev.orders.order.RejectionCode;
import dev.orders.support.Orders;
import dev.orders.support.TestDatabase;
import dev.orders.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The store against a real PostgreSQL: what a redelivered message (same broker position) does. */
class OrderStoreTest {
    private TestDatabase database;
    private Database pool;
    private OrderStore store;

    @BeforeEach
    void open() throws StoreUnavailableException {
        database = TestPostgres.shared().newDatabase();
        pool = Database.open(database.url(), database.user(), database.password(), 2, Duration.ofSeconds(10),
                new SimpleMeterRegistry());
        store = new OrderStore(pool.dataSource());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void commitsARedeliveredOrderAsADuplicate() throws Exception {
        Decision.Accept order = accept(new BrokerPosition("jetstream", "ORDERS", 0, 7), Orders.sample());

        assertThat(store.commit(List.of(order))).singleElement().isInstanceOf(Outcome.Stored.class);
        assertThat(store.commit(List.of(order))).containsExactly(new Outcome.Duplicate());
        assertThat(database.count("select count(*) from orders")).isEqualTo(1);
    }

    @Test
    void recordsARedeliveredRejectionOnce() throws Exception {
        Decision.Reject reject = new Decision.Reject(new BrokerPosition("jetstream", "ORDERS", 0, 8),
                new Rejection(RejectionCode.NOT_JSON, "not valid JSON"), null, new byte[]{'x'}, 1);

        store.commit(List.of(reject));
        store.commit(List.of(reject));

        assertThat(database.count("select count(*) from rejected_messages")).isEqualTo(1);
    }

    @Test
    void storesTheFirstOfTwoVersionsInOneBatchAndRejectsTheOtherAsConflict() throws Exception {
        Decision.Accept first = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1), Orders.sample());
        Decision.Accept second = accept(new BrokerPosition("jetstream", "ORDERS", 0, 2),
                Orders.sample().replace("\"amount\": 1817", "\"amount\": 1"));
        Decision.Accept third = accept(new BrokerPosition("jetstream", "ORDERS", 0, 3), Orders.sample());

        List<Outcome> outcomes = store.commit(List.of(first, second, third));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Stored.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.rejection().code()).isEqualTo(RejectionCode.CONFLICT));
        assertThat(outcomes.get(2)).isEqualTo(new Outcome.Duplicate());
        assertThat(store.find(Orders.SAMPLE_UID)).hasValueSatisfying(
                stored -> assertThat(stored.json()).isEqualTo(first.json()));
    }

    @Test
    void readsBackExactlyTheOrderThatWasStored() throws Exception {
        Decision.Accept order = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1), Orders.sample());
        store.commit(List.of(order));

        StoredOrder stored = store.find(Orders.SAMPLE_UID).orElseThrow();

        assertThat(stored.json()).isEqualTo(order.json());
        assertThat(stored.sha256()).isEqualTo(order.sha256());
        assertThat(database.count("select count(*) from order_items where order_uid = ?", Orders.SAMPLE_UID))
                .as("the typed rows are stored too").isEqualTo(order.order().items().size());
    }

    @Test
    void readsEveryStoredOrderOnceWhenSeveralReadersShareTheRanges() throws Exception {
        store.commit(batchOf(250, i -> "restore" + i));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();

        store.forEachNewestFirst(3, 40, stored -> {
            seen.add(stored.orderUid());
            calls.incrementAndGet();
            return true;
        });

        assertThat(calls).hasValue(250);
        assertThat(seen).hasSize(250);
    }

    @Test
    void storesEveryTypedColumnAndTheIdentityAndTimeItReports() throws Exception {
        Decision.Accept order = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1),
                Orders.sample().replace("2021-11-26T06:22:19Z", "1999-12-31T23:59:58.123456+03:00"));

        Outcome.Stored stored = (Outcome.Stored) store.commit(List.of(order)).getFirst();

        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     select date_created, stored_seq, stored_at, sm_id, delivery_email, payment_currency,
                            payment_amount, (select string_agg(position || ':' || sale || ':' || brand, ',') from order_items)
                     from orders""")) {
            row.next();
            assertThat(row.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(order.order().dateCreated());
            assertThat(row.getLong(2)).isEqualTo(stored.storedSeq());
            assertThat(row.getObject(3, OffsetDateTime.class).toInstant()).isEqualTo(stored.storedAt());
            assertThat(row.getLong(4)).isEqualTo(99);
            assertThat(row.getString(5)).isEqualTo("test@gmail.com");
            assertThat(row.getString(6)).isEqualTo("USD");
            assertThat(row.getLong(7)).isEqualTo(1817);
            assertThat(row.getString(8)).isEqualTo("0:30:Vivienne Sabo");
        }
    }

    @Test
    void storesTextExactlyWhateverCharactersItHolds() throws Exception {
        String awkward = "T\u00e9st \"quoted\" \\back\\slash\ttab\nline\r, {brace} (paren) "
                + "\u0422\u0435\u0441\u0442 \uD83D\uDE9A";
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Orders.sample());
        ((ObjectNode) json.get("delivery")).put("name", awkward).put("zip", "");
        ((ObjectNode) json.get("items").get(0)).put("brand", awkward + "\\N");
        Decision.Accept order = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1), json.toString());

        store.commit(List.of(order));

        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     select delivery_name, delivery_zip, canonical_json, (select brand from order_items)
                     from orders""")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo(awkward);
            assertThat(row.getString(2)).isEmpty();
            assertThat(row.getBytes(3)).isEqualTo(order.json());
            assertThat(row.getString(4)).isEqualTo(awkward + "\\N");
        }
    }

    @Test
    void storesEveryOrderOfABatchOfSomeMegabytesExactly() throws Exception {
        List<Decision> batch = batchOf(2_000, i -> "big" + i);

        store.commit(batch);

        for (Decision decision : List.of(batch.getFirst(), batch.get(777), batch.getLast())) {
            Decision.Accept accept = (Decision.Accept) decision;
            assertThat(store.find(accept.order().orderUid())).get()
                    .satisfies(stored -> assertThat(stored.json()).isEqualTo(accept.json()));
        }
        assertThat(database.count("select count(*) from orders")).isEqualTo(2_000);
        assertThat(database.count("select count(*) from order_items")).as("one item each").isEqualTo(2_000);
    }

    @Test
    void refusesAnOrderTheDatabaseCannotTakeAndStoresTheRestOfItsBatch() throws Exception {
        Decision.Accept before = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1), Orders.withUid("before"));
        Decision.Accept good = accept(new BrokerPosition("jetstream", "ORDERS", 0, 2), Orders.withUid("nul"));
        // PostgreSQL's text cannot hold U+0000; the reader refuses it, so this order is made by hand.
        Order o = good.order();
        Order withNul = new Order(o.orderUid(), o.trackNumber(), "WB\u0000IL", o.delivery(), o.payment(), o.items(),
                o.locale(), o.internalSignature(), o.customerId(), o.deliveryService(), o.shardKey(), o.smId(),
                o.dateCreated(), o.oofShard());
        Decision.Accept refused = new Decision.Accept(good.position(), withNul, good.json(), good.sha256());
        Decision.Accept after = accept(new BrokerPosition("jetstream", "ORDERS", 0, 3), Orders.withUid("after"));

        List<Outcome> outcomes = store.commit(List.of(before, refused, after));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Stored.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.rejection().message()).startsWith("refused by the database"));
        assertThat(outcomes.get(2)).isInstanceOf(Outcome.Stored.class);
        assertThat(database.rejectedAt(refused.position())).isEqualTo(1);
    }

    @Test
    void numbersTheOrdersOfABatchInTheOrderTheyCame() throws Exception {
        List<Decision> batch = batchOf(300, i -> "z" + (299 - i));

        List<Outcome> outcomes = store.commit(batch);

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Outcome.Stored.class));
        assertThat(outcomes.stream().mapToLong(outcome -> ((Outcome.Stored) outcome).storedSeq()))
                .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void storesEachOrderOnceWhenTwoInstancesCommitTheSameOrdersAtOnce() throws Exception {
        try (Database otherPool = Database.open(database.url(), database.user(), database.password(), 2,
                Duration.ofSeconds(10), new SimpleMeterRegistry());
             ExecutorService instances = Executors.newFixedThreadPool(2)) {
            OrderStore other = new OrderStore(otherPool.dataSource());
            for (int round = 0; round < 10; round++) {
                String prefix = "race" + round + "x";
                List<Decision> batch = batchOf(100, i -> prefix + i);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<List<Outcome>> first = instances.submit(() -> {
                    together.await();
                    return store.commit(batch);
                });
                Future<List<Outcome>> second = instances.submit(() -> {
                    together.await();
                    return other.commit(batch);
                });
                List<Outcome> a = first.get(), b = second.get();
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(List.of(a.get(i), b.get(i))).as("order %d of round %d", i, round)
                            .satisfiesOnlyOnce(outcome -> assertThat(outcome).isInstanceOf(Outcome.Stored.class))
                            .satisfiesOnlyOnce(outcome -> assertThat(outcome).isEqualTo(new Outcome.Duplicate()));
                }
            }
        }
        assertThat(database.count("select count(*) from orders")).isEqualTo(1_000);
        assertThat(database.count("select count(*) from rejected_messages")).isZero();
    }

    @Test
    void reportsTheIdentityEachOrderWasGivenWhenTwoInstancesStoreAtOnce() throws Exception {
        Map<String, Long> reported = new ConcurrentHashMap<>();
        try (Database otherPool = Database.open(database.url(), database.user(), database.password(), 2,
                Duration.ofSeconds(10), new SimpleMeterRegistry());
             ExecutorService instances = Executors.newFixedThreadPool(2)) {
            OrderStore other = new OrderStore(otherPool.dataSource());
            for (int round = 0; round < 10; round++) {
                String prefix = "round" + round;
                List<Decision> mine = batchOf(500, i -> prefix + "mine" + i);
                List<Decision> theirs = batchOf(500, i -> prefix + "theirs" + i);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<List<Outcome>>> commits = List.of(
                        instances.submit(() -> {
                            together.await();
                            return store.commit(mine);
                        }),
                        instances.submit(() -> {
                            together.await();
                            return other.commit(theirs);
                        }));
                for (int instance = 0; instance < 2; instance++) {
                    List<Decision> batch = instance == 0 ? mine : theirs;
                    List<Outcome> outcomes = commits.get(instance).get();
                    for (int i = 0; i < batch.size(); i++) {
                        reported.put(((Decision.Accept) batch.get(i)).order().orderUid(),
                                ((Outcome.Stored) outcomes.get(i)).storedSeq());
                    }
                }
            }
        }
        Map<String, Long> stored = new HashMap<>();
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select order_uid, stored_seq from orders")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getLong(2));
            }
        }
        assertThat(reported).hasSize(10_000).isEqualTo(stored);
    }

    @Test
    void storesTheNewOrdersOfABatchThatAlsoHoldsAStoredOneAndTheBatchesAfterIt() throws Exception {
        List<Decision> first = batchOf(3, i -> "first" + i);
        List<Decision> mixed = new ArrayList<>(batchOf(3, i -> "mixed" + i));
        mixed.set(1, first.get(2));
        store.commit(first);

        List<Outcome> outcomes = store.commit(mixed);
        List<Outcome> after = store.commit(batchOf(3, i -> "after" + i));
        List<Outcome> later = store.commit(batchOf(3, i -> "later" + i));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Stored.class);
        assertThat(outcomes.get(1)).isEqualTo(new Outcome.Duplicate());
        assertThat(outcomes.get(2)).isInstanceOf(Outcome.Stored.class);
        assertThat(after).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Outcome.Stored.class));
        assertThat(later).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Outcome.Stored.class));
        assertThat(database.count("select count(*) from orders")).isEqualTo(11);
        assertThat(database.count("select count(*) from order_items")).as("one item each").isEqualTo(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:30:00+01:00", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
            "2000-01-01T00:00:00.000001Z", "2021-11-26T06:22:19Z", "9999-12-31T23:59:59.999999-18:00"})
    void keepsTheDateCreatedAsTheSameInstant(String dateCreated) throws Exception {
        Decision.Accept order = accept(new BrokerPosition("jetstream", "ORDERS", 0, 1),
                Orders.sample().replace("2021-11-26T06:22:19Z", dateCreated));
        Instant instant = order.order().dateCreated();

        store.commit(List.of(order));

        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "select extract(epoch from date_created), date_created from orders")) {
            row.next();
            assertThat(row.getBigDecimal(1))
                    .isEqualByComparingTo(BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(
                            instant.getNano(), 9)));
            assertThat(row.getObject(2, OffsetDateTime.class).toInstant()).isEqualTo(instant);
        }
    }

    /** Valid orders at broker positions 0, 1, …, each with the order_uid given for its position. */
    private static List<Decision> batchOf(int count, IntFunction<String> orderUid) throws Exception {
        List<Decision> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(accept(new BrokerPosition("jetstream", "ORDERS", 0, i), Orders.withUid(orderUid.apply(i))));
        }
        return batch;
    }

    private static Decision.Accept accept(BrokerPosition position, String json) throws Exception {
        Order order = ((ReadResult.Valid) new OrderReader().read(json.getBytes(StandardCharsets.UTF_8))).order();
        byte[] canonical = new OrderWriter().write(order);
        return new Decision.Accept(position, order, canonical, MessageDigest.getInstance("SHA-256").digest(canonical));
    }
}
