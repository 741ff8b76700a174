package dev.orders.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** What operators browse: the latest stored orders and the latest rejected messages, keyset-paginated. */
public final class ActivityQueries {
    private static final String RECENT_ORDERS = """
            select o.stored_seq, o.stored_at, o.order_uid, o.track_number, o.date_created, o.customer_id,
                   o.delivery_service, o.payment_amount, o.payment_currency,
                   (select count(*) from order_items i where i.order_uid = o.order_uid)
            from orders o
            where o.stored_seq < ?
            order by o.stored_seq desc
            limit ?""";
    private static final String RECENT_REJECTED = """
            select id, rejected_at, source, channel, partition, position, code, reason, order_uid,
                   substring(payload from 1 for ?), payload_size
            from rejected_messages
            where id < ? and (?::text is null or code = ?::text)
              and rejected_at >= ? and rejected_at < ?
            order by id desc
            limit ?""";
    private static final String REJECTED_BY_ID = """
            select id, rejected_at, source, channel, partition, position, code, reason, order_uid, payload, payload_size
            from rejected_messages
            where id = ?""";

    private final DataSource dataSource;

    public ActivityQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stored orders, newest first, older than the cursor {@code before} when given. */
    public Page<OrderSummary> recentOrders(int limit, Long before) throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RECENT_ORDERS)) {
            statement.setLong(1, before == null ? Long.MAX_VALUE : before);
            statement.setInt(2, limit + 1);
            List<OrderSummary> orders = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    orders.add(new OrderSummary(rows.getLong(1), instant(rows, 2), rows.getString(3),
                            rows.getString(4), instant(rows, 5), rows.getString(6), rows.getString(7),
                            rows.getLong(8), rows.getString(9), rows.getInt(10)));
                }
            }
            return page(orders, limit, OrderSummary::storedSeq);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not list orders: " + e.getMessage(), e);
        }
    }

    /**
     * Rejected messages, newest first, older than the cursor {@code before} when given, of one code when given;
     * payloads cut to {@code payloadBytes}.
     */
    public Page<RejectedMessage> rejected(int limit, Long before, String code, int payloadBytes)
            throws StoreUnavailableException {
        return rejected(limit, before, code, Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"), payloadBytes);
    }

    /** As {@link #rejected(int, Long, String, int)}, rejected from {@code since} (inclusive) to {@code until}. */
    public Page<RejectedMessage> rejected(int limit, Long before, String code, Instant since, Instant until,
                                          int payloadBytes) throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(RECENT_REJECTED)) {
            statement.setInt(1, payloadBytes);
            statement.setLong(2, before == null ? Long.MAX_VALUE : before);
            statement.setString(3, code);
            statement.setString(4, code);
            statement.setObject(5, since.atOffset(ZoneOffset.UTC));
            statement.setObject(6, until.atOffset(ZoneOffset.UTC));
            statement.setInt(7, limit + 1);
            List<RejectedMessage> rejected = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rejected.add(rejectedMessage(rows));
                }
            }
            return page(rejected, limit, RejectedMessage::id);
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not list rejected messages: " + e.getMessage(), e);
        }
    }

    /** One rejected message with its whole stored payload, if there is one with this id. */
    public Optional<RejectedMessage> rejectedMessage(long id) throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(REJECTED_BY_ID)) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rejectedMessage(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read rejected message " + id + ": " + e.getMessage(), e);
        }
    }

    private static RejectedMessage rejectedMessage(ResultSet rows) throws SQLException {
        BrokerPosition position = new BrokerPosition(rows.getString(3), rows.getString(4), rows.getInt(5),
                rows.getLong(6));
        return new RejectedMessage(rows.getLong(1), instant(rows, 2), position, rows.getString(7), rows.getString(8),
                rows.getString(9), rows.getBytes(10), rows.getInt(11));
    }

    private static <T> Page<T> page(List<T> rows, int limit, ToLongFunction<T> cursor) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursor.applyAsLong(items.getLast()));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }
}
