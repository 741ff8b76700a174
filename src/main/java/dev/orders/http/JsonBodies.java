package dev.orders.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orders.order.Rfc3339;
import dev.orders.store.OrderSummary;
import dev.orders.store.Page;
import dev.orders.store.RejectedMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The JSON bodies of the list and event endpoints, written field by field so their shape is plain to see. */
final class JsonBodies {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonBodies() {
    }

    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code {"orders":[…],"next":"…"}} */
    static byte[] orders(Page<OrderSummary> page) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("orders");
            for (OrderSummary order : page.items()) {
                summary(order, json);
            }
            json.writeEndArray();
            cursor(page, json);
            json.writeEndObject();
        });
    }

    static String summary(OrderSummary order) {
        return new String(write(json -> summary(order, json)), StandardCharsets.UTF_8);
    }

    private static void summary(OrderSummary order, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("order_uid", order.orderUid());
        json.writeStringField("track_number", order.trackNumber());
        json.writeStringField("date_created", Rfc3339.format(order.dateCreated()));
        json.writeStringField("customer_id", order.customerId());
        json.writeStringField("delivery_service", order.deliveryService());
        json.writeNumberField("amount", order.amount());
        json.writeStringField("currency", order.currency());
        json.writeNumberField("items", order.itemCount());
        json.writeStringField("stored_at", order.storedAt().toString());
        json.writeStringField("cursor", String.valueOf(order.storedSeq()));
        json.writeEndObject();
    }

    /**
     * {@code {"rejected":[…],"next":"…"}}; each payload as text: valid UTF-8 as it is, any other byte as U+FFFD.
     */
    static byte[] rejected(Page<RejectedMessage> page) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("rejected");
            for (RejectedMessage message : page.items()) {
                json.writeStartObject();
                json.writeNumberField("id", message.id());
                json.writeStringField("rejected_at", message.rejectedAt().toString());
                json.writeStringField("code", message.code());
                json.writeStringField("reason", message.reason());
                json.writeStringField("order_uid", message.orderUid());
                json.writeStringField("source", message.position().source());
                json.writeStringField("channel", message.position().channel());
                json.writeNumberField("partition", message.position().partition());
                json.writeNumberField("position", message.position().position());
                json.writeNumberField("payload_size", message.payloadSize());
                json.writeStringField("payload_text", asText(message.payload()));
                json.writeBooleanField("payload_truncated", message.payload().length < message.payloadSize());
                json.writeEndObject();
            }
            json.writeEndArray();
            cursor(page, json);
            json.writeEndObject();
        });
    }

    private static void cursor(Page<?> page, JsonGenerator json) throws IOException {
        json.writeStringField("next", page.next() == null ? null : String.valueOf(page.next()));
    }

    private static String asText(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not fail", e);
        }
    }
}
