package dev.orders.store;

import org.postgresql.jdbc.PgConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Typed array parameters for {@code unnest}; the driver's own method takes primitive arrays without boxing. */
record Columns(PgConnection connection) {
    Columns(Connection connection) throws SQLException {
        this(connection.unwrap(PgConnection.class));
    }

    Array text(String[] values) throws SQLException {
        return connection.createArrayOf("text", values);
    }

    Array int8(long[] values) throws SQLException {
        return connection.createArrayOf("int8", values);
    }

    Array int4(int[] values) throws SQLException {
        return connection.createArrayOf("int4", values);
    }

    Array bytea(byte[][] values) throws SQLException {
        return connection.createArrayOf("bytea", values);
    }

    void bind(PreparedStatement statement, Array... columns) throws SQLException {
        for (int i = 0; i < columns.length; i++) {
            statement.setArray(i + 1, columns[i]);
        }
    }
}
