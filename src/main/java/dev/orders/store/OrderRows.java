package dev.orders.store;

import dev.orders.order.Order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reassembles orders from joined rows (one row per item, ordered by order then item position). */
final class OrderRows {
    private final ResultSet rows;
    private boolean onRow;

    OrderRows(ResultSet rows) throws SQLException {
        this.rows = rows;
        this.onRow = rows.next();
    }

    /** The next whole order, or null when the rows are exhausted. */
    Order next() throws SQLException {
        if (!onRow) {
            return null;
        }
        String uid = rows.getString(1);
        String trackNumber = rows.getString(2);
        String entry = rows.getString(3);
        String locale = rows.getString(4);
        String internalSignature = rows.getString(5);
        String customerId = rows.getString(6);
        String deliveryService = rows.getString(7);
        String shardKey = rows.getString(8);
        long smId = rows.getLong(9);
        OffsetDateTime dateCreated = rows.getObject(10, OffsetDateTime.class);
        String oofShard = rows.getString(11);
        Order.Delivery delivery = new Order.Delivery(rows.getString(12), rows.getString(13), rows.getString(14),
                rows.getString(15), rows.getString(16), rows.getString(17), rows.getString(18));
        Order.Payment payment = new Order.Payment(rows.getString(19), rows.getString(20), rows.getString(21),
                rows.getString(22), rows.getLong(23), rows.getLong(24), rows.getString(25), rows.getLong(26),
                rows.getLong(27), rows.getLong(28));
        List<Order.Item> items = new ArrayList<>(2);
        do {
            items.add(new Order.Item(rows.getLong(29), rows.getString(30), rows.getLong(31), rows.getString(32),
                    rows.getString(33), rows.getInt(34), rows.getString(35), rows.getLong(36), rows.getLong(37),
                    rows.getString(38), rows.getLong(39)));
            onRow = rows.next();
        } while (onRow && uid.equals(rows.getString(1)));
        return new Order(uid, trackNumber, entry, delivery, payment, items, locale, internalSignature,
                customerId, deliveryService, shardKey, smId, dateCreated.toInstant(), oofShard);
    }
}
