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

    /** Captures of one URL in 2020 and 2021, with statuses and lengths to filter by. */
    private static List<Capture> several() {
        List<Capture> out = new ArrayList<>();
        String[][] rows = {
            {"20200101000000", "200", "10"},
            {"20200201000000", "200", "11"},
            {"20200301000000", "404", "12"},
            {"20200401000000", "200", "13"},
            {"20210101000000", "200", "14"},
            {"20210201000000", "301", "15"},
        };
        for (String[] r : rows) {
            out.add(CdxjReader.parse("com,example)/s " + r[0]
                    + " {\"url\":\"http://example.com/s\",\"mime\":\"text/html\",\"status\":\""
                    + r[1] + "\",\"length\":\"" + r[2] + "\"}"));
        }
        return out;
    }

    private static List<String> lengths(Map<String, List<String>> params) {
        CaptureQuery q = CaptureQuery.parseAll(n -> params.getOrDefault(n, List.of()), 0);
        List<Entry> found = new ArrayList<>();
        for (Capture c : several()) {
            found.add(c.toEntry(ReplayTemplate.defaults()));
        }
        return q.select(found).stream()
                .map(c -> c.json().replaceAll(".*\"length\":\"([0-9]+)\".*", "$1"))
                .toList();
    }

    @Test
    void filtersMustAllPass() {
        assertThat(lengths(
                        Map.of("url", List.of("example.com/s"), "filter", List.of("=status:200"))))
                .containsExactly("10", "11", "13", "14");
        assertThat(lengths(Map.of(
                        "url", List.of("example.com/s"),
                        "filter", List.of("=status:200", "~timestamp:2021"))))
                .containsExactly("14");
    }

    @Test
    void collapseKeepsTheFirstOfAdjacentCapturesWithTheSameField() {
        assertThat(lengths(Map.of("url", List.of("example.com/s"), "collapse", List.of("status"))))
                .containsExactly("10", "12", "13", "15");
        assertThat(lengths(Map.of("url", List.of("example.com/s"), "collapse", List.of("t:4"))))
                .containsExactly("10", "14");
        // After filtering (so 13 follows 11, both 200s, once the 404 between them is gone),
        // and before the order and the limit.
        assertThat(lengths(Map.of(
                        "url", List.of("example.com/s"),
                        "filter", List.of("!=status:404"),
                        "collapse", List.of("status"),
                        "sort", List.of("reverse"),
                        "limit", List.of("2"))))
                .containsExactly("15", "10");
        assertThat(lengths(Map.of("url", List.of("example.com/s"), "collapseTime", List.of("4"))))
                .containsExactly("10", "12", "13", "14", "15");
    }

    @Test
    void flPicksTheFieldsWrittenInItsOrder() {
        Capture c = several().get(2);
        CaptureQuery q = CaptureQuery.parseAll(
                n -> n.equals("url")
                        ? List.of("example.com/s")
                        : n.equals("fl") ? List.of("status, timestamp,nothing", "m") : List.of(),
                0);
        assertThat(q.fields()).containsExactly("status", "timestamp", "nothing", "mime");
        assertThat(q.format(c, true))
                .isEqualTo("{\"status\":\"404\",\"timestamp\":\"20200301000000\","
                        + "\"mime\":\"text/html\"}");
        assertThat(q.format(c, false))
                .isEqualTo(
                        "com,example)/s 20200301000000 {\"status\":\"404\",\"mime\":\"text/html\"}");
        CaptureQuery all = CaptureQuery.parse(Map.of("url", "example.com/s")::get, 0);
        assertThat(all.format(c, false)).isEqualTo(c.line());
        assertThat(all.format(c, true)).isEqualTo(CaptureQuery.json(c));
    }

    @Test
    void badFiltersCollapsesAndFieldListsAreNamed() {
        assertThatThrownBy(() -> lengths(Map.of("url", List.of("a"), "collapse", List.of(":3"))))
                .hasMessage("collapse ':3' names no field");
        assertThatThrownBy(() -> lengths(Map.of("url", List.of("a"), "collapse", List.of("u:0"))))
                .hasMessage("collapse '0' is below 1");
        assertThatThrownBy(() -> lengths(Map.of("url", List.of("a"), "collapse", List.of("u:x"))))
                .hasMessage("collapse 'x' is not a number");
        assertThatThrownBy(
                        () -> lengths(Map.of("url", List.of("a"), "collapseTime", List.of("15"))))
                .hasMessage("collapseTime '15' is not 1 to 14");
        assertThatThrownBy(() -> lengths(Map.of("url", List.of("a"), "filter", List.of("~url:["))))
                .hasMessageStartingWith("filter: '[' is not a regular expression");
        assertThatThrownBy(() -> new CaptureQuery.Collapse("url", -1))
                .hasMessage("collapse: -1 is negative");
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
