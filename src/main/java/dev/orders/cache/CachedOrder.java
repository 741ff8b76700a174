package dev.orders.cache;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/**
 * An order ready to serve: its JSON serialized once, and its strong ETag as a ready response header.
 */
public record CachedOrder(byte[] json, Header etag) {
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** The ETag is the first 128 bits of the content's SHA-256, quoted as RFC 9110 asks. */
    public static CachedOrder of(byte[] json, byte[] sha256) {
        // A "cached" header is validated and encoded once, not on every response (it showed in the profile).
        return new CachedOrder(json, HeaderValues.createCached(HeaderNames.ETAG, '"' + HEX.formatHex(sha256, 0, 16) + '"'));
    }

    public String etagValue() {
        return etag.get();
    }
}
