package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class NodeWriterTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void writesUtf8AndEscapesAttributesAndTextAsHtmlNeeds() {
        Entry e = new Entry(
                "a&b",
                "https://example.org/?a=1&b=\"2\"",
                "A <b> & \"c\"",
                "é € 𝐀 ½",
                "sha256-x",
                Map.of("data-note", "lone \ud800 & \"q\" <i>"));
        Node leaf = Node.leaf(new Range(Bound.of("a"), Bound.of("𝐁")), List.of(e), T);
        byte[] bytes = NodeWriter.write(NodeFile.of(leaf));
        String page = new String(bytes, StandardCharsets.UTF_8);

        assertThat(page)
                .contains("<li data-key=\"a&amp;b\" data-digest=\"sha256-x\""
                        + " data-note=\"lone ? &amp; &quot;q&quot; <i>\">a&amp;b: <a"
                        + " href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\">"
                        + "A &lt;b&gt; &amp; \"c\"</a> é € 𝐀 ½</li>\n")
                .contains("<title>distree leaf a – 𝐁</title>");
        // A lone surrogate is one byte, '?', as String.getBytes writes it.
        assertThat(bytes).isEqualTo(page.getBytes(StandardCharsets.UTF_8));
        assertThat(NodeWriter.render(NodeFile.of(leaf))).isEqualTo(page);
        assertThat(NodeWriter.byteSize(leaf)).isEqualTo(bytes.length);
    }

    @Test
    void aPageWithOrphanCopiesGivesItsNodesOwnMeasure() {
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(Entry.of("k" + (100 + i), "https://example.org/" + i, "T", "c \u00e9"));
        }
        Node leaf = Node.leaf(new Range(Bound.of("k1"), Bound.of("k2")), entries, T);
        Node copy = Node.leaf(Range.ALL, entries.subList(0, 10), T).withId("moved-2");
        NodeWriter.Measured alone = NodeWriter.writeMeasured(NodeFile.of(leaf));
        NodeWriter.Measured withCopy = NodeWriter.writeMeasured(new NodeFile(leaf, List.of(copy)));

        assertThat(alone.nodeBytes())
                .isEqualTo(alone.page().length)
                .isEqualTo(NodeWriter.byteSize(leaf));
        assertThat(withCopy.nodeBytes()).isEqualTo(NodeWriter.byteSize(leaf));
        assertThat(withCopy.page())
                .isEqualTo(NodeWriter.write(new NodeFile(leaf, List.of(copy))))
                .hasSize(NodeWriter.byteSize(leaf)
                        + NodeWriter.block(copy).getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aPageLargerThanTheFirstBufferIsWrittenWhole() {
        String comment = "x".repeat(1000);
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entries.add(Entry.of("k" + (100 + i), "https://example.org/" + i, "T", comment));
        }
        Node leaf = Node.leaf(Range.ALL, entries, T);
        byte[] bytes = NodeWriter.write(NodeFile.of(leaf));
        assertThat(bytes.length).isEqualTo(NodeWriter.byteSize(leaf)).isGreaterThan(40_000);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).endsWith("</body></html>\n");
    }

    @Test
    void entriesSharingTargetsWriteAndMeasureAsEntriesWithTheirOwn() {
        // 6,000 targets (more than the table of rendered targets holds), each shared by the
        // entries of three keys, met in an order that keeps pushing targets out of the table.
        java.util.Random random = new java.util.Random(7);
        List<Entry> shared = new java.util.ArrayList<>();
        List<Entry> own = new java.util.ArrayList<>();
        List<Entry> pages = new java.util.ArrayList<>();
        for (int p = 0; p < 6_000; p++) {
            pages.add(new Entry(
                    "unused",
                    "https://example.org/p/" + p + "?a=1&b=2",
                    "Page <" + p + ">",
                    "It says \"" + p + "\" … & more",
                    "sha256-" + p,
                    p % 5 == 0 ? Map.of("data-rank", "" + p) : Map.of()));
        }
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < pages.size(); i++) {
                Entry page = pages.get(random.nextInt(pages.size()));
                String key = "k" + k + "é" + i;
                shared.add(page.withKey(key));
                own.add(new Entry(
                        key,
                        page.link(),
                        page.title(),
                        page.comment(),
                        page.digest(),
                        page.extra()));
            }
        }
        for (int from = 0; from < shared.size(); from += 20) {
            List<Entry> a = shared.subList(from, from + 20);
            List<Entry> b = own.subList(from, from + 20);
            int sharedBytes = 0;
            for (Entry e : a) {
                sharedBytes += NodeWriter.itemBytes(e);
            }
            Node withShared = Node.leaf(Range.ALL, a.stream().sorted().toList(), T);
            Node withOwn = Node.leaf(Range.ALL, b.stream().sorted().toList(), T);
            byte[] written = NodeWriter.write(NodeFile.of(withShared));

            assertThat(written).isEqualTo(NodeWriter.write(NodeFile.of(withOwn)));
            assertThat(written.length)
                    .isEqualTo(NodeWriter.byteSize(withShared))
                    .isEqualTo(NodeWriter.fixedBytes(withShared) + sharedBytes);
        }
    }

    @Test
    void recordListsMeasureExactlyItemByItemAfterTheEntryBefore() {
        java.util.Random random = new java.util.Random(14);
        for (int round = 0; round < 200; round++) {
            java.util.TreeSet<Entry> set = new java.util.TreeSet<>();
            for (int i = random.nextInt(60); i >= 0; i--) {
                String key = "k" + random.nextInt(6) + (random.nextInt(9) == 0 ? "&\"<" : "");
                int page = random.nextInt(40);
                set.add(
                        random.nextInt(4) == 0
                                ? Entry.of(
                                        key, "https://example.org/" + page, "P" + page, "about it")
                                : Entry.record(
                                        key, "../p/" + page + ".html", Integer.toString(page, 36)));
            }
            Node leaf = Node.leaf(Range.ALL, List.copyOf(set), T);
            byte[] written = NodeWriter.write(NodeFile.of(leaf));
            int sum = NodeWriter.fixedBytes(leaf);
            Entry prev = null;
            for (Entry e : leaf.entries()) {
                sum += NodeWriter.itemBytes(prev, e);
                prev = e;
            }
            assertThat(written.length).isEqualTo(NodeWriter.byteSize(leaf)).isEqualTo(sum);
        }
    }

    @Test
    void aRecordFileHoldsTheTargetAndReadsBack() throws Exception {
        Entry.Target t = new Entry.Target(
                "https://example.org/a?b=1&c=\"2\"",
                "A <title> & more",
                "The snippet, é 𝐀 & <b>.",
                "sha256-abc",
                Map.of());
        byte[] bytes = RecordFile.write(t);
        String page = new String(bytes, StandardCharsets.UTF_8);

        assertThat(page)
                .contains("<title>A &lt;title&gt; &amp; more</title>")
                .contains("<distree-record version=\"2\" data-digest=\"sha256-abc\"><a"
                        + " href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\">");
        assertThat(RecordFile.read(bytes, "p/1.html")).isEqualTo(t);
        Entry.Target bare = new Entry.Target("../../a.html", "", "", null, Map.of());
        assertThat(RecordFile.read(RecordFile.write(bare), "p/2.html")).isEqualTo(bare);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        RecordFile.read("<p>no record</p>".getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(NodeFormatException.class)
                .hasMessageContaining("distree-record");
    }

    @Test
    void aRecordHoldsATargetOverALeafsLimits() throws Exception {
        Entry.Target t = new Entry.Target(
                "https://example.org/" + "l".repeat(9_000),
                "T".repeat(5_000),
                "c".repeat(16_000),
                "sha1:ABC",
                Map.of());
        assertThat(RecordFile.read(RecordFile.write(t), "p/1.html")).isEqualTo(t);
        assertThat(Entry.isLeafSized(t)).isFalse();
    }

    @Test
    void aRecordWhoseCommentHeldUffffAfterAnEscapedCharacterReadsBackWhole() throws Exception {
        // Written as "Dtitle&gt;" and U+FFFF, which jsoup took for the end of the file: the
        // comment read back was "Dtitle>" (found by PageReaderFuzzTest in a 10-minute run).
        Entry.Target t = new Entry.Target(
                "https://example.org/p.html", "", "Dtitle>\uffff\uffffCaf\u00e9", null, Map.of());

        assertThat(RecordFile.read(RecordFile.write(t), "p/1.html")).isEqualTo(t);
        assertThat(t.comment()).isEqualTo("Dtitle>\ufffd\ufffdCaf\u00e9");
    }
}
