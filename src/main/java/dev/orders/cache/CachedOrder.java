package dev.orders.cache;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * An order ready to serve: its JSON serialized once, and its strong ETag, the first 128 bits of the content's SHA-256.
 *
 * <p>The ETag is held as two numbers and quoted when a response needs it. Held as a ready response header it was five
 * objects an order, about 240 bytes, which the collector copied with every restored order (docs/PERFORMANCE.md, cache
 * restore); quoting it costs a response two short strings.
 */
public record CachedOrder(byte[] json, long etagHigh, long etagLow) {
    private static final HexFormat HEX = HexFormat.of();

    public static CachedOrder of(byte[] json, byte[] sha256) {
        ByteBuffer digest = ByteBuffer.wrap(sha256);
        return new CachedOrder(json, digest.getLong(0), digest.getLong(Long.BYTES));
    }

    /** The ETag as RFC 9110 writes it: 32 lowercase hex digits in quotes. */
    public String etag() {
        return '"' + HEX.toHexDigits(etagHigh) + HEX.toHexDigits(etagLow) + '"';
    }
}
