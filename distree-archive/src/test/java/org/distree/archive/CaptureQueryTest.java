package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.model.Entry;
import org.distree.query.Query;
import org.junit.jupiter.api.Test;

class CaptureQueryTest {
    private static final String LONG = "/" + "l".repeat(60);
    private static final List<Entry> ENTRIES = new ArrayList<>();

    static {
        String[][] caps = {
            {"http://example.com/", "20200101000000"},
            {"http://example.com/", "20210601000000"},
            {"http://example.com/", "20220101000000"},
            {"http://example.com/a", "20200101000000"},
            {"http://example.com" + LONG, "20200101000000"},
            {"http://example.com" + LONG + "x", "20200101000000"},
            {"http://sub.example.com/", "20200101000000"},
            {"http://example.com:8080/", "20200101000000"},
            {"http://example.co/", "20200101000000"},
            {"http://notexample.com/", "20200101000000"},
        };
        for (String[] c : caps) {
            Capture cap =
                    new Capture(Surt.of(c[0]), c[1], "{\"url\":\"" + c[0] + "\"}", c[0], null);
            ENTRIES.add(cap.toEntry(ReplayTemplate.defaults()));
        }
        ENTRIES.add(Entry.of("not a capture", "https://x.example/", "", ""));
    }

    private static CaptureQuery q(Map<String, String> params) {
        return CaptureQuery.parse(params::get, 0);
    }

    /** What the query finds: entries its key query matches, then select. */
    private static List<String> run(CaptureQuery query) {
        Query k = query.keyQuery();
        List<Entry> found = new ArrayList<>();
        for (Entry e : ENTRIES) {
            if (k.matches(e)) {
                found.add(e);
            }
        }
        List<String> out = new ArrayList<>();
        for (Capture c : query.select(found)) {
            out.add(c.url() + "@" + c.timestamp().substring(0, 4));
        }
        return out;
    }

    @Test
    void exactFindsOneUrlsCapturesInTimeOrder() {
        assertThat(run(q(Map.of("url", "example.com/"))))
                .containsExactly(
                        "http://example.com/@2020",
                        "http://example.com/@2021",
                        "http://example.com/@2022");
    }

    @Test
    void exactFindsALongUrlAndNotItsNeighbourWithTheSameHead() {
        assertThat(run(q(Map.of("url", "http://example.com" + LONG))))
                .containsExactly("http://example.com" + LONG + "@2020");
    }

    @Test
    void fromAndToAreInclusiveAndPadded() {
        assertThat(run(q(Map.of("url", "example.com/", "from", "2021", "to", "2021"))))
                .containsExactly("http://example.com/@2021");
        assertThat(q(Map.of("url", "example.com/", "from", "2021")).keyQuery().kind())
                .isEqualTo(Query.Kind.RANGE);
    }

    @Test
    void closestSortsByDistanceAndLimitCuts() {
        assertThat(run(q(Map.of("url", "example.com/", "closest", "20211201", "limit", "2"))))
                .containsExactly("http://example.com/@2022", "http://example.com/@2021");
        assertThat(run(q(Map.of("url", "example.com/", "sort", "reverse", "limit", "1"))))
                .containsExactly("http://example.com/@2022");
    }

    @Test
    void prefixHostAndDomainMatchAsPywbDoes() {
        assertThat(run(q(Map.of("url", "example.com/l*"))))
                .containsExactly(
                        "http://example.com" + LONG + "@2020",
                        "http://example.com" + LONG + "x@2020");
        assertThat(run(q(Map.of("url", "example.com", "matchType", "host"))))
                .hasSize(6)
                .noneMatch(s -> s.contains("sub.") || s.contains(":8080"));
        assertThat(run(q(Map.of("url", "*.example.com"))))
                .hasSize(8)
                .contains("http://sub.example.com/@2020", "http://example.com:8080/@2020")
                .noneMatch(s -> s.contains("notexample") || s.contains("example.co/"));
    }

    @Test
    void jsonOutputHasUrlkeyTimestampAndTheFields() {
        Capture c = Capture.fromEntry(ENTRIES.get(3));
        assertThat(CaptureQuery.json(c))
                .isEqualTo("{\"urlkey\":\"com,example)/a\",\"timestamp\":\"20200101000000\","
                        + "\"url\":\"http://example.com/a\"}");
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> q(Map.of())).hasMessageContaining("url is required");
        assertThatThrownBy(() -> q(Map.of("url", "a", "matchType", "x")))
                .hasMessageContaining("matchType 'x'");
        assertThatThrownBy(() -> q(Map.of("url", "a", "from", "20x")))
                .hasMessageContaining("from '20x'");
        assertThatThrownBy(() -> q(Map.of("url", "a", "limit", "ten")))
                .hasMessageContaining("limit 'ten'");
        assertThatThrownBy(() -> q(Map.of("url", "a", "sort", "closest")))
                .hasMessageContaining("needs closest");
        assertThatThrownBy(() -> q(Map.of("url", "a", "from", "2022", "to", "2020")))
                .hasMessageContaining("after");
        assertThat(CaptureQuery.parse(Map.of("url", "a", "limit", "500")::get, 100)
                        .limit())
                .isEqualTo(100);
    }
}
