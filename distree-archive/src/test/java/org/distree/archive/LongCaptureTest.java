package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.distree.html.NodeFormatException;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.store.NodeStore;
import org.distree.store.RecordFiles;
import org.junit.jupiter.api.Test;

/**
 * Captures over a leaf's limits (docs/ARCHIVE.md, "Long captures"): a record entry under the
 * capture's key, and a page record that holds the link, the SURT and the JSON block.
 */
class LongCaptureTest {
    private static final ReplayTemplate REPLAY =
            new ReplayTemplate("https://archive.example/web/{timestamp}/{url}");

    /** The entry a search or an export shows for {@code m}: a record entry's record read back. */
    static Entry resolved(Capture.Indexed m) {
        byte[] record = m.record();
        if (record == null) {
            return m.entry();
        }
        try {
            return new Entry(
                    m.entry().key(),
                    RecordFile.read(record, Objects.requireNonNull(m.recordFile())));
        } catch (NodeFormatException e) {
            throw new AssertionError("a record written reads back", e);
        }
    }

    /** A CDXJ line of a GET of {@code url} at {@code ts}. */
    static String line(String url, String ts) {
        return Surt.of(url) + " " + ts + " {\"url\":\"" + url + "\",\"mime\":\"text/html\","
                + "\"status\":\"200\",\"digest\":\"W2ENFSYXPD7662DIBNNTRR7HED6MTCE3\","
                + "\"length\":\"593\",\"offset\":\"835\",\"filename\":\"a.warc.gz\"}";
    }

    @Test
    void aCaptureWithinALeafsLimitsIsAPlainEntry() {
        Capture c = CdxjReader.parse(line("http://example.com/a", "20200102030405"));
        Capture.Indexed m = c.indexed(REPLAY);
        assertThat(m.entry().isRecord()).isFalse();
        assertThat(m.record()).isNull();
        assertThat(m.recordFile()).isNull();
        assertThat(m.entry()).isEqualTo(c.toEntry(REPLAY));
    }

    @Test
    void eachPartOverItsLimitMakesARecordEntryWhoseRecordHoldsTheCapture() {
        String base = "http://example.com/search?q=";
        // A SURT over a title's 512 bytes; a JSON block over a comment's 1,024; a replay link
        // over a link's 2,048.
        for (int n : new int[] {600, 1_000, 2_500, 7_000}) {
            String url = base + "x".repeat(n);
            Capture c = CdxjReader.parse(line(url, "20200102030405"));
            Capture.Indexed m = c.indexed(REPLAY);
            Entry e = m.entry();
            assertThat(e.isRecord()).as("%d", n).isTrue();
            assertThat(e.key()).isEqualTo(c.key());
            assertThat(Keys.utf8Length(e.key())).isLessThanOrEqualTo(Keys.MAX_KEY_BYTES);
            assertThat(m.recordFile()).matches(NodeStore.RECORD_DIR + "/[0-9a-z]{12}\\.html");
            assertThat(e.link()).isEqualTo("../" + m.recordFile());
            assertThat(RecordFiles.nameOf(e.link())).isEqualTo(c.recordName());
            Entry shown = resolved(m);
            assertThat(shown.link()).isEqualTo(c.link(REPLAY));
            assertThat(shown.title()).isEqualTo(c.surt());
            assertThat(shown.comment()).isEqualTo(c.json());
            assertThat(shown.digest()).isEqualTo("sha1:W2ENFSYXPD7662DIBNNTRR7HED6MTCE3");
            assertThat(Capture.fromEntry(shown)).isEqualTo(c);
        }
    }

    @Test
    void aRecordIsNamedByItsLineAlone() {
        String url = "http://example.com/search?q=" + "y".repeat(900);
        Capture a = CdxjReader.parse(line(url, "20200102030405"));
        Capture again = CdxjReader.parse(line(url, "20200102030405"));
        Capture later = CdxjReader.parse(line(url, "20200102030406"));
        assertThat(a.recordName()).isEqualTo(again.recordName());
        assertThat(a.recordName()).isNotEqualTo(later.recordName());
        assertThat(a.record(REPLAY)).isEqualTo(again.record(REPLAY));
    }

    @Test
    void aCaptureOverARecordsLimitsIsRefusedNamingThePart() {
        String url = "http://example.com/q?" + "z".repeat(Entry.MAX_RECORD_FIELD_BYTES);
        Capture c = new Capture(
                Surt.of("http://example.com/q"),
                "20200102030405",
                "{\"url\":\"http://example.com/q\"}",
                url,
                null);
        assertThatThrownBy(() -> c.indexed(REPLAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("link")
                .hasMessageContaining("16384 byte limit");
    }

    @Test
    void aCdxjIndexWithLongCapturesReadsAsEntriesAndRecordsAndExportsLineForLine()
            throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String url = "http://example.com/p" + (i % 4) + "?q=" + "w".repeat(i * 120);
            lines.add(line(url, "2020010203040" + (i % 10)));
        }
        lines.sort(Keys.ORDER);
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(3));
        List<Entry> entries = new ArrayList<>();
        int records = 0;
        try (CdxjReader r = new CdxjReader(
                new ByteArrayInputStream(
                        String.join("\n", shuffled).getBytes(StandardCharsets.UTF_8)),
                "long.cdxj",
                false)) {
            for (Capture.Indexed m = r.nextIndexed(REPLAY); m != null; m = r.nextIndexed(REPLAY)) {
                records += m.record() == null ? 0 : 1;
                entries.add(m.entry());
            }
        }
        assertThat(records).isBetween(20, 29);
        // In key order, as a tree holds them; the export reads each record entry's record.
        Collections.sort(entries);
        List<Entry> shown = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.isRecord()) {
                shown.add(e);
                continue;
            }
            String name = Objects.requireNonNull(RecordFiles.nameOf(e.link()));
            String line = lines.stream()
                    .filter(l -> CdxjReader.parse(l).recordName().equals(name))
                    .findFirst()
                    .orElseThrow();
            shown.add(resolved(CdxjReader.parse(line).indexed(REPLAY)));
        }
        java.io.StringWriter out = new java.io.StringWriter();
        CdxjExport.write(shown.iterator(), out, "long");
        assertThat(out.toString().lines().toList()).isEqualTo(lines);
    }
}
