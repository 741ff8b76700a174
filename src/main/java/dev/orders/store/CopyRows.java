package dev.orders.store;

import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format, written into chunks of 64 KiB, so that a batch of some megabytes is never
 * one large array (which G1 would allocate as a humongous object) and is never copied to grow.
 */
final class CopyRows {
    private static final int CHUNK = 64 * 1024;
    /** "PGCOPY\n\377\r\n\0", then 32 bits of flags and 32 bits of header extension length, all zero. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1 ends the rows. */
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
    /** PostgreSQL's timestamps count from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800;

    private final List<byte[]> full = new ArrayList<>();
    private final int columns;
    private byte[] chunk = new byte[CHUNK];
    private int used;

    CopyRows(int columns) {
        this.columns = columns;
        put(HEADER, 0, HEADER.length);
    }

    /** Starts the next row; its {@code columns} fields must follow. */
    CopyRows row() {
        return int16(columns);
    }

    /** A text in UTF-8; one in ASCII, as most are, goes straight into the chunk without an array of its own. */
    CopyRows text(String value) {
        int length = value.length();
        if (CHUNK - used >= 4 + length && copiedAsAscii(value, used + 4)) {
            int32(length);
            used += length;
            return this;
        }
        return bytea(value.getBytes(StandardCharsets.UTF_8));
    }

    CopyRows bytea(byte[] value) {
        int32(value.length);
        put(value, 0, value.length);
        return this;
    }

    CopyRows int8(long value) {
        int32(8);
        int32((int) (value >>> 32));
        return int32((int) value);
    }

    CopyRows int2(short value) {
        int32(2);
        return int16(value);
    }

    /** A timestamptz: microseconds since PostgreSQL's epoch (the reader refuses finer instants). */
    CopyRows timestamptz(Instant instant) {
        return int8((instant.getEpochSecond() - POSTGRES_EPOCH_SECOND) * 1_000_000 + instant.getNano() / 1_000);
    }

    /** Sends the rows and the format's trailer to a COPY … FROM STDIN (FORMAT binary) and ends it. */
    void sendTo(CopyIn copy) throws SQLException {
        for (byte[] written : full) {
            copy.writeToCopy(written, 0, written.length);
        }
        copy.writeToCopy(chunk, 0, used);
        copy.writeToCopy(TRAILER, 0, TRAILER.length);
        copy.endCopy();
    }

    /** Copies the text's characters into the chunk from the offset, or stops at the first that is not ASCII. */
    private boolean copiedAsAscii(String value, int offset) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            chunk[offset + i] = (byte) c;
        }
        return true;
    }

    private CopyRows int32(int value) {
        int16((short) (value >>> 16));
        return int16((short) value);
    }

    private CopyRows int16(int value) {
        if (CHUNK - used < 2) {
            nextChunk();
        }
        chunk[used++] = (byte) (value >>> 8);
        chunk[used++] = (byte) value;
        return this;
    }

    private void put(byte[] bytes, int from, int length) {
        while (length > 0) {
            if (used == CHUNK) {
                nextChunk();
            }
            int n = Math.min(length, CHUNK - used);
            System.arraycopy(bytes, from, chunk, used, n);
            used += n;
            from += n;
            length -= n;
        }
    }

    private void nextChunk() {
        full.add(used == CHUNK ? chunk : Arrays.copyOf(chunk, used));
        chunk = new byte[CHUNK];
        used = 0;
    }
}
