package dev.orders.ingest;

import dev.orders.config.ServiceConfig;
import dev.orders.store.BrokerPosition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;

/**
 * Messages from a Kafka topic through a consumer group. Offsets are committed only when the pipeline
 * acknowledges a batch, that is after its outcomes are committed in PostgreSQL. Kafka does not redeliver by itself,
 * so a batch the pipeline gives back is fetched again by seeking back to it. Used from one thread only, as the
 * Kafka consumer requires.
 */
public final class KafkaSource implements MessageSource {
    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private boolean pausedForRetry;

    private KafkaSource(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /**
     * Waits up to {@code startupTimeout} for the cluster to answer, creates the topic when absent (if configured),
     * and joins the consumer group.
     */
    public static KafkaSource connect(ServiceConfig.KafkaConfig config, int maxBatch, Duration startupTimeout)
            throws TimeoutException, InterruptedException {
        Properties common = new Properties();
        common.putAll(config.clientProperties());
        common.put("bootstrap.servers", config.bootstrapServers());
        prepareTopic(common, config, startupTimeout);

        Properties properties = new Properties();
        properties.putAll(common);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxBatch));
        // Kafka's default of 1 MiB a partition cut a batch of orders from a topic of one partition to about 1,000.
        properties.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(FETCH_BYTES));
        properties.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(FETCH_BYTES));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "orders-service");
        // A crashed instance's partitions wait this long for another member (or its restart); the default is 45 s.
        properties.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
        KafkaSource source = new KafkaSource(consumer, config.topic());
        consumer.subscribe(List.of(config.topic()), source.new Rebalancing());
        return source;
    }

    private static void prepareTopic(Properties common, ServiceConfig.KafkaConfig config, Duration startupTimeout)
            throws TimeoutException, InterruptedException {
        Instant deadline = Instant.now().plus(startupTimeout);
        Properties adminProperties = new Properties();
        adminProperties.putAll(common);
        // Each attempt gives up quickly, so that the loop, not the client, decides how long start-up waits.
        adminProperties.putIfAbsent("default.api.timeout.ms", "2000");
        adminProperties.putIfAbsent("request.timeout.ms", "2000");
        Admin admin = Admin.create(adminProperties);
        try {
            while (true) {
                try {
                    Set<String> topics = admin.listTopics().names().get(2, TimeUnit.SECONDS);
                    if (!topics.contains(config.topic()) && config.createPartitions() > 0) {
                        createTopic(admin, config);
                    }
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new TimeoutException("Kafka at " + config.bootstrapServers() + " did not answer within "
                                + startupTimeout.toSeconds() + " s");
                    }
                    log.info("Waiting for Kafka at {}", config.bootstrapServers());
                    Thread.sleep(500);
                }
            }
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private static void createTopic(Admin admin, ServiceConfig.KafkaConfig config)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(config.topic(), config.createPartitions(), (short) -1)))
                    .all().get(10, TimeUnit.SECONDS);
            log.info("Created Kafka topic {} with {} partitions", config.topic(), config.createPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public List<ReceivedMessage> fetch(int max, Duration wait) {
        if (pausedForRetry) {
            consumer.resume(consumer.paused());
            pausedForRetry = false;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(wait);
        } catch (KafkaException e) {
            log.warn("Polling Kafka failed, retrying: {}", e.getMessage());
            return List.of();
        }
        List<ReceivedMessage> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            BrokerPosition position = new BrokerPosition("kafka", record.topic(), record.partition(), record.offset());
            batch.add(new ReceivedMessage(record.value() == null ? new byte[0] : record.value(), position, partition));
        }
        return batch;
    }

    @Override
    public void acknowledge(List<ReceivedMessage> messages) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        // A committed offset names the next message to read.
        ownedPartitionOffsets(messages, Math::max)
                .forEach((partition, last) -> offsets.put(partition, new OffsetAndMetadata(last + 1)));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (KafkaException e) {
            // Another member owns these partitions now; it reads from the last committed offset, and a message
            // stored twice is a duplicate, which changes nothing.
            log.warn("Could not commit offsets {}: {}", offsets.keySet(), e.getMessage());
        }
    }

    /** Seeks back to the first of these messages in each partition this member still owns. */
    @Override
    public void redeliver(List<ReceivedMessage> messages) {
        ownedPartitionOffsets(messages, Math::min).forEach(consumer::seek);
    }

    /** For each partition this member still owns, the offsets of these messages in it, reduced to one. */
    private Map<TopicPartition, Long> ownedPartitionOffsets(List<ReceivedMessage> messages, BinaryOperator<Long> pick) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (ReceivedMessage message : messages) {
            TopicPartition partition = (TopicPartition) message.handle();
            if (assigned.contains(partition)) {
                offsets.merge(partition, message.position().position(), pick);
            }
        }
        return offsets;
    }

    /**
     * While PostgreSQL is down: pause every partition, then poll, which fetches nothing but keeps this member in
     * its group.
     */
    @Override
    public void stillWorking(List<ReceivedMessage> messages) {
        consumer.pause(consumer.assignment());
        pausedForRetry = true;
        ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ZERO);
        // Partitions assigned during that poll were not paused; anything they gave is read again later.
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : unexpected) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    @Override
    public boolean isConnected() {
        // The consumer's own metrics are safe to read from any thread, unlike the consumer itself.
        return consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-count") && e.getKey().group().equals("consumer-metrics"))
                .anyMatch(e -> e.getValue().metricValue() instanceof Double count && count > 0);
    }

    /**
     * The client knows each partition's lag from its last fetch; a partition it knows nothing of yet counts as not
     * drained.
     */
    @Override
    public boolean drained() {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : assigned) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return !assigned.isEmpty();
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        new KafkaClientMetrics(consumer).bindTo(registry);
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private final class Rebalancing implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Acknowledged batches are committed already; what is in flight is redelivered to the new owner.
            log.info("Kafka partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (pausedForRetry) {
                consumer.pause(partitions);
            }
            log.info("Kafka partitions assigned: {}", partitions);
        }
    }

    @Override
    public String toString() {
        return "Kafka topic " + topic;
    }
}
