package dev.orders.store;

import dev.orders.order.Order;
import dev.orders.order.OrderWriter;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Version 3: every order keeps the canonical JSON it is served as, next to its typed rows. Restoring the cache then
 * reads one column of one table instead of joining four tables and writing every order's JSON again, and the ETag
 * stays the digest of the very bytes served even if the writer changes later. Orders stored before this version get
 * their JSON written here, once, from their typed rows.
 */
final class CanonicalJsonMigration implements JavaMigration {
    private static final Logger log = LoggerFactory.getLogger(CanonicalJsonMigration.class);
    private static final String SELECT_ORDER_ROWS = """
            select o.order_uid, o.track_number, o.entry, o.locale, o.internal_signature, o.customer_id,
                   o.delivery_service, o.shardkey, o.sm_id, o.date_created, o.oof_shard,
                   d.name, d.phone, d.zip, d.city, d.address, d.region, d.email,
                   p.transaction, p.request_id, p.currency, p.provider, p.amount, p.payment_dt, p.bank,
                   p.delivery_cost, p.goods_total, p.custom_fee,
                   i.chrt_id, i.track_number, i.price, i.rid, i.name, i.sale, i.size, i.total_price, i.nm_id,
                   i.brand, i.status
            from orders o
            join deliveries d on d.order_uid = o.order_uid
            join payments p on p.order_uid = o.order_uid
            join order_items i on i.order_uid = o.order_uid
            order by o.order_uid, i.position""";
    private static final int UPDATES_PER_BATCH = 1_000;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "orders keep their canonical json";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("alter table orders add column canonical_json bytea");
        }
        long started = System.nanoTime();
        int written = writeJsonOfEarlierOrders(connection);
        if (written > 0) {
            log.info("Wrote the canonical JSON of {} orders stored before schema version 3, in {} ms", written,
                    (System.nanoTime() - started) / 1_000_000);
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("""
                    alter table orders alter column canonical_json set not null,
                        add constraint orders_canonical_json_is_an_object
                            check (substring(canonical_json from 1 for 1) = '{'::bytea)""");
        }
    }

    /** The digest is written again too: it must be of the bytes now served. */
    private static int writeJsonOfEarlierOrders(Connection connection) throws Exception {
        OrderWriter writer = new OrderWriter();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (PreparedStatement select = connection.prepareStatement(SELECT_ORDER_ROWS);
             PreparedStatement update = connection.prepareStatement(
                     "update orders set canonical_json = ?, content_sha256 = ? where order_uid = ?")) {
            select.setFetchSize(2_000);
            int pending = 0, written = 0;
            try (ResultSet rows = select.executeQuery()) {
                OrderRows orders = new OrderRows(rows);
                for (Order order = orders.next(); order != null; order = orders.next()) {
                    byte[] json = writer.write(order);
                    update.setBytes(1, json);
                    update.setBytes(2, sha256.digest(json));
                    update.setString(3, order.orderUid());
                    update.addBatch();
                    written++;
                    if (++pending == UPDATES_PER_BATCH) {
                        update.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
            return written;
        }
    }

    /** Reassembles orders from joined rows (one row per item, ordered by order then item position). */
    private static final class OrderRows {
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
}
