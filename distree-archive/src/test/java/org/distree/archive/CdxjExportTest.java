package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.junit.jupiter.api.Test;

class CdxjExportTest {
    private static String line(String surt, String ts, String url) {
        return surt + " " + ts + " {\"url\":\"" + url + "\",\"status\":\"200\"}";
    }

    @Test
    void entriesInKeyOrderComeOutInCdxjOrderEvenWhereKeysAreCut() throws Exception {
        String head = "com,example)/" + "p".repeat(30);
        List<String> lines = new ArrayList<>(List.of(
                line("com,example)/", "20200101000000", "http://example.com/"),
                line("com,example)/", "20190101000000", "https://example.com/"),
                line(head + "/zzzz", "20200101000000", "http://example.com/z"),
                line(head + "/a" + "q".repeat(40), "20200101000000", "http://example.com/a"),
                line(head + "/b" + "q".repeat(40), "20200101000000", "http://example.com/b"),
                line(head + "/b" + "q".repeat(40), "20180101000000", "http://example.com/b"),
                line(head + "/0" + "q".repeat(40), "20200101000000", "http://example.com/0"),
                line("com,example)/z", "20200101000000", "http://example.com/zz"),
                // Same SURT and time, two URLs: CDXJ order is that of the JSON blocks, which
                // here is not that of the links.
                "org,example)/ 20200101000000 {\"a\":\"2\",\"url\":\"http://example.org/\"}",
                "org,example)/ 20200101000000 {\"a\":\"1\",\"url\":\"https://example.org/\"}"));
        ReplayTemplate replay = ReplayTemplate.defaults();
        List<Entry> entries = new ArrayList<>();
        for (String l : lines) {
            entries.add(CdxjReader.parse(l).toEntry(replay));
        }
        entries.sort(null);
        StringWriter out = new StringWriter();
        long n = CdxjExport.write(entries.iterator(), out, "tree");
        List<String> expected = new ArrayList<>(lines);
        expected.sort(Keys.ORDER);
        assertThat(n).isEqualTo(lines.size());
        assertThat(out.toString()).isEqualTo(String.join("\n", expected) + "\n");
        // The cut keys really were out of CDXJ order before the export sorted them.
        List<String> byKey = new ArrayList<>();
        for (Entry e : entries) {
            byKey.add(Capture.fromEntry(e).line());
        }
        assertThat(byKey).isNotEqualTo(expected);
    }

    @Test
    void anEntryThatIsNoCaptureIsNamed() {
        List<Entry> entries = List.of(Entry.of("apple", "https://example.org/a", "", ""));
        assertThatThrownBy(() -> CdxjExport.write(entries.iterator(), new StringWriter(), "fruit"))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("fruit: entry 'apple': not a capture");
    }
}
