package dev.orders.order;

import java.time.Instant;
import java.util.List;

/** An order as the contract defines it; field order follows {@code model.json}. Immutable once received. */
public record Order(
        String orderUid,
        String trackNumber,
        String entry,
        Delivery delivery,
        Payment payment,
        List<Item> items,
        String locale,
        String internalSignature,
        String customerId,
        String deliveryService,
        String shardKey,
        long smId,
        Instant dateCreated,
        String oofShard) {

    public Order {
        items = List.copyOf(items);
    }

    public record Delivery(String name, String phone, String zip, String city, String address, String region,
                           String email) {
    }

    public record Payment(String transaction, String requestId, String currency, String provider, long amount,
                          long paymentDt, String bank, long deliveryCost, long goodsTotal, long customFee) {
    }

    public record Item(long chrtId, String trackNumber, long price, String rid, String name, int sale, String size,
                       long totalPrice, long nmId, String brand, long status) {
    }
}
