package dev.orders.order;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rfc3339Test {
    /** The rule as the contract states it, in the words of the regular expression the reader used before. */
    private static final Pattern FORM = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    @ParameterizedTest
    @ValueSource(strings = {"2021-11-26T06:22:19Z", "2021-11-26t06:22:19z", "2021-11-26T09:22:19.5+03:00",
            "2021-11-26T01:22:19.123456789-05:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999-18:00"})
    void readsTimestampsOfTheForm(String timestamp) {
        assertThat(Rfc3339.hasForm(timestamp)).isTrue();
        assertThat(Rfc3339.parse(timestamp)).isEqualTo(javaTime(timestamp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2021-11-26", "2021-11-26T06:22:19", "2021-11-26 06:22:19Z", "2021-11-26T06:22Z",
            "2021-11-26T06:22:19.Z", "2021-11-26T06:22:19.1234567890Z", "2021-11-26T06:22:19+0300",
            "2021-11-26T06:22:19+03:00:00", "2021-11-26T06:22:19Z ", " 2021-11-26T06:22:19Z", "2021-11-26T06:22:19ZZ",
            "2021-11-26T06:22:19.5", "2021-11-26T06:22:19UTC", "+2021-11-26T06:22:19Z", "２021-11-26T06:22:19Z",
            "1637907739", "26.11.2021"})
    void refusesTextNotOfTheForm(String text) {
        assertThat(Rfc3339.hasForm(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2021-02-29T06:22:19Z", "2100-02-29T00:00:00Z", "2021-13-26T06:22:19Z",
            "2021-11-00T06:22:19Z", "2021-11-26T24:00:00Z", "2021-11-26T06:60:19Z", "2021-11-26T06:22:60Z",
            "2021-11-26T06:22:19+18:01", "2021-11-26T06:22:19-19:00", "2021-11-26T06:22:19+05:60"})
    void refusesFieldsOutOfRange(String timestamp) {
        assertThat(Rfc3339.hasForm(timestamp)).isTrue();
        assertThatThrownBy(() -> Rfc3339.parse(timestamp)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void agreesWithJavaTimeOnTimestampsNearEveryFieldsLimits() {
        Random random = new Random(3339);
        for (int i = 0; i < 100_000; i++) {
            String text = randomTimestamp(random);
            if (random.nextInt(4) == 0) {
                text = mutated(text, random);
            }
            boolean form = FORM.matcher(text).matches();
            assertThat(Rfc3339.hasForm(text)).as(text).isEqualTo(form);
            if (form) {
                assertThat(parsedOrNull(text)).as(text).isEqualTo(javaTimeOrNull(text));
            }
        }
    }

    @Test
    void formatsAsInstantToStringDoes() {
        Random random = new Random(3339);
        long earliest = Instant.parse("-0002-01-01T00:00:00Z").getEpochSecond();
        long latest = Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond();
        int[] precisions = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < 100_000; i++) {
            int precision = precisions[random.nextInt(precisions.length)];
            Instant instant = Instant.ofEpochSecond(random.nextLong(earliest, latest),
                    random.nextInt(1_000_000_000) / precision * precision);
            assertThat(Rfc3339.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void formatsWholeSecondsWithoutAFraction() {
        assertThat(Rfc3339.format(Instant.parse("2021-11-26T06:22:19Z"))).isEqualTo("2021-11-26T06:22:19Z");
        assertThat(Rfc3339.format(Instant.parse("0001-01-01T00:00:00.500Z"))).isEqualTo("0001-01-01T00:00:00.500Z");
    }

    private static String randomTimestamp(Random random) {
        StringBuilder text = new StringBuilder();
        text.append(fieldOf(random, 4, 0, 9999)).append('-').append(fieldOf(random, 2, 0, 13)).append('-')
                .append(fieldOf(random, 2, 0, 32)).append(random.nextBoolean() ? 'T' : 't')
                .append(fieldOf(random, 2, 0, 25)).append(':').append(fieldOf(random, 2, 0, 61)).append(':')
                .append(fieldOf(random, 2, 0, 61));
        int fractionDigits = random.nextInt(11);
        if (fractionDigits > 0) {
            text.append('.');
            for (int i = 0; i < fractionDigits; i++) {
                text.append(random.nextInt(10));
            }
        }
        switch (random.nextInt(4)) {
            case 0 -> text.append('Z');
            case 1 -> text.append('z');
            default -> text.append(random.nextBoolean() ? '+' : '-').append(fieldOf(random, 2, 0, 25)).append(':')
                    .append(fieldOf(random, 2, 0, 61));
        }
        return text.toString();
    }

    /** A value near one of the field's limits as often as anywhere else in it. */
    private static String fieldOf(Random random, int width, int min, int max) {
        int value = switch (random.nextInt(3)) {
            case 0 -> random.nextInt(min, min + 3);
            case 1 -> random.nextInt(max - 3, max + 1);
            default -> random.nextInt(min, max + 1);
        };
        return String.format("%0" + width + "d", value);
    }

    private static String mutated(String text, Random random) {
        String replacements = "0.:-+TZ x9";
        int at = random.nextInt(text.length());
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + replacements.charAt(random.nextInt(replacements.length()))
                    + text.substring(at);
            default -> text.substring(0, at) + replacements.charAt(random.nextInt(replacements.length()))
                    + text.substring(at + 1);
        };
    }

    private static Instant parsedOrNull(String text) {
        try {
            return Rfc3339.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant javaTimeOrNull(String text) {
        try {
            return javaTime(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant javaTime(String text) {
        return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
    }
}
