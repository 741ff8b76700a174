package dev.orders.faults;

import dev.orders.store.BrokerPosition;
import dev.orders.support.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What PostgreSQL holds, checked message by message against what was sent: every valid order stored once with all
 * its rows, every invalid message rejected once with the right code, every repeat recognised as a duplicate.
 *
 * @param sent        messages published
 * @param stored      valid orders found complete
 * @param duplicates  repeats of a valid order that changed nothing
 * @param rejected    invalid messages with their one rejected row
 * @param lost        valid orders missing or incomplete, invalid messages with no rejected row
 * @param storedTwice orders with more item rows than sent, positions rejected more than once
 * @param misjudged   a valid order or a repeat rejected, an invalid message stored, a rejection with another code
 * @param examples    the first few discrepancies, to say what went wrong
 */
record Ledger(long sent, long stored, long duplicates, long rejected, long lost, long storedTwice, long misjudged,
              List<String> examples) {
    private static final int EXAMPLES = 5;

    boolean balanced() {
        return lost == 0 && storedTwice == 0 && misjudged == 0;
    }

    private record StoredOrder(long items, boolean complete) {
    }

    private record Rejection(String code, long rows) {
    }

    static Ledger check(TestDatabase database, List<Traffic.Sent> sent) {
        Map<String, StoredOrder> orders = storedOrders(database);
        Map<BrokerPosition, Rejection> rejections = rejections(database);
        Tally tally = new Tally();
        Set<String> expectedUids = new HashSet<>();
        for (Traffic.Sent one : sent) {
            BrokerPosition position = one.awaitPosition();
            Rejection rejection = rejections.get(position);
            switch (one.message()) {
                case Message.Valid valid -> {
                    expectedUids.add(valid.orderUid());
                    StoredOrder order = orders.get(valid.orderUid());
                    if (rejection != null) {
                        tally.misjudged("valid order " + valid.orderUid() + " rejected as " + rejection.code());
                    }
                    if (order == null || !order.complete() || order.items() < valid.items()) {
                        tally.lost("valid order " + valid.orderUid() + " at " + position + (order == null ? " missing" : " incomplete"));
                    } else if (order.items() > valid.items()) {
                        tally.storedTwice("order " + valid.orderUid() + " has " + order.items() + " item rows, sent " + valid.items());
                    } else {
                        tally.stored++;
                    }
                }
                case Message.Repeat repeat -> {
                    if (rejection != null) {
                        tally.misjudged("repeat of " + repeat.original().orderUid() + " rejected as " + rejection.code());
                    } else {
                        tally.duplicates++;
                    }
                }
                case Message.Invalid invalid -> {
                    if (rejection == null) {
                        tally.lost(invalid.kind() + " at " + position + " has no rejected row");
                    } else if (rejection.rows() > 1) {
                        tally.storedTwice(invalid.kind() + " at " + position + " rejected " + rejection.rows() + " times");
                    } else if (invalid.code() != null && !invalid.code().equals(rejection.code())) {
                        tally.misjudged(invalid.kind() + " at " + position + " rejected as " + rejection.code()
                                + ", expected " + invalid.code());
                    } else {
                        tally.rejected++;
                    }
                }
            }
        }
        orders.keySet().stream().filter(uid -> !expectedUids.contains(uid))
                .forEach(uid -> tally.misjudged("order " + uid + " stored but never sent as a valid order"));
        return new Ledger(sent.size(), tally.stored, tally.duplicates, tally.rejected, tally.lost, tally.storedTwice,
                tally.misjudged, List.copyOf(tally.examples));
    }

    private static final class Tally {
        long stored;
        long duplicates;
        long rejected;
        long lost;
        long storedTwice;
        long misjudged;
        final List<String> examples = new ArrayList<>();

        void lost(String example) {
            lost++;
            note(example);
        }

        void storedTwice(String example) {
            storedTwice++;
            note(example);
        }

        void misjudged(String example) {
            misjudged++;
            note(example);
        }

        private void note(String example) {
            if (examples.size() < EXAMPLES) {
                examples.add(example);
            }
        }
    }

    private static Map<String, StoredOrder> storedOrders(TestDatabase database) {
        Map<String, StoredOrder> orders = new HashMap<>();
        query(database, """
                select o.order_uid,
                       (select count(*) from order_items i where i.order_uid = o.order_uid),
                       o.delivery_name is not null and o.payment_transaction is not null
                           and o.canonical_json is not null
                from orders o""", rows -> orders.put(rows.getString(1), new StoredOrder(rows.getLong(2), rows.getBoolean(3))));
        return orders;
    }

    private static Map<BrokerPosition, Rejection> rejections(TestDatabase database) {
        Map<BrokerPosition, Rejection> rejections = new HashMap<>();
        query(database, """
                select source, channel, partition, position, min(code), count(*)
                from rejected_messages group by source, channel, partition, position""",
                rows -> rejections.put(new BrokerPosition(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getLong(4)),
                        new Rejection(rows.getString(5), rows.getLong(6))));
        return rejections;
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private static void query(TestDatabase database, String sql, RowReader reader) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read what was committed", e);
        }
    }
}
