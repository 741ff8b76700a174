package dev.orders.cache;

/**
 * An order ready to serve: its JSON serialized once, and a strong ETag derived from the content digest.
 */
public record CachedOrder(byte[] json, String etag) {
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** The ETag is the first 128 bits of the content's SHA-256, quoted as RFC 9110 asks. */
    public static CachedOrder of(byte[] json, byte[] sha256) {
        return new CachedOrder(json, '"' + HEX.formatHex(sha256, 0, 16) + '"');
    }
}
