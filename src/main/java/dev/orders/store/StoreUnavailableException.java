package dev.orders.store;

/**
 * PostgreSQL could not do what was asked for a reason that is not about the data (down, unreachable, timed out).
 * Nothing was committed; the same call may succeed later.
 */
public final class StoreUnavailableException extends Exception {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
