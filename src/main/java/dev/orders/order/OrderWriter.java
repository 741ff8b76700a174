package dev.orders.order;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an order as compact JSON in the names and field order of {@code model.json}. The output is canonical:
 * two orders that are equal give the same bytes, which makes the bytes usable for duplicate detection and ETags.
 */
public final class OrderWriter {
    private final JsonFactory factory = JsonFactory.builder().build();

    public byte[] write(Order order) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
             JsonGenerator json = factory.createGenerator(buffer)) {
            writeOrder(order, json);
            json.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    private static void writeOrder(Order order, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("order_uid", order.orderUid());
        json.writeStringField("track_number", order.trackNumber());
        json.writeStringField("entry", order.entry());
        writeDelivery(order.delivery(), json);
        writePayment(order.payment(), json);
        json.writeArrayFieldStart("items");
        for (Order.Item item : order.items()) {
            writeItem(item, json);
        }
        json.writeEndArray();
        json.writeStringField("locale", order.locale());
        json.writeStringField("internal_signature", order.internalSignature());
        json.writeStringField("customer_id", order.customerId());
        json.writeStringField("delivery_service", order.deliveryService());
        json.writeStringField("shardkey", order.shardKey());
        json.writeNumberField("sm_id", order.smId());
        json.writeStringField("date_created", Rfc3339.format(order.dateCreated()));
        json.writeStringField("oof_shard", order.oofShard());
        json.writeEndObject();
    }

    private static void writeDelivery(Order.Delivery delivery, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("delivery");
        json.writeStringField("name", delivery.name());
        json.writeStringField("phone", delivery.phone());
        json.writeStringField("zip", delivery.zip());
        json.writeStringField("city", delivery.city());
        json.writeStringField("address", delivery.address());
        json.writeStringField("region", delivery.region());
        json.writeStringField("email", delivery.email());
        json.writeEndObject();
    }

    private static void writePayment(Order.Payment payment, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("payment");
        json.writeStringField("transaction", payment.transaction());
        json.writeStringField("request_id", payment.requestId());
        json.writeStringField("currency", payment.currency());
        json.writeStringField("provider", payment.provider());
        json.writeNumberField("amount", payment.amount());
        json.writeNumberField("payment_dt", payment.paymentDt());
        json.writeStringField("bank", payment.bank());
        json.writeNumberField("delivery_cost", payment.deliveryCost());
        json.writeNumberField("goods_total", payment.goodsTotal());
        json.writeNumberField("custom_fee", payment.customFee());
        json.writeEndObject();
    }

    private static void writeItem(Order.Item item, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("chrt_id", item.chrtId());
        json.writeStringField("track_number", item.trackNumber());
        json.writeNumberField("price", item.price());
        json.writeStringField("rid", item.rid());
        json.writeStringField("name", item.name());
        json.writeNumberField("sale", item.sale());
        json.writeStringField("size", item.size());
        json.writeNumberField("total_price", item.totalPrice());
        json.writeNumberField("nm_id", item.nmId());
        json.writeStringField("brand", item.brand());
        json.writeNumberField("status", item.status());
        json.writeEndObject();
    }
}
