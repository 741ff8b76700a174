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
import java.sql.Statement;

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
}
