package dev.orders.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of decisions made ready for {@link OrderStore#commit(PreparedBatch)}: the orders to insert (the first
 * accepted version of each order_uid in the batch) and their items, encoded as rows for COPY ({@link BatchRows}).
 * Batches are committed one at a time, so what can be done before a batch's turn is done here, by the thread that
 * judged it.
 */
public final class PreparedBatch {
    private final List<Decision> decisions;
    private final Map<String, Integer> firstByUid;
    private final List<Decision.Accept> candidates;
    private final CopyRows orders;
    private final CopyRows items;

    private PreparedBatch(List<Decision> decisions) {
        this.decisions = List.copyOf(decisions);
        Map<String, Integer> first = new HashMap<>();
        List<Decision.Accept> firstVersions = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (decisions.get(i) instanceof Decision.Accept accept
                    && first.putIfAbsent(accept.order().orderUid(), i) == null) {
                firstVersions.add(accept);
            }
        }
        this.firstByUid = Collections.unmodifiableMap(first);
        this.candidates = List.copyOf(firstVersions);
        this.orders = BatchRows.orders(candidates);
        this.items = BatchRows.items(candidates);
    }

    public static PreparedBatch of(List<Decision> decisions) {
        return new PreparedBatch(decisions);
    }

    public List<Decision> decisions() {
        return decisions;
    }

    /** Where in the batch the first accepted version of each order_uid is. */
    Map<String, Integer> firstByUid() {
        return firstByUid;
    }

    /** The first accepted version of each order_uid, in batch order: what is inserted unless already stored. */
    List<Decision.Accept> candidates() {
        return candidates;
    }

    CopyRows orders() {
        return orders;
    }

    CopyRows items() {
        return items;
    }
}
