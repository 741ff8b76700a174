package dev.orders.order;

/** The one accepted shape of an order id, shared by ingestion and the HTTP API: 1-64 of A-Z a-z 0-9 _ -. */
public final class OrderId {
    static final int MAX_LENGTH = 64;
    /**
     * By ASCII code, looked up rather than compared in a chain: ids mix digits and letters at random, so a chain of
     * range comparisons mispredicts a branch on about every other character.
     */
    private static final boolean[] ALLOWED = new boolean[128];

    static {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".chars().forEach(c -> ALLOWED[c] = true);
    }

    private OrderId() {
    }

    /** A loop rather than a regular expression: this runs on every lookup. */
    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c >= ALLOWED.length || !ALLOWED[c]) {
                return false;
            }
        }
        return true;
    }
}
