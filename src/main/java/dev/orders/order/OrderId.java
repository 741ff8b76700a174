package dev.orders.order;

/** The one accepted shape of an order id, shared by ingestion and the HTTP API: 1-64 of A-Z a-z 0-9 _ -. */
public final class OrderId {
    static final int MAX_LENGTH = 64;

    private OrderId() {
    }

    /** A loop rather than a regular expression: this runs on every lookup. */
    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
