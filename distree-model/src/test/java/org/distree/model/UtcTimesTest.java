package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcTimesTest {
    /** What {@code Instant.parse} makes of a string: the instant, or the refusal. */
    private static Object parsed(String v, boolean fast) {
        try {
            return fast ? UtcTimes.parse(v) : Instant.parse(v);
        } catch (DateTimeParseException refused) {
            return "refused";
        }
    }

    @Test
    void instantsAreReadAsInstantParseReadsThem() {
        List<String> cases = new ArrayList<>(List.of(
                "2026-12-04T18:00:00Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2024-02-29T12:00:00Z",
                "2023-02-29T12:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z",
                "2026-12-00T00:00:00Z",
                "2026-12-04T24:00:00Z",
                "2026-12-04T23:60:00Z",
                "2026-12-31T23:59:60Z",
                "2026-12-04T18:00:00.5Z",
                "2026-12-04T18:00Z",
                "2026-12-04t18:00:00Z",
                "2026-12-04T18:00:00z",
                "2026-12-04T18:00:00+01:00",
                "+12026-12-04T18:00:00Z",
                "-0001-12-04T18:00:00Z",
                "2026-1a-04T18:00:00Z",
                "2026-12-04T1\uff18:00:00Z",
                "2026/12/04T18:00:00Z",
                "",
                "2026-12-04T18:00:00ZZ"));
        Random r = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            cases.add(Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 250_000_000_000L))
                    .toString());
            char[] c = "2026-12-04T18:00:00Z".toCharArray();
            c[r.nextInt(c.length)] = (char) ('0' + r.nextInt(12) - 1);
            cases.add(new String(c));
        }
        for (String v : cases) {
            assertThat(parsed(v, true)).as(v).isEqualTo(parsed(v, false));
        }
    }
}
