package org.distree.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * UTC times in the form every writer of the format uses, and WARC files too: {@code
 * 2026-12-04T18:00:00Z} (four-digit year, whole seconds, {@code Z}), read without {@code
 * DateTimeFormatter}, which was 4% of reading a tree's pages.
 */
public final class UtcTimes {
    private UtcTimes() {}

    /**
     * The time {@code v} names when it is exactly in that form with fields in range; null for
     * anything else (other forms, hour 24, second 60, February 30), which {@link Instant#parse}
     * reads its own way.
     */
    public static @Nullable LocalDateTime canonical(String v) {
        if (v.length() != 20
                || v.charAt(4) != '-'
                || v.charAt(7) != '-'
                || v.charAt(10) != 'T'
                || v.charAt(13) != ':'
                || v.charAt(16) != ':'
                || v.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || second < 0
                || second > 59) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /**
     * {@link Instant#parse}, through {@link #canonical} first: both accept and refuse the same
     * strings and give the same instants ({@code UtcTimesTest}).
     *
     * @throws DateTimeParseException as {@code Instant.parse} does
     */
    public static Instant parse(String v) {
        LocalDateTime t = canonical(v);
        return t != null ? t.toInstant(ZoneOffset.UTC) : Instant.parse(v);
    }

    /** The number written by {@code n} ASCII digits at {@code from}, or -1 if one is not. */
    private static int digits(String v, int from, int n) {
        int out = 0;
        for (int i = from; i < from + n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }
}
