package dev.orders.store;

import dev.orders.order.Rejection;
import dev.orders.order.RejectionCode;

import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;
import org.postgresql.jdbc.PgConnection;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
 * Orders and rejected messages in PostgreSQL. A batch of decisions is committed in one transaction: its orders and
 * items copied into their tables ({@link BatchRows}), or through staging tables when some may be stored already, its
 * rejected messages in one statement (arrays through {@code unnest}), so its cost is a handful of round trips,
 * whatever its size.
 */
public final class OrderStore {
    /**
     * The orders of the batch not stored yet, and the items of exactly those, from the staging tables in one
     * statement: the items' insert takes the order_uids the orders' insert returns, and their foreign keys are checked
     * at its end, when both are in.
     */
    private static final String INSERT_ORDERS_AND_ITEMS = """
            with stored as (
                insert into orders (order_uid, track_number, entry, locale, internal_signature, customer_id,
                                    delivery_service, shardkey, sm_id, date_created, oof_shard, content_sha256,
                                    canonical_json,
                                    delivery_name, delivery_phone, delivery_zip, delivery_city, delivery_address,
                                    delivery_region, delivery_email,
                                    payment_transaction, payment_request_id, payment_currency, payment_provider,
                                    payment_amount, payment_dt, payment_bank, payment_delivery_cost,
                                    payment_goods_total, payment_custom_fee)
                select order_uid, track_number, entry, locale, internal_signature, customer_id, delivery_service,
                       shardkey, sm_id, date_created, oof_shard, content_sha256, canonical_json,
                       delivery_name, delivery_phone, delivery_zip, delivery_city, delivery_address, delivery_region,
                       delivery_email, payment_transaction, payment_request_id, payment_currency, payment_provider,
                       payment_amount, payment_dt, payment_bank, payment_delivery_cost, payment_goods_total,
                       payment_custom_fee
                from order_batch
                on conflict (order_uid) do nothing
                returning order_uid, stored_seq, stored_at
            ), stored_items as (
                insert into order_items (order_uid, position, chrt_id, track_number, price, rid, name, sale, size,
                                         total_price, nm_id, brand, status)
                select item.* from item_batch item join stored using (order_uid)
            )
            select order_uid, stored_seq, stored_at from stored""";
    private static final String INSERT_REJECTED = """
            insert into rejected_messages (source, channel, partition, position, code, reason, order_uid, payload,
                                           payload_size)
            select * from unnest(?::text[], ?::text[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                                 ?::bytea[], ?::integer[])
            on conflict (source, channel, partition, position) do nothing""";
    /** What the copied orders were given: COPY returns no rows. */
    private static final String SELECT_STORED =
            "select order_uid, stored_seq, stored_at from orders where order_uid = any(?::text[])";
    /**
     * The stored_seq the last copied order was given, the one the first was given, and every order's stored_at (the
     * transaction's now()): when the sequence gave the copy consecutive values, which it does unless another instance
     * took one meanwhile, they say what each order was given without reading them all back.
     */
    private static final String SELECT_COPIED_SPAN = """
            select currval(pg_get_serial_sequence('orders', 'stored_seq')),
                   (select stored_seq from orders where order_uid = ?), now()""";
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
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    /**
     * Whether the last batch inserted through the staging tables met an order stored before it. A consumer that
     * restarted gets a run of such batches, and copying each straight into the tables would fail and be done twice.
     */
    private volatile boolean lastBatchMetStoredOrders;

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
    public List<Outcome> commit(PreparedBatch batch) throws StoreUnavailableException {
        try {
            return commitInOneTransaction(batch);
        } catch (SQLException e) {
            if (!isAboutTheData(e)) {
                throw new StoreUnavailableException("could not commit a batch: " + e.getMessage(), e);
            }
            return commitOneByOne(batch.decisions());
        }
    }

    /** {@link #commit(PreparedBatch)} of a batch not prepared before. */
    public List<Outcome> commit(List<Decision> batch) throws StoreUnavailableException {
        return commit(PreparedBatch.of(batch));
    }

    private List<Outcome> commitOneByOne(List<Decision> batch) throws StoreUnavailableException {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Decision decision : batch) {
            try {
                outcomes.add(commitInOneTransaction(PreparedBatch.of(List.of(decision))).getFirst());
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
            return commitInOneTransaction(PreparedBatch.of(List.of(reject))).getFirst();
        } catch (SQLException e) {
            throw new StoreUnavailableException("could not record a refused message: " + e.getMessage(), e);
        }
    }

