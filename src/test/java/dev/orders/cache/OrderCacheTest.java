package dev.orders.cache;

import dev.orders.order.Order;
import dev.orders.order.OrderReader;
import dev.orders.order.OrderWriter;
import dev.orders.order.ReadResult;
import dev.orders.store.BrokerPosition;
import dev.orders.store.Database;
import dev.orders.store.Decision;
import dev.orders.store.OrderStore;
import dev.orders.store.StoreUnavailableException;
import dev.orders.support.Orders;
import dev.orders.support.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache over a real PostgreSQL: read-through, and how long an unknown id stays unknown. */
class OrderCacheTest {
    private Database database;
    private OrderStore store;
    private OrderCache cache;

    @BeforeEach
    void open() throws Exception {
        var test = TestPostgres.shared().newDatabase();
        database = Database.open(test.url(), test.user(), test.password(), 2, Duration.ofSeconds(10),
                new SimpleMeterRegistry());
        store = new OrderStore(database.dataSource());
        cache = new OrderCache(16 * 1024 * 1024, store);
    }

    @AfterEach
    void close() {
        cache.close();
        database.close();
    }

    @Test
    void readsAnOrderStoredElsewhereThroughFromPostgresql() throws Exception {
        storeElsewhere(Orders.SAMPLE_UID);

        assertThat(cache.get(Orders.SAMPLE_UID)).isPresent();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void answersAnUnknownIdFromMemoryWhilePostgresqlsWordOnItIsFresh() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (OrderCache counted = countingCache(connections)) {
            for (int i = 0; i < 100; i++) {
                assertThat(counted.get(Orders.SAMPLE_UID)).isEmpty();
            }

            assertThat(connections.get()).as("connections taken for 100 requests for one unknown id").isEqualTo(1);
        }
    }

    @Test
    void findsAnOrderStoredElsewhereWithinASecondOfItsIdBeingUnknown() throws Exception {
        assertThat(cache.get(Orders.SAMPLE_UID)).isEmpty();
        storeElsewhere(Orders.SAMPLE_UID);

        await("the order is found", AbsentIds.ABSENT_FOR.plusMillis(200), () -> lookUp(Orders.SAMPLE_UID));
    }

    @Test
    void asksPostgresqlAgainForAnUnknownIdNobodyAskedForMeanwhile() throws Exception {
        assertThat(cache.get(Orders.SAMPLE_UID)).isEmpty();
        storeElsewhere(Orders.SAMPLE_UID);

        Thread.sleep(AbsentIds.ABSENT_FOR.plusMillis(200));

        assertThat(cache.get(Orders.SAMPLE_UID)).as("the first request after the absence expired").isPresent();
    }

    @Test
    void keepsAnsweringAnUnknownIdWhilePostgresqlIsDownUntilTheAbsenceExpires() throws Exception {
        assertThat(cache.get(Orders.SAMPLE_UID)).isEmpty();
        database.close();

        Thread.sleep(AbsentIds.ABSENT_FOR.dividedBy(2).plusMillis(100));
        assertThat(cache.get(Orders.SAMPLE_UID)).as("its background check fails quietly").isEmpty();
        Thread.sleep(AbsentIds.ABSENT_FOR.dividedBy(2).plusMillis(200));

        assertThatThrownBy(() -> cache.get(Orders.SAMPLE_UID)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void checksTheUnknownIdsStillAskedForInTheBackgroundSoThatNoRequestWaits() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (OrderCache counted = countingCache(connections)) {
            List<String> uids = IntStream.range(0, 100).mapToObj("unknown%03d"::formatted).toList();
            for (String uid : uids) {
                assertThat(counted.get(uid)).isEmpty();
            }
            for (String uid : uids.subList(0, 10)) {
                storeElsewhere(uid);
            }
            int beforeTheChecks = connections.get();

            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                for (String uid : uids.subList(10, 100)) {
                    assertThat(counted.get(uid)).as(uid).isEmpty();
                }
                Thread.sleep(100);
            }

            assertThat(uids.subList(0, 10)).as("the orders stored meanwhile, found in the background")
                    .allMatch(uid -> lookUp(counted, uid));
            assertThat(connections.get() - beforeTheChecks)
                    .as("connections taken in 3 s of asking about 100 ids, checked every %s", AbsentIds.CHECK_EVERY)
                    .isLessThanOrEqualTo(8);
        }
    }

    @Test
    void forgetsAnAbsenceAtOnceWhenThisInstanceStoresTheOrder() throws Exception {
        assertThat(cache.get(Orders.SAMPLE_UID)).isEmpty();

        cache.put(Orders.SAMPLE_UID, CachedOrder.of(new byte[]{'{', '}'}, new byte[32]));

        assertThat(cache.get(Orders.SAMPLE_UID)).isPresent();
    }

    @Test
    void restoresTheNewestOrdersThatFitTheBudget() throws Exception {
        for (int i = 0; i < 100; i++) {
            storeElsewhere("order%02d".formatted(i));
        }
        long perOrder = OrderCache.ENTRY_OVERHEAD_BYTES + 2 * "order00".length()
                + store.find("order00").orElseThrow().json().length;
        try (OrderCache small = new OrderCache(10 * perOrder, store)) {
            small.restore(2);
            database.close();

            assertThat(small.size()).isEqualTo(10);
            for (int i = 90; i < 100; i++) {
                assertThat(small.get("order" + i)).as("order%d, among the newest, from memory", i).isPresent();
            }
        }
    }

    @Test
    void answersManyMissesAtOnceEachWithItsOwnOrder() throws Exception {
        for (int i = 0; i < 50; i++) {
            storeElsewhere("order%02d".formatted(i));
        }
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<CachedOrder>>> answers = IntStream.range(0, 200)
                    .mapToObj(i -> clients.submit(() -> cache.get(i % 2 == 0 ? "order%02d".formatted(i / 2 % 50)
                            : "unknown" + i)))
                    .toList();

            for (int i = 0; i < 200; i += 2) {
                String uid = "order%02d".formatted(i / 2 % 50);
                assertThat(answers.get(i).get()).as(uid).hasValueSatisfying(order ->
                        assertThat(new String(order.json(), StandardCharsets.UTF_8))
                                .contains("\"order_uid\":\"" + uid + "\""));
                assertThat(answers.get(i + 1).get()).as("unknown%d", i + 1).isEmpty();
            }
        }
    }

    private boolean lookUp(String uid) {
        return lookUp(cache, uid);
    }

    private static boolean lookUp(OrderCache cache, String uid) {
        try {
            return cache.get(uid).isPresent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private OrderCache countingCache(AtomicInteger connections) {
        return new OrderCache(16 * 1024 * 1024, new OrderStore(counting(database.dataSource(), connections)));
    }

    /** The real pool, counting the connections taken from it. */
    private static DataSource counting(DataSource pool, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    try {
                        return method.invoke(pool, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void storeElsewhere(String uid) throws Exception {
        Order order = ((ReadResult.Valid) new OrderReader().read(Orders.withUid(uid).getBytes(StandardCharsets.UTF_8)))
                .order();
        byte[] json = new OrderWriter().write(order);
        store.commit(List.of(new Decision.Accept(new BrokerPosition("jetstream", "ORDERS", 0, 1), order, json,
                MessageDigest.getInstance("SHA-256").digest(json))));
    }
}
