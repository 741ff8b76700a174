package dev.orders.order;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * RFC 3339 timestamps with a zone ({@code 2021-11-26T06:22:19Z}, {@code 2021-11-26T09:22:19.5+03:00}), read and
 * written by hand. They are the same instants java.time's ISO formatters give, but an order's date went through a
 * regular expression and {@code OffsetDateTime.parse} once and {@code Instant.toString} twice, which took a tenth of
 * the ingest thread's time and a second of the JIT compiler's in an ingestion run (docs/performance-log.md, session 9).
 */
public final class Rfc3339 {
    private static final int FRACTION_START = 19;
    private static final int MAX_FRACTION_DIGITS = 9;
    private static final int SECONDS_PER_DAY = 86_400;

    private Rfc3339() {
    }

    /**
     * Whether the text has the form {@code yyyy-mm-ddThh:mm:ss[.f…]} followed by {@code Z} or {@code ±hh:mm}, with
     * 1 to 9 fraction digits and {@code T} and {@code Z} in either case; says nothing of whether the fields are in
     * range.
     */
    public static boolean hasForm(String text) {
        int length = text.length();
        if (length < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2)
                || text.charAt(7) != '-' || !digits(text, 8, 2) || (text.charAt(10) | 0x20) != 't'
                || !digits(text, 11, 2) || text.charAt(13) != ':' || !digits(text, 14, 2) || text.charAt(16) != ':'
                || !digits(text, 17, 2)) {
            return false;
        }
        int zone = zoneStart(text);
        int fractionDigits = zone - FRACTION_START - 1;
        if (zone != FRACTION_START && (fractionDigits < 1 || fractionDigits > MAX_FRACTION_DIGITS)) {
            return false;
        }
        char sign = text.charAt(zone);
        if ((sign | 0x20) == 'z') {
            return zone == length - 1;
        }
        return (sign == '+' || sign == '-') && zone == length - 6 && digits(text, zone + 1, 2)
                && text.charAt(zone + 3) == ':' && digits(text, zone + 4, 2);
    }

    /**
     * The instant a timestamp of the {@linkplain #hasForm form} names.
     *
     * @throws DateTimeException when a field is out of range: a 30th of February, an hour 24, an offset beyond 18 hours
     */
    public static Instant parse(String text) {
        LocalDate date = LocalDate.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2));
        int zone = zoneStart(text);
        int nanos = 0;
        if (zone > FRACTION_START) {
            int fractionDigits = zone - FRACTION_START - 1;
            nanos = number(text, FRACTION_START + 1, fractionDigits);
            for (int i = fractionDigits; i < MAX_FRACTION_DIGITS; i++) {
                nanos *= 10;
            }
        }
        LocalTime time = LocalTime.of(number(text, 11, 2), number(text, 14, 2), number(text, 17, 2), nanos);
        ZoneOffset offset = ZoneOffset.UTC;
        if ((text.charAt(zone) | 0x20) != 'z') {
            int sign = text.charAt(zone) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * number(text, zone + 1, 2), sign * number(text, zone + 4, 2));
        }
        return Instant.ofEpochSecond(date.toEpochDay() * SECONDS_PER_DAY + time.toSecondOfDay()
                - offset.getTotalSeconds(), nanos);
    }

    /**
     * The instant in UTC, as {@link Instant#toString()} writes it: seconds always, a fraction in groups of three digits
     * only when there is one, and {@code Z}.
     */
    public static String format(Instant instant) {
        long epochDay = Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return instant.toString();
        }
        int secondOfDay = (int) (instant.getEpochSecond() - epochDay * SECONDS_PER_DAY);
        StringBuilder text = new StringBuilder(30);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos % 1_000_000 == 0 && nanos > 0) {
            pad(text.append('.'), nanos / 1_000_000, 3);
        } else if (nanos % 1_000 == 0 && nanos > 0) {
            pad(text.append('.'), nanos / 1_000, 6);
        } else if (nanos > 0) {
            pad(text.append('.'), nanos, 9);
        }
        return text.append('Z').toString();
    }

    /** Where the zone starts: after the seconds, or after the fraction when there is one. */
    private static int zoneStart(String text) {
        int i = FRACTION_START;
        if (text.charAt(i) == '.') {
            i++;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
        }
        return Math.min(i, text.length() - 1);
    }

    private static boolean digits(String text, int start, int count) {
        for (int i = start; i < start + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** Appends the value with leading zeros up to the width. */
    private static StringBuilder pad(StringBuilder text, int value, int width) {
        for (int i = 1, limit = 10; i < width; i++, limit *= 10) {
            if (value < limit) {
                text.append('0');
            }
        }
        return text.append(value);
    }
}
