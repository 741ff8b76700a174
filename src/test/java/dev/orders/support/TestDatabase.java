package dev.orders.support;

import dev.orders.store.BrokerPosition;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One database of a {@link TestPostgres}, with the queries tests use to check what was committed. */
public record TestDatabase(String url, String user, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Rejected-message rows recorded for the message at {@code position}. */
    public long rejectedAt(BrokerPosition position) {
        return count("select count(*) from rejected_messages where source = ? and channel = ? and partition = ?"
                + " and position = ?", position.source(), position.channel(), position.partition(), position.position());
    }

    public long count(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
