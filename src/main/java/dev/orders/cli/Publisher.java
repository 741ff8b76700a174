package dev.orders.cli;

import dev.orders.ingest.JetStreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/** Sends one message and tells, through the future, when the broker has it. */
interface Publisher extends AutoCloseable {

    CompletableFuture<?> send(byte[] payload);

    static Publisher jetStream(String url, String stream, String subject) throws Exception {
        Connection connection = Nats.connect(url);
        JetStreamSetup.ensureStream(connection.jetStreamManagement(), stream, subject, true);
        JetStream jetStream = connection.jetStream();
        return new Publisher() {
            @Override
            public CompletableFuture<?> send(byte[] payload) {
                return jetStream.publishAsync(subject, payload);
            }

            @Override
            public void close() throws InterruptedException {
                connection.close();
            }
        };
    }

    /** Records are keyed by order_uid, when the payload has one, so that one order always lands in one partition. */
    static Publisher kafka(String bootstrapServers, String topic, Map<String, String> clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "orders-publish");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
        return new Publisher() {
            @Override
            public CompletableFuture<?> send(byte[] payload) {
                CompletableFuture<Object> sent = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(topic, OrderKeys.orderUid(payload), payload), (metadata, error) -> {
                    if (error == null) {
                        sent.complete(metadata);
                    } else {
                        sent.completeExceptionally(error);
                    }
                });
                return sent;
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(10));
            }
        };
    }
}
