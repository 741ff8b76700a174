package dev.orders.order;

/** Why a message was rejected; the lower-case names are the stable codes of the contract. */
public enum RejectionCode {
    TOO_LARGE,
    NOT_JSON,
    SCHEMA,
    INVALID_VALUE,
    CONFLICT;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