    /** Class 22 is a data exception, class 23 an integrity violation: both say the row, not the server, is wrong. */
    private static boolean isAboutTheData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * Copies the batch's orders straight into their tables unless the last batch met stored ones; when one of them is
     * stored already (a redelivery, or another instance's commit just now) the copy fails as a whole, and the batch is
     * committed again through the staging tables.
     */
    private List<Outcome> commitInOneTransaction(PreparedBatch batch) throws SQLException {
        if (!lastBatchMetStoredOrders) {
            try {
                return commitInOneTransaction(batch, true);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        return commitInOneTransaction(batch, false);
    }

    private List<Outcome> commitInOneTransaction(PreparedBatch batch, boolean copyStraight) throws SQLException {
        List<Decision> decisions = batch.decisions();
        Outcome[] outcomes = new Outcome[decisions.size()];
        List<Decision.Reject> rejects = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, Outcome.Stored> inserted = batch.candidates().isEmpty() ? Map.of()
                        : copyStraight ? copyOrdersAndItems(connection, batch)
                        : insertOrdersNotStored(connection, batch);
                Map<String, byte[]> digests = existingDigests(connection, batch.candidates(), inserted.keySet());
                for (Decision.Accept candidate : batch.candidates()) {
                    if (inserted.containsKey(candidate.order().orderUid())) {
                        digests.put(candidate.order().orderUid(), candidate.sha256());
                    }
                }
                for (int i = 0; i < decisions.size(); i++) {
                    switch (decisions.get(i)) {
                        case Decision.Reject reject -> {
                            rejects.add(reject);
                            outcomes[i] = new Outcome.Rejected(reject.rejection());
                        }
                        case Decision.Accept accept -> {
                            String uid = accept.order().orderUid();
                            if (batch.firstByUid().get(uid) == i && inserted.containsKey(uid)) {
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

    private Map<String, Outcome.Stored> insertOrdersNotStored(Connection connection, PreparedBatch batch)
            throws SQLException {
        // Prepared, so that the driver parses the statement once per connection: as a plain Statement it was parsed
        // again for every batch, and that parse loop alone cost the JIT 0.8 s of compiling in an ingestion run.
        try (PreparedStatement statement = connection.prepareStatement(BatchRows.CREATE)) {
            statement.execute();
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        batch.orders().sendTo(copy.copyIn(BatchRows.COPY_INTO_ORDER_BATCH));
        batch.items().sendTo(copy.copyIn(BatchRows.COPY_INTO_ITEM_BATCH));
        Map<String, Outcome.Stored> inserted;
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ORDERS_AND_ITEMS);
             ResultSet rows = statement.executeQuery()) {
            inserted = storedOutcomes(rows);
        }
        lastBatchMetStoredOrders = inserted.size() < batch.candidates().size();
        return inserted;
    }

    private static Map<String, Outcome.Stored> copyOrdersAndItems(Connection connection, PreparedBatch batch)
            throws SQLException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        batch.orders().sendTo(copy.copyIn(BatchRows.COPY_INTO_ORDERS));
        batch.items().sendTo(copy.copyIn(BatchRows.COPY_INTO_ITEMS));
        List<Decision.Accept> copied = batch.candidates();
        try (PreparedStatement statement = connection.prepareStatement(SELECT_COPIED_SPAN)) {
            statement.setString(1, copied.getFirst().order().orderUid());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long last = row.getLong(1), first = row.getLong(2);
                if (last - first + 1 == copied.size()) {
                    Instant storedAt = row.getObject(3, OffsetDateTime.class).toInstant();
                    Map<String, Outcome.Stored> stored = new HashMap<>();
                    for (int i = 0; i < copied.size(); i++) {
                        stored.put(copied.get(i).order().orderUid(), new Outcome.Stored(first + i, storedAt));
                    }
                    return stored;
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(SELECT_STORED)) {
            statement.setArray(1, connection.createArrayOf("text",
                    copied.stream().map(candidate -> candidate.order().orderUid()).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                return storedOutcomes(rows);
            }
        }
    }

    /** Rows of order_uid, stored_seq and stored_at, by order_uid. */
    private static Map<String, Outcome.Stored> storedOutcomes(ResultSet rows) throws SQLException {
        Map<String, Outcome.Stored> stored = new HashMap<>();
        while (rows.next()) {
            stored.put(rows.getString(1), new Outcome.Stored(rows.getLong(2),
                    rows.getObject(3, OffsetDateTime.class).toInstant()));
        }
        return stored;
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
