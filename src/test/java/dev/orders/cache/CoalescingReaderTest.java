package dev.orders.cache;

import dev.orders.store.StoreUnavailableException;
import dev.orders.store.StoredOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.orders.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Misses read together: what each query asks for, and what each request gets. */
class CoalescingReaderTest {
    private final List<Set<String>> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstQueryMayAnswer = new CountDownLatch(1);
    private final CountDownLatch firstQueryAsked = new CountDownLatch(1);
    private final List<Thread> requesters = new CopyOnWriteArrayList<>();
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(runnable -> {
        Thread thread = Thread.ofPlatform().unstarted(runnable);
        requesters.add(thread);
        return thread;
    });
    private CoalescingReader reader;

    @AfterEach
    void close() {
        reader.close();
        requests.shutdownNow();
    }

    /** A store that knows every id but those starting with "unknown", and holds its first answer until released. */
    private List<StoredOrder> findAll(Collection<String> orderUids) {
        queries.add(Set.copyOf(orderUids));
        firstQueryAsked.countDown();
        try {
            firstQueryMayAnswer.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return orderUids.stream().filter(uid -> !uid.startsWith("unknown")).map(CoalescingReaderTest::order).toList();
    }

    private static StoredOrder order(String uid) {
        return new StoredOrder(uid, ("{\"order_uid\":\"" + uid + "\"}").getBytes(), new byte[32]);
    }

    @Test
    void readsALoneMissAtOnce() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        firstQueryMayAnswer.countDown();

        CoalescingReader.Answer answer = reader.read("b563feb7b2b84b6test");

        assertThat(answer.order()).map(StoredOrder::orderUid).hasValue("b563feb7b2b84b6test");
        assertThat(queries).containsExactly(Set.of("b563feb7b2b84b6test"));
    }

    @Test
    void readsTheIdsMissedWhileAQueryIsUnderWayInOneQuery() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        Future<CoalescingReader.Answer> first = requests.submit(() -> reader.read("first"));
        firstQueryAsked.await();
        List<Future<CoalescingReader.Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String uid = "order" + i;
            waiting.add(requests.submit(() -> reader.read(uid)));
        }
        awaitAllRequestersWaiting(11);

        firstQueryMayAnswer.countDown();

        assertThat(first.get().order()).isPresent();
        for (int i = 0; i < 10; i++) {
            assertThat(waiting.get(i).get().order()).map(StoredOrder::orderUid).hasValue("order" + i);
        }
        assertThat(queries).hasSize(2);
        assertThat(queries.get(1)).containsExactlyInAnyOrder(
                "order0", "order1", "order2", "order3", "order4", "order5", "order6", "order7", "order8", "order9");
    }

    @Test
    void asksForAnIdOnceHoweverManyRequestsWaitForIt() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        requests.submit(() -> reader.read("first"));
        firstQueryAsked.await();
        List<Future<CoalescingReader.Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(requests.submit(() -> reader.read("popular")));
        }
        awaitAllRequestersWaiting(6);

        firstQueryMayAnswer.countDown();

        for (Future<CoalescingReader.Answer> answer : waiting) {
            assertThat(answer.get().order()).map(StoredOrder::orderUid).hasValue("popular");
        }
        assertThat(queries).containsExactly(Set.of("first"), Set.of("popular"));
    }

    @Test
    void asksForNoMoreIdsAQueryThanItsLimit() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        requests.submit(() -> reader.read("first"));
        firstQueryAsked.await();
        int waiting = CoalescingReader.IDS_A_QUERY + 1;
        List<Future<CoalescingReader.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < waiting; i++) {
            String uid = "order" + i;
            answers.add(requests.submit(() -> reader.read(uid)));
        }
        awaitAllRequestersWaiting(waiting + 1);

        firstQueryMayAnswer.countDown();

        for (Future<CoalescingReader.Answer> answer : answers) {
            assertThat(answer.get().order()).isPresent();
        }
        assertThat(queries).extracting(Set::size).containsExactly(1, CoalescingReader.IDS_A_QUERY, 1);
    }

    @Test
    void answersAnUnknownIdWithNoOrderAsOfWhenItsQueryBegan() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        firstQueryMayAnswer.countDown();
        long before = System.nanoTime();

        CoalescingReader.Answer answer = reader.read("unknown1");

        assertThat(answer.order()).isEmpty();
        assertThat(answer.askedAt()).isBetween(before, System.nanoTime());
    }

    @Test
    void failsEveryRequestOfAQueryPostgresqlCouldNotAnswer() {
        reader = new CoalescingReader(uids -> {
            throw new StoreUnavailableException("could not read orders by order_uid: connection refused", null);
        }, 1);

        assertThatThrownBy(() -> reader.read("b563feb7b2b84b6test"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("connection refused");
    }

    @Test
    void goesOnReadingAfterAFailedQuery() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        reader = new CoalescingReader(uids -> {
            if (calls.incrementAndGet() == 1) {
                throw new StoreUnavailableException("could not read orders by order_uid: connection refused", null);
            }
            return uids.stream().map(CoalescingReaderTest::order).toList();
        }, 1);
        assertThatThrownBy(() -> reader.read("first")).isInstanceOf(StoreUnavailableException.class);

        assertThat(reader.read("second").order()).isPresent();
    }

    @Test
    void failsARequestMadeAfterItIsClosed() {
        reader = new CoalescingReader(this::findAll, 1);
        reader.close();

        assertThatThrownBy(() -> reader.read("b563feb7b2b84b6test"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void answersEachIdOfAQueryWithItsOwnOrderOrNone() throws Exception {
        reader = new CoalescingReader(this::findAll, 1);
        requests.submit(() -> reader.read("first"));
        firstQueryAsked.await();
        Future<CoalescingReader.Answer> known = requests.submit(() -> reader.read("known"));
        Future<CoalescingReader.Answer> unknown = requests.submit(() -> reader.read("unknown2"));
        awaitAllRequestersWaiting(3);

        firstQueryMayAnswer.countDown();

        assertThat(known.get().order()).isPresent();
        assertThat(unknown.get().order()).isEmpty();
        assertThat(queries.get(1)).containsExactlyInAnyOrder("known", "unknown2");
    }

    /** Requesters wait for their answer once their request is queued; when all do, the next query takes them all. */
    private void awaitAllRequestersWaiting(int count) {
        await(count + " requests waiting", () -> requesters.size() == count
                && requesters.stream().allMatch(CoalescingReaderTest::waitsForItsAnswer));
    }

    private static boolean waitsForItsAnswer(Thread thread) {
        return thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName()));
    }
}
