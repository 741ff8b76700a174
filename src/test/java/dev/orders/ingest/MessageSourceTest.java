package dev.orders.ingest;

import dev.orders.config.ServiceConfig;
import dev.orders.store.BrokerPosition;
import dev.orders.support.TestBroker;
import dev.orders.support.TestKafka;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the pipeline relies on from a broker, against real ones. */
class MessageSourceTest {
    /** Well below JetStream's ack wait (30 s), after which it would redeliver anyway. */
    private static final Duration SOON = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"jetstream", "kafka"})
    void deliversMessagesGivenBackAgainAtOnce(String kind) throws Exception {
        try (TestBroker broker = TestBroker.start(kind)) {
            List<BrokerPosition> published = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                published.add(broker.publish("message " + i));
            }
            try (MessageSource source = connect(broker.sourceConfig())) {
                List<ReceivedMessage> first = fetch(source, 3);
                source.acknowledge(List.of(first.getFirst()));
                source.redeliver(first.subList(1, 3));

                List<ReceivedMessage> again = fetch(source, 2);

                assertThat(again).extracting(ReceivedMessage::position)
                        .containsExactlyInAnyOrderElementsOf(positions(first.subList(1, 3)));
                assertThat(positions(first)).containsExactlyInAnyOrderElementsOf(published);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetstream", "kafka"})
    void tellsWhetherItsFetchesTookAllTheBrokerHad(String kind) throws Exception {
        try (TestBroker broker = TestBroker.start(kind)) {
            for (int i = 0; i < 150; i++) {
                broker.publish("message " + i);
            }
            try (MessageSource source = connect(broker.sourceConfig())) {
                List<ReceivedMessage> fetched = new ArrayList<>();
                while (fetched.isEmpty()) {
                    fetched.addAll(source.fetch(100, Duration.ofSeconds(1)));
                }
                assertThat(fetched.size()).as("one fetch takes at most 100").isLessThanOrEqualTo(100);
                assertThat(source.drained()).as("drained after %d of 150", fetched.size()).isFalse();

                long deadline = System.nanoTime() + SOON.toNanos();
                while (fetched.size() < 150 && System.nanoTime() < deadline) {
                    fetched.addAll(source.fetch(100, Duration.ofSeconds(1)));
                }
                assertThat(fetched).hasSize(150);
                assertThat(source.drained()).as("drained after all 150").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetstream", "kafka"})
    void fetchesAWholeBatchOfMessagesOverAMebibyteInOneGo(String kind) throws Exception {
        try (TestBroker broker = kind.equals("kafka") ? TestKafka.startWithOnePartition() : TestBroker.start(kind)) {
            String fourKibibytes = "x".repeat(4096);
            broker.publishAll(Collections.nCopies(1_000, fourKibibytes));
            try (MessageSource source = connect(broker.sourceConfig(), 1_000)) {
                List<ReceivedMessage> fetched = List.of();
                long deadline = System.nanoTime() + SOON.toNanos();
                while (fetched.isEmpty() && System.nanoTime() < deadline) {
                    fetched = source.fetch(1_000, Duration.ofSeconds(1));
                }

                assertThat(fetched).as("the first fetch of 1,000 messages of 4 KiB").hasSize(1_000);
            }
        }
    }

    private static MessageSource connect(ServiceConfig.SourceConfig config) throws Exception {
        return connect(config, 100);
    }

    private static MessageSource connect(ServiceConfig.SourceConfig config, int maxBatch) throws Exception {
        return switch (config) {
            case ServiceConfig.NatsConfig nats -> JetStreamSource.connect(nats, SOON);
            case ServiceConfig.KafkaConfig kafka -> KafkaSource.connect(kafka, maxBatch, SOON);
        };
    }

    /** Fetches until {@code count} messages came, or fails when they did not come soon. */
    private static List<ReceivedMessage> fetch(MessageSource source, int count) throws InterruptedException {
        List<ReceivedMessage> fetched = new ArrayList<>();
        long deadline = System.nanoTime() + SOON.toNanos();
        while (fetched.size() < count && System.nanoTime() < deadline) {
            fetched.addAll(source.fetch(count - fetched.size(), Duration.ofSeconds(1)));
        }
        assertThat(fetched).as("messages fetched within %s", SOON).hasSize(count);
        return fetched;
    }

    private static List<BrokerPosition> positions(List<ReceivedMessage> messages) {
        return messages.stream().map(ReceivedMessage::position).toList();
    }
}
