package dev.orders.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.config.ServiceConfig;
import dev.orders.local.LocalKafkaBroker;
import dev.orders.store.BrokerPosition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A topic of its own, with four partitions unless asked otherwise, on a real Kafka broker running in this JVM (one
 * broker for all tests, started on first use), and a consumer group name of its own for the service.
 */
public final class TestKafka implements TestBroker {
    public static final int PARTITIONS = 4;
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalKafkaBroker broker;

    private final String bootstrapServers;
    private final KafkaBrokerProcess ownBroker;
    private final String topic;
    private final String groupId;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong published = new AtomicLong();

    private TestKafka(String bootstrapServers, KafkaBrokerProcess ownBroker, String topic, String groupId,
                      KafkaProducer<byte[], byte[]> producer) {
        this.bootstrapServers = bootstrapServers;
        this.ownBroker = ownBroker;
        this.topic = topic;
        this.groupId = groupId;
        this.producer = producer;
    }

    private static synchronized LocalKafkaBroker broker() {
        if (broker == null) {
            try {
                broker = LocalKafkaBroker.start(Files.createTempDirectory("orders-test-kafka"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker;
    }

    /** A topic on the broker all tests share. */
    public static TestKafka start() {
        return start(broker().bootstrapServers(), null, PARTITIONS);
    }

    /** A topic of one partition on the broker all tests share: where what a fetch takes from a partition shows. */
    public static TestKafka startWithOnePartition() {
        return start(broker().bootstrapServers(), null, 1);
    }

    /** A topic on a broker of its own, in a separate process, which {@link #stopServer()} can take down. */
    public static TestKafka startWithOwnBroker() {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start();
        return start(broker.bootstrapServers(), broker, PARTITIONS);
    }

    private static TestKafka start(String bootstrap, KafkaBrokerProcess ownBroker, int partitions) {
        int number = TOPICS.incrementAndGet();
        String topic = "orders-" + number;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + topic, e);
        }
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        return new TestKafka(bootstrap, ownBroker, topic, "orders-service-" + number, producer);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void stopServer() {
        ownBroker().stopProcess();
    }

    @Override
    public void restartServer() {
        ownBroker().startProcess();
    }

    private KafkaBrokerProcess ownBroker() {
        if (ownBroker == null) {
            throw new IllegalStateException("the shared broker cannot be stopped; use startWithOwnBroker()");
        }
        return ownBroker;
    }

    public String topic() {
        return topic;
    }

    @Override
    public ServiceConfig.SourceConfig sourceConfig() {
        return new ServiceConfig.KafkaConfig(bootstrapServers(), topic, groupId, 0, Map.of());
    }

    @Override
    public BrokerPosition publish(byte[] payload) {
        try {
            RecordMetadata metadata = send(payload).get(30, TimeUnit.SECONDS);
            return new BrokerPosition("kafka", topic, metadata.partition(), metadata.offset());
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    @Override
    public void publishAll(List<String> payloads) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String payload : payloads) {
            sent.add(send(payload.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    @Override
    public CompletableFuture<BrokerPosition> publishAsync(byte[] payload) {
        published.incrementAndGet();
        CompletableFuture<BrokerPosition> position = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key(payload), payload), (metadata, failure) -> {
            if (failure != null) {
                position.completeExceptionally(failure);
            } else {
                position.complete(new BrokerPosition("kafka", topic, metadata.partition(), metadata.offset()));
            }
        });
        return position;
    }

    /** Keyed by order_uid when the payload has one, as producers of orders do. */
    private Future<RecordMetadata> send(byte[] payload) {
        published.incrementAndGet();
        return producer.send(new ProducerRecord<>(topic, key(payload), payload));
    }

    private static byte[] key(byte[] payload) {
        try {
            JsonNode uid = JSON.readTree(payload).get("order_uid");
            return uid != null && uid.isTextual() ? uid.textValue().getBytes(StandardCharsets.UTF_8) : null;
        } catch (IOException | RuntimeException notAnOrder) {
            return null;
        }
    }

    @Override
    public long published() {
        return published.get();
    }

    @Override
    public long acknowledged() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not read the offsets of group " + groupId, e);
        }
    }

    /** How many members of the service's consumer group have at least one partition of the topic. */
    public int membersWithPartitions() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return (int) admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS)
                    .get(groupId).members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not describe group " + groupId, e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
        if (ownBroker != null) {
            ownBroker.close();
        }
    }
}
