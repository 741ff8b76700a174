package dev.orders.store;

import dev.orders.order.Order;

import java.time.Instant;

/**
 * What a list of orders shows about each one.
 *
 * @param storedSeq the order's place in the order of storing; lists page by it
 */
public record OrderSummary(long storedSeq, Instant storedAt, String orderUid, String trackNumber,
                           Instant dateCreated, String customerId, String deliveryService, long amount,
                           String currency, int itemCount) {

    public static OrderSummary of(Order order, Outcome.Stored stored) {
        return new OrderSummary(stored.storedSeq(), stored.storedAt(), order.orderUid(), order.trackNumber(),
                order.dateCreated(), order.customerId(), order.deliveryService(), order.payment().amount(),
                order.payment().currency(), order.items().size());
    }
}
