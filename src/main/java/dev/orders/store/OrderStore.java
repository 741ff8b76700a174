package dev.orders.store;

import dev.orders.order.Order;
import dev.orders.order.Rejection;
import dev.orders.order.RejectionCode;

import org.postgresql.PGStatement;
import org.postgresql.jdbc.PgConnection;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Orders and rejected messages in PostgreSQL. A batch of decisions is committed in one transaction with one
 * statement per table (arrays through {@code unnest}), so its cost is a handful of round trips, whatever its size.
 */
public final class OrderStore {
    private static final String INSERT_ORDERS = """
            insert into orders (order_uid, track_number, entry, locale, internal_signature, customer_id,
                                delivery_service, shardkey, sm_id, date_created, oof_shard, content_sha256,
                                canonical_json,
                                delivery_name, delivery_phone, delivery_zip, delivery_city, delivery_address,
                                delivery_region, delivery_email,
                                payment_transaction, payment_request_id, payment_currency, payment_provider,
                                payment_amount, payment_dt, payment_bank, payment_delivery_cost, payment_goods_total,
                                payment_custom_fee)
            select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::bigint[], ?::text[]::timestamptz[], ?::text[], ?::bytea[],
                                 ?::bytea[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[],
                                 ?::bigint[], ?::bigint[], ?::bigint[])
            on conflict (order_uid) do nothing
            returning order_uid, stored_seq, stored_at""";
    private static final String INSERT_ITEMS = """
            insert into order_items (order_uid, position, chrt_id, track_number, price, rid, name, sale, size,
                                     total_price, nm_id, brand, status)
            select * from unnest(?::text[], ?::smallint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                                 ?::smallint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[])""";
    private static final String INSERT_REJECTED = """
            insert into rejected_messages (source, channel, partition, position, code, reason, order_uid, payload,
                                           payload_size)
            select * from unnest(?::text[], ?::text[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                                 ?::bytea[], ?::integer[])
            on conflict (source, channel, partition, position) do nothing""";
    private static final String SELECT_DIGESTS =
            "select order_uid, content_sha256 from orders where order_uid = any(?::text[])";
    private static final String SELECT_MANY =
            "select order_uid, canonical_json, content_sha256 from orders where order_uid = any(?::text[])";
    /** Backwards along the unique index on stored_seq: newest first without a sort. */
    private static final String SELECT_RANGE_NEWEST_FIRST = """
            select order_uid, canonical_json, content_sha256 from orders
            where stored_seq > ? and stored_seq <= ? order by stored_seq desc""";
    /** How many stored_seq values a restoring thread reads at a time. */
    private static final long RESTORE_RANGE = 50_000;

    private final DataSource dataSource;

    public OrderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Commits the outcome of every decision in one transaction and returns them in the same order. A decision
     * the database refuses as data (a constraint the reader did not foresee) is isolated and rejected, so it
     * cannot block the others.
     *
     * @throws StoreUnavailableException when nothing could be committed for a reason that is not about the data
     */
    public List<Outcome> commit(List<Decision> batch) throws StoreUnavailableException {
        try {
            return commitInOneTransaction(batch);
        } catch (SQLException e) {
            if (!isAboutTheData(e)) {
                throw new StoreUnavailableException("could not commit a batch: " + e.getMessage(), e);
            }
            return commitOneByOne(batch);
        }
    }

    private List<Outcome> commitOneByOne(List<Decision> batch) throws StoreUnavailableException {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Decision decision : batch) {
            try {
                outcomes.add(commitInOneTransaction(List.of(decision)).getFirst());
            } catch (SQLException e) {
                if (!isAboutTheData(e)) {
                    throw new StoreUnavailableException("could not commit a message: " + e.getMessage(), e);
                }
                outcomes.add(commitRefusal(decision, e));
            }
        }
        return outcomes;
    }

    private Outcome commitRefusal(Decision decision, SQLException refusal) throws StoreUnavailableException {
        Decision.Accept accepted = (Decision.Accept) decision;
        Rejection rejection = new Rejection(RejectionCode.INVALID_VALUE,
                "refused by the database (SQLSTATE " + refusal.getSQLState() + ")");
        Decision.Reject reject = new Decision.Reject(accepted.position(), rejection, accepted.order().orderUid(),
                accepted.json(), accepted.json().length);
        try {
            return commitInOneTransaction(List.of(reject)).getFirst();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not record a refused message: " + e.getMessage(), e);
        }
    }

    /** Class 22 is a data exception, class 23 an integrity violation: both say the row, not the server, is wrong. */
    private static boolean isAboutTheData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private List<Outcome> commitInOneTransaction(List<Decision> batch) throws SQLException {
        Outcome[] outcomes = new Outcome[batch.size()];
        Map<String, Integer> firstByUid = new LinkedHashMap<>();
        List<Decision.Reject> rejects = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Decision.Accept accept) {
                firstByUid.putIfAbsent(accept.order().orderUid(), i);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Decision.Accept> candidates = firstByUid.values().stream()
                        .map(i -> (Decision.Accept) batch.get(i)).toList();
                Map<String, Outcome.Stored> inserted = insertOrders(connection, candidates);
                List<Decision.Accept> stored = candidates.stream()
                        .filter(c -> inserted.containsKey(c.order().orderUid())).toList();
                insertItems(connection, stored);
                Map<String, byte[]> digests = existingDigests(connection, candidates, inserted.keySet());
                for (Decision.Accept accept : stored) {
                    digests.put(accept.order().orderUid(), accept.sha256());
                }
                for (int i = 0; i < batch.size(); i++) {
                    switch (batch.get(i)) {
                        case Decision.Reject reject -> {
                            rejects.add(reject);
                            outcomes[i] = new Outcome.Rejected(reject.rejection());
                        }
                        case Decision.Accept accept -> {
                            String uid = accept.order().orderUid();
                            if (firstByUid.get(uid) == i && inserted.containsKey(uid)) {
                                outcomes[i] = inserted.get(uid);
                            } else if (Arrays.equals(digests.get(uid), accept.sha256())) {
                                outcomes[i] = new Outcome.Duplicate();
                            } else {
                                Decision.Reject conflict = conflict(accept);
                                rejects.add(conflict);
                                outcomes[i] = new Outcome.Rejected(conflict.rejection());
                            }
                        }
                    }
                }
                insertRejected(connection, rejects);
                connection.commit();
                return List.of(outcomes);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static Decision.Reject conflict(Decision.Accept accept) {
        Rejection rejection = new Rejection(RejectionCode.CONFLICT,
                "order_uid: already stored with different content; the first version stays");
        return new Decision.Reject(accept.position(), rejection, accept.order().orderUid(), accept.json(),
                accept.json().length);
    }

    private static Map<String, Outcome.Stored> insertOrders(Connection connection, List<Decision.Accept> candidates)
            throws SQLException {
        if (candidates.isEmpty()) {
            return Map.of();
        }
        int n = candidates.size();
        Columns columns = new Columns(connection);
        String[] uid = new String[n], track = new String[n], entry = new String[n], locale = new String[n],
                signature = new String[n], customer = new String[n], service = new String[n],
                shard = new String[n], created = new String[n], oof = new String[n];
        long[] smId = new long[n];
        byte[][] sha = new byte[n][], json = new byte[n][];
        String[] name = new String[n], phone = new String[n], zip = new String[n], city = new String[n],
                address = new String[n], region = new String[n], email = new String[n];
        String[] transaction = new String[n], requestId = new String[n], currency = new String[n],
                provider = new String[n], bank = new String[n];
        long[] amount = new long[n], paymentDt = new long[n], deliveryCost = new long[n], goodsTotal = new long[n],
                customFee = new long[n];
        for (int i = 0; i < n; i++) {
            Order o = candidates.get(i).order();
            uid[i] = o.orderUid();
            track[i] = o.trackNumber();
            entry[i] = o.entry();
            locale[i] = o.locale();
            signature[i] = o.internalSignature();
            customer[i] = o.customerId();
            service[i] = o.deliveryService();
            shard[i] = o.shardKey();
            smId[i] = o.smId();
            created[i] = o.dateCreated().toString();
            oof[i] = o.oofShard();
            sha[i] = candidates.get(i).sha256();
            json[i] = candidates.get(i).json();
            Order.Delivery d = o.delivery();
            name[i] = d.name();
            phone[i] = d.phone();
            zip[i] = d.zip();
            city[i] = d.city();
            address[i] = d.address();
            region[i] = d.region();
            email[i] = d.email();
            Order.Payment p = o.payment();
            transaction[i] = p.transaction();
            requestId[i] = p.requestId();
            currency[i] = p.currency();
            provider[i] = p.provider();
            amount[i] = p.amount();
            paymentDt[i] = p.paymentDt();
            bank[i] = p.bank();
            deliveryCost[i] = p.deliveryCost();
            goodsTotal[i] = p.goodsTotal();
            customFee[i] = p.customFee();
        }
        Map<String, Outcome.Stored> inserted = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ORDERS)) {
            columns.bind(statement, columns.text(uid), columns.text(track), columns.text(entry),
                    columns.text(locale), columns.text(signature), columns.text(customer), columns.text(service),
                    columns.text(shard), columns.int8(smId), columns.text(created), columns.text(oof),
                    columns.bytea(sha), columns.bytea(json),
                    columns.text(name), columns.text(phone), columns.text(zip), columns.text(city),
                    columns.text(address), columns.text(region), columns.text(email),
                    columns.text(transaction), columns.text(requestId), columns.text(currency),
                    columns.text(provider), columns.int8(amount), columns.int8(paymentDt), columns.text(bank),
                    columns.int8(deliveryCost), columns.int8(goodsTotal), columns.int8(customFee));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    inserted.put(rows.getString(1), new Outcome.Stored(rows.getLong(2),
                            rows.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return inserted;
    }

    private static void insertItems(Connection connection, List<Decision.Accept> stored) throws SQLException {
        if (stored.isEmpty()) {
            return;
        }
        int count = stored.stream().mapToInt(accept -> accept.order().items().size()).sum();
        Columns columns = new Columns(connection);
        String[] uid = new String[count], track = new String[count], rid = new String[count],
                name = new String[count], size = new String[count], brand = new String[count];
        short[] position = new short[count], sale = new short[count];
        long[] chrtId = new long[count], price = new long[count], totalPrice = new long[count],
                nmId = new long[count], status = new long[count];
        int row = 0;
        for (Decision.Accept accept : stored) {
            List<Order.Item> items = accept.order().items();
            for (int p = 0; p < items.size(); p++, row++) {
                Order.Item item = items.get(p);
                uid[row] = accept.order().orderUid();
                position[row] = (short) p;
                chrtId[row] = item.chrtId();
                track[row] = item.trackNumber();
                price[row] = item.price();
                rid[row] = item.rid();
                name[row] = item.name();
                sale[row] = (short) item.sale();
                size[row] = item.size();
                totalPrice[row] = item.totalPrice();
                nmId[row] = item.nmId();
                brand[row] = item.brand();
                status[row] = item.status();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ITEMS)) {
            columns.bind(statement, columns.text(uid), columns.int2(position), columns.int8(chrtId),
                    columns.text(track), columns.int8(price), columns.text(rid), columns.text(name),
                    columns.int2(sale), columns.text(size), columns.int8(totalPrice), columns.int8(nmId),
                    columns.text(brand), columns.int8(status));
            statement.executeUpdate();
        }
    }

    private static Map<String, byte[]> existingDigests(Connection connection, List<Decision.Accept> candidates,
                                                       Set<String> inserted) throws SQLException {
        Map<String, byte[]> digests = new HashMap<>();
        String[] existing = candidates.stream().map(c -> c.order().orderUid())
                .filter(uid -> !inserted.contains(uid)).toArray(String[]::new);
        if (existing.length == 0) {
            return digests;
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT_DIGESTS)) {
            statement.setArray(1, connection.createArrayOf("text", existing));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    digests.put(rows.getString(1), rows.getBytes(2));
                }
            }
        }
        return digests;
    }

    private static void insertRejected(Connection connection, List<Decision.Reject> rejects) throws SQLException {
        if (rejects.isEmpty()) {
            return;
        }
        int n = rejects.size();
        Columns columns = new Columns(connection);
        String[] source = new String[n], channel = new String[n], code = new String[n], reason = new String[n],
                uid = new String[n];
        int[] partition = new int[n], payloadSize = new int[n];
        long[] position = new long[n];
        byte[][] payload = new byte[n][];
        for (int i = 0; i < n; i++) {
            Decision.Reject reject = rejects.get(i);
            source[i] = reject.position().source();
            channel[i] = reject.position().channel();
            partition[i] = reject.position().partition();
            position[i] = reject.position().position();
            code[i] = reject.rejection().code().code();
            reason[i] = reject.rejection().message();
            uid[i] = reject.orderUid();
            payload[i] = reject.payload();
            payloadSize[i] = reject.payloadSize();
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_REJECTED)) {
            columns.bind(statement, columns.text(source), columns.text(channel), columns.int4(partition),
                    columns.int8(position), columns.text(code), columns.text(reason), columns.text(uid),
                    columns.bytea(payload), columns.int4(payloadSize));
            statement.executeUpdate();
        }
    }

    /** Notes on a rejected message that an operator re-submitted it, and what came of it. */
    public void recordResubmission(long rejectedId, String outcome) throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "update rejected_messages set resubmitted_at = now(), resubmit_outcome = ? where id = ?")) {
            statement.setString(1, outcome);
            statement.setLong(2, rejectedId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not record the re-submission of " + rejectedId + ": "
                    + e.getMessage(), e);
        }
    }

    /** The stored order with this id, if there is one. */
    public Optional<StoredOrder> find(String orderUid) throws StoreUnavailableException {
        return findAll(List.of(orderUid)).stream().findFirst();
    }

    /** The stored orders among these ids, in no particular order; an id not stored has none. */
    public List<StoredOrder> findAll(Collection<String> orderUids) throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_MANY)) {
            statement.setArray(1, connection.createArrayOf("text", orderUids.toArray()));
            List<StoredOrder> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(storedOrder(rows));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read orders by order_uid: " + e.getMessage(), e);
        }
    }

    /**
     * Streams every stored order to {@code sink} until it answers false, newest first by ranges of
     * {@code stored_seq}, each range read by the next free one of {@code readers} threads on connections of their own;
     * so the sink is called from several threads. One page of rows per reader is in memory at a time.
     */
    public void forEachNewestFirst(int readers, Predicate<StoredOrder> sink) throws StoreUnavailableException {
        forEachNewestFirst(readers, RESTORE_RANGE, sink);
    }

    void forEachNewestFirst(int readers, long range, Predicate<StoredOrder> sink) throws StoreUnavailableException {
        Optional<SeqSpan> stored = storedSeqSpan();
        if (stored.isEmpty()) {
            return;
        }
        SeqSpan span = stored.get();
        AtomicLong nextNewest = new AtomicLong(span.newest());
        AtomicBoolean enough = new AtomicBoolean();
        Callable<Void> reader = () -> {
            try {
                for (long newest = nextNewest.getAndAdd(-range); newest >= span.oldest() && !enough.get();
                     newest = nextNewest.getAndAdd(-range)) {
                    if (!readRange(newest - range, newest, sink)) {
                        enough.set(true);
                    }
                }
                return null;
            } catch (SQLException e) {
                enough.set(true);
                throw e;
            }
        };
        // Closing the pool waits for every reader, also when one failed or this thread was interrupted.
        try (ExecutorService pool = Executors.newFixedThreadPool(readers,
                Thread.ofPlatform().name("restore-", 0).factory())) {
            for (Future<Void> read : pool.invokeAll(Collections.nCopies(readers, reader))) {
                read.get();
            }
        } catch (ExecutionException e) {
            throw new StoreUnavailableException("could not read the stored orders: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            enough.set(true);
            throw new StoreUnavailableException("interrupted while reading the stored orders", e);
        }
    }

    /** The lowest and highest stored_seq of the stored orders. */
    private record SeqSpan(long oldest, long newest) {
    }

    private Optional<SeqSpan> storedSeqSpan() throws StoreUnavailableException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select min(stored_seq), max(stored_seq) from orders")) {
            row.next();
            long oldest = row.getLong(1);
            return row.wasNull() ? Optional.empty() : Optional.of(new SeqSpan(oldest, row.getLong(2)));
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not read the stored orders: " + e.getMessage(), e);
        }
    }

    /** Gives the sink the orders with stored_seq in (after, upTo], newest first; false when it had enough. */
    private boolean readRange(long after, long upTo, Predicate<StoredOrder> sink) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor needs a transaction; the fetch size keeps one page of rows in memory at a time.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(SELECT_RANGE_NEWEST_FIRST)) {
                statement.setFetchSize(2_000);
                // In binary, the JSON comes as its own bytes; as text it would come hex-encoded, twice as long, and
                // decoding it was the restore's largest cost.
                statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                statement.setLong(1, after);
                statement.setLong(2, upTo);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        if (!sink.test(storedOrder(rows))) {
                            return false;
                        }
                    }
                    return true;
                }
            } finally {
                connection.rollback();
            }
        }
    }

    private static StoredOrder storedOrder(ResultSet row) throws SQLException {
        return new StoredOrder(row.getString(1), row.getBytes(2), row.getBytes(3));
    }

    /** Typed array parameters for {@code unnest}; the driver's own method takes primitive arrays without boxing. */
    private record Columns(PgConnection connection) {
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

        Array int2(short[] values) throws SQLException {
            return connection.createArrayOf("int2", values);
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
}
