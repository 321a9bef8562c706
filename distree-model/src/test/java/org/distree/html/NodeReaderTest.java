package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.ModelArbitraries;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.query.FileSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeReaderTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final String FILE = "n/1a.html";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static NodeFile roundTrip(NodeFile file) throws NodeFormatException {
        return NodeReader.read(NodeWriter.write(file), FILE);
    }

    private static Node leaf(Entry... entries) {
        return Node.leaf(Range.ALL, List.of(entries), T);
    }

    /** A leaf with markup characters, non-ASCII keys on both sides of U+FFFF, and a comment. */
    private static Node sampleLeaf() {
        return Node.leaf(
                new Range(Bound.of("a"), new Bound("zz", "https://x.org/q")),
                List.of(
                        Entry.of(
                                "a&b",
                                "https://example.org/?a=1&b=\"2\"",
                                "A <b> & c",
                                "one & two"),
                        Entry.of("café", "https://example.org/café", "", ""),
                        Entry.of("Ａ", "https://example.org/fw", "", "full width"),
                        Entry.of("𝐀", "https://example.org/bold", "Bold", "")),
                T);
    }

    private static Node sampleInternal() {
        return Node.internal(
                2,
                Range.ALL,
                300,
                List.of(
                        new ChildRef(
                                "1.html",
                                new Range(null, Bound.of("m")),
                                1,
                                100,
                                T,
                                Status.OK,
                                Map.of()),
                        new ChildRef(
                                "2.html",
                                new Range(Bound.of("m"), new Bound("t", "https://a/b")),
                                0,
                                100,
                                null,
                                Status.FAILING,
                                Map.of("data-x", "y")),
                        new ChildRef(
                                "https://other.example/n/3.html#c",
                                new Range(new Bound("t", "https://a/b"), null),
                                1,
                                100,
                                T,
                                Status.OK,
                                Map.of())),
                T);
    }

    private static String page(Node node) {
        return NodeWriter.render(NodeFile.of(node));
    }

    private static NodeFormatException refused(String html) {
        return refused(html.getBytes(StandardCharsets.UTF_8));
    }

    private static NodeFormatException refused(byte[] bytes) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                NodeFile f = NodeReader.read(bytes, FILE);
                throw new AssertionError("read without error: " + f);
            } catch (NodeFormatException e) {
                assertThat(e.file()).isEqualTo(FILE);
                assertThat(e.getMessage()).startsWith(FILE);
                return e;
            }
        });
    }

    // Round trips

    @Test
    void readsBackAnUntitledEntryWhoseLinkIsLongerThanATitleMayBe() throws Exception {
        Node leaf = leaf(Entry.of("k", "https://example.org/" + "a".repeat(900), "", ""));

        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
    }

    @Test
    void readsBackAnUntitledEntryWhoseLinkHasRunsOfSpaces() throws Exception {
        Node leaf = leaf(Entry.of("k", "https://example.org/a  b\u00a0c", "", ""));

        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
    }

    @Test
    void textHoldingUffffReadsBackThroughTheHtmlParserToo() throws Exception {
        // U+FFFF where a run of text begins (after the <a> tag, after &gt;) is the end of the
        // input to jsoup's tokenizer: the text holds U+FFFD instead, so both readers see it all.
        Node leaf = leaf(
                Entry.of("a", "https://example.org/a", "\uffffTitle", "one >\uffff two"),
                Entry.of("b", "https://example.org/b", "B", "after"));

        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
        assertThat(NodeReader.parseHtml(page(leaf), FILE).node()).isEqualTo(leaf);
        assertThat(leaf.entries().get(0).title()).isEqualTo("\ufffdTitle");
        assertThat(leaf.entries().get(0).comment()).isEqualTo("one >\ufffd two");
    }

    @Test
    void readsBackSampleNodesAndOrphans() throws Exception {
        NodeFile file = new NodeFile(
                sampleInternal(),
                List.of(sampleLeaf().withId("old-1"), sampleInternal().withId("old-2")));

        assertThat(roundTrip(file)).isEqualTo(file);
    }

    @Property(tries = 300)
    void readingWhatWasWrittenGivesTheSameNode(@ForAll("nodes") Node node) throws Exception {
        assertThat(roundTrip(NodeFile.of(node)).node()).isEqualTo(node);
    }

    @Property(tries = 100)
    void readingAWrittenFileGivesTheSameNodeAndOrphans(@ForAll("files") NodeFile file)
            throws Exception {
        assertThat(roundTrip(file)).isEqualTo(file);
    }

    @Property(tries = 300)
    void byteSizeIsTheWrittenLength(@ForAll("nodes") Node node) {
        assertThat(NodeWriter.byteSize(node)).isEqualTo(NodeWriter.write(NodeFile.of(node)).length);
    }

    @Provide
    Arbitrary<Node> nodes() {
        return ModelArbitraries.nodes();
    }

    @Provide
    Arbitrary<NodeFile> files() {
        return ModelArbitraries.nodeFiles();
    }

    // Truncated files

    /** Each cut gives an error, or (when the node is complete) the same node: never less. */
    private static void assertEveryCutIsRefusedOrWhole(NodeFile file) {
        byte[] bytes = NodeWriter.write(file);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int cut = 0; cut < bytes.length; cut++) {
                NodeFile read;
                try {
                    read = NodeReader.read(Arrays.copyOf(bytes, cut), FILE);
                } catch (NodeFormatException e) {
                    assertThat(e.getMessage()).startsWith(FILE);
                    continue;
                }
                assertThat(read.node()).as("cut at %d", cut).isEqualTo(file.node());
                assertThat(read.orphans())
                        .as("cut at %d", cut)
                        .isEqualTo(file.orphans().subList(0, read.orphans().size()));
            }
        });
    }

    @Test
    void aLeafCutAnywhereIsRefusedOrReadWhole() {
        assertEveryCutIsRefusedOrWhole(NodeFile.of(sampleLeaf()));
    }

    @Test
    void anInternalNodeCutAnywhereIsRefusedOrReadWhole() {
        assertEveryCutIsRefusedOrWhole(NodeFile.of(sampleInternal()));
    }

    @Test
    void aFileWithOrphansCutAnywhereIsRefusedOrReadWhole() {
        assertEveryCutIsRefusedOrWhole(new NodeFile(
                sampleInternal(),
                List.of(sampleLeaf().withId("o1"), sampleInternal().withId("o2"))));
    }

    @Test
    void aCutNodeIsRefusedEvenWhenACommentHoldsAClosingTag() {
        String html = page(sampleInternal());
        String cut = html.substring(0, html.indexOf("<li>", html.indexOf("2.html") - 20));
        String hostile = cut.replace("<body>", "<body><!-- </distree> -->");

        assertThat(refused(hostile).field()).isEqualTo("distree");
    }

    // <distree> inside other elements

    @Test
    void anInternalNodeInsideAParagraphIsRefusedNotReadEmpty() {
        String html = page(sampleInternal()).replace("<distree", "<p><distree");

        NodeFormatException e = refused(html);

        assertThat(e.field()).isEqualTo("distree");
        assertThat(e.reason()).contains("</distree>");
    }

    @Test
    void aLeafInsideALinkIsRefusedNotReadEmpty() {
        String html = page(sampleLeaf())
                .replace("<distree", "<a href=\"x\"><distree")
                .replace("</distree>", "</distree></a>");

        assertThat(refused(html).field()).isEqualTo("distree");
    }

    @Test
    void paragraphsAndListsInsideTheNodeAreRead() throws Exception {
        String html = page(sampleLeaf())
                .replace("<ol>", "<p>Intro<ol>")
                .replace("</ol>", "</ol><p>Footer <b>bold</b></p><ul><li>not an item</ul>");

        assertThat(NodeReader.parse(html, FILE).node()).isEqualTo(sampleLeaf());
    }

    @Test
    void aParagraphLeftOpenInsideTheNodeIsRefused() {
        // A browser ignores </distree> while a <p> inside it is open.
        String html = page(sampleLeaf()).replace("</ol>", "</ol><p>Footer");

        assertThat(refused(html).reason()).contains("left open");
    }

    // Missing, repeated and malformed attributes

    @Test
    void missingNodeAttributesAreNamed() {
        String html = page(sampleLeaf());
        for (String attr : List.of("version", "height", "size", "updated")) {
            String broken = html.replaceFirst(" " + attr + "=\"[^\"]*\"", "");

            NodeFormatException e = refused(broken);

            assertThat(e.field()).as(attr).isEqualTo(attr);
            assertThat(e.reason()).as(attr).isEqualTo("missing");
        }
    }

    @Test
    void aMissingEntryKeyNamesTheItem() {
        String html = page(sampleLeaf()).replace(" data-key=\"café\"", "");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.field()).isEqualTo("data-key");
        assertThat(e.getMessage()).isEqualTo(FILE + "#item 2: data-key: missing");
    }

    @Test
    void anEntryWithoutALinkNamesTheItem() {
        String html = page(sampleLeaf()).replace("<a href=\"https://example.org/fw\">", "<a>");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 3");
        assertThat(e.field()).isEqualTo("a");
    }

    @Test
    void missingChildAttributesNameTheItemAndField() {
        String html = page(sampleInternal());
        for (String attr : List.of("data-height", "data-size")) {
            String second = html.substring(html.indexOf("<li><a href=\"2.html\""));
            String broken =
                    html.replace(second, second.replaceFirst(" " + attr + "=\"[^\"]*\"", ""));

            NodeFormatException e = refused(broken);

            assertThat(e.fragment()).as(attr).isEqualTo("item 2");
            assertThat(e.field()).as(attr).isEqualTo(attr);
        }
    }

    @Test
    void aRepeatedAttributeNamesTheItemAndTheAttribute() {
        String html = page(sampleLeaf())
                .replace("<li data-key=\"café\"", "<li data-key=\"café\" data-key=\"zzz\"");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.field()).isEqualTo("data-key");
        assertThat(e.reason()).contains("repeated");
    }

    @Test
    void aRepeatedNodeAttributeIsRefused() {
        String html = page(sampleInternal()).replace(" size=\"300\"", " size=\"300\" size=\"9\"");

        NodeFormatException e = refused(html);

        assertThat(e.field()).isEqualTo("size");
        assertThat(e.reason()).contains("repeated");
    }

    @Test
    void aRepeatedAttributeIsFoundAfterManyOtherParseErrors() {
        String html = page(sampleInternal())
                .replace("<body>", "<body>" + "</nothing>".repeat(300))
                .replace("data-size=\"100\"", "data-size=\"100\" data-size=\"1\"");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 1");
        assertThat(e.field()).isEqualTo("data-size");
    }

    @Test
    void nonNumericSizesAreRefused() {
        String html = page(sampleInternal());
        for (String bad : List.of("12x", "", "-5", "1e3", "99999999999999999999", "0x10")) {
            NodeFormatException node =
                    refused(html.replace(" size=\"300\"", " size=\"" + bad + "\""));
            assertThat(node.field()).as(bad).isEqualTo("size");

            NodeFormatException child =
                    refused(html.replaceFirst("data-size=\"100\"", "data-size=\"" + bad + "\""));
            assertThat(child.fragment()).as(bad).isEqualTo("item 1");
            assertThat(child.field()).as(bad).isEqualTo("data-size");
        }
    }

    @Test
    void aLeafWhoseSizeIsNotItsEntryCountIsRefused() {
        String html = page(sampleLeaf()).replace(" size=\"4\"", " size=\"5\"");

        assertThat(refused(html).field()).isEqualTo("size");
    }

    @Test
    void heightsOutsideTheirRangeAreRefused() {
        String html = page(sampleInternal());
        for (String bad : List.of("-1", "65", "x", "1.5")) {
            assertThat(refused(html.replace(" height=\"2\"", " height=\"" + bad + "\""))
                            .field())
                    .as(bad)
                    .isEqualTo("height");
        }
    }

    @Test
    void aNewerVersionIsRefused() {
        String html = page(sampleLeaf()).replace("version=\"1\"", "version=\"3\"");

        assertThat(refused(html).field()).isEqualTo("version");
    }

    @Test
    void aVersionTwoNodeWithoutRecordListsReadsAsTheVersionOneNodeItIs() throws Exception {
        Node leaf = sampleLeaf();
        String html = page(leaf).replace("version=\"1\"", "version=\"2\"");

        Node read = NodeReader.parse(html, "n/1.html").node();
        assertThat(read).isEqualTo(leaf);
        assertThat(read.version()).isEqualTo(1);
    }

    @Test
    void recordListsReadBackAsOneRecordEntryPerLinkInVersionTwo() throws Exception {
        List<Entry> entries = List.of(
                Entry.record("apple", "../p/1.html", "1"),
                Entry.record("apple", "../p/2.html", "2"),
                Entry.of("apple", "https://example.org/a", "Apples", "A fruit."),
                Entry.record("banana", "../p/1.html", "1"),
                Entry.record("cherry", "../p/3.html", "3 & <3>"),
                Entry.of("cherry", "https://example.org/z", "", ""));
        Node leaf = Node.leaf(Range.ALL, entries, T);
        String html = NodeWriter.render(NodeFile.of(leaf));

        assertThat(leaf.version()).isEqualTo(2);
        assertThat(html)
                .contains("<distree version=\"2\" height=\"0\"")
                .contains("<li data-key=\"apple\" data-records data-scores=\"0 0\">apple: <a"
                        + " href=\"../p/1.html\">1</a> <a href=\"../p/2.html\">2</a></li>\n"
                        + "<li data-key=\"apple\">apple: <a href=\"https://example.org/a\">")
                .contains("<li data-key=\"banana\" data-records data-scores=\"0\">banana: <a"
                        + " href=\"../p/1.html\">1</a></li>\n");
        Node read = NodeReader.parse(html, "n/1.html").node();
        assertThat(read).isEqualTo(leaf);
        assertThat(read.entries()).filteredOn(Entry::isRecord).hasSize(4);
        assertThat(NodeWriter.byteSize(leaf))
                .isEqualTo(html.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void recordEntryScoresAreWrittenAsTheListsDataScoresAndReadBack() throws Exception {
        List<Entry> entries = List.of(
                Entry.record("apple", "../p/1.html", "1", 734),
                Entry.record("apple", "../p/2.html", "2"),
                Entry.record("banana", "../p/1.html", "1", 1));
        Node leaf = Node.leaf(Range.ALL, entries, T);
        String html = NodeWriter.render(NodeFile.of(leaf));

        assertThat(html)
                .contains("<li data-key=\"apple\" data-records data-scores=\"734 0\">apple:"
                        + " <a href=\"../p/1.html\">1</a> <a href=\"../p/2.html\">2</a></li>\n")
                .contains("<li data-key=\"banana\" data-records data-scores=\"1\">");
        Node read = NodeReader.parse(html, "n/1.html").node();
        assertThat(read).isEqualTo(leaf);
        assertThat(read.entries()).extracting(Entry::score).containsExactly(734, 0, 1);
        assertThat(NodeWriter.byteSize(leaf))
                .isEqualTo(html.getBytes(StandardCharsets.UTF_8).length);
        // Scores that are not whole numbers in range, or not one a link, are refused, naming
        // the attribute; so is a link's own score beside the list's.
        for (String bad : List.of("7.5 0", "1000001 0", "734", "734 0 1", "734  0", "-1 0", "")) {
            assertThat(refused(html.replace("\"734 0\"", "\"" + bad + "\"")).field())
                    .as(bad)
                    .isEqualTo("data-scores");
        }
        assertThat(refused(html.replace("\">1</a> <a", "\" data-score=\"5\">1</a> <a"))
                        .field())
                .isEqualTo("data-score");
    }

    @Test
    void recordListsWithAScoreOnEachLinkAreStillRead() throws Exception {
        // As version 2 was first written (2026-12-04), before data-scores.
        String html = NodeWriter.render(NodeFile.of(leaf()))
                .replace(
                        "<ol>\n</ol>",
                        "<ol>\n<li data-key=\"apple\" data-records>apple: <a href=\"../p/1.html\""
                                + " data-score=\"734\">1</a> <a href=\"../p/2.html\">2</a></li>\n"
                                + "</ol>")
                .replace(" size=\"0\"", " size=\"2\"")
                .replace("version=\"1\"", "version=\"2\"");

        Node read = NodeReader.parse(html, "n/1.html").node();

        assertThat(read.entries()).extracting(Entry::score).containsExactly(734, 0);
        assertThat(read.entries())
                .extracting(Entry::link)
                .containsExactly("../p/1.html", "../p/2.html");
        assertThat(refused(html.replace("\"734\"", "\"7.5\"")).field()).isEqualTo("data-score");
        assertThat(refused(html.replace("\"734\"", "\"1000001\"")).field()).isEqualTo("data-score");
    }

    @Test
    void aPlainEntrysScoreIsWrittenOnItsItemAndReadBackWithinItsLimit() throws Exception {
        Entry scored = new Entry(
                "apple",
                new Entry.Target(
                        "https://e.org/a", "A", "a note", "sha256-x", Map.of(), false, 4200));
        Entry plain = new Entry("apple", "https://e.org/b", "B", "", null, Map.of());
        Node leaf = leaf(scored, plain);
        String html = NodeWriter.render(NodeFile.of(leaf));

        assertThat(html)
                .contains("<li data-key=\"apple\" data-digest=\"sha256-x\" data-score=\"4200\">"
                        + "apple: <a href=\"https://e.org/a\">A</a> a note</li>\n")
                .contains("<li data-key=\"apple\">apple: <a href=\"https://e.org/b\">");
        // Both readers: the writer's form, and the HTML parser's (an attribute moved).
        Node read = NodeReader.parse(html, "n/1.html").node();
        assertThat(read).isEqualTo(leaf);
        assertThat(read.entries()).extracting(Entry::score).containsExactly(4200, 0);
        assertThat(read.entries().get(0).target().extra()).isEmpty();
        String moved = html.replace(
                "data-digest=\"sha256-x\" data-score=\"4200\"",
                "data-score=\"4200\"  data-digest=\"sha256-x\"");
        assertThat(NodeReader.parse(moved, "n/1.html").node()).isEqualTo(leaf);
        assertThat(NodeWriter.byteSize(leaf))
                .isEqualTo(html.getBytes(StandardCharsets.UTF_8).length);
        for (String bad : List.of("7.5", "1000001", "-1", "", "1e3")) {
            assertThat(refused(html.replace("\"4200\"", "\"" + bad + "\"")).field())
                    .as(bad)
                    .isEqualTo("data-score");
        }
        assertThatThrownBy(() -> Entry.record("k", "../p/1.html", "1", Entry.MAX_SCORE + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..1000000");
    }

    @Test
    void aRecordListInAVersionOneNodeIsRefused() {
        String html = NodeWriter.render(NodeFile.of(Node.leaf(
                        Range.ALL, List.of(Entry.record("apple", "../p/1.html", "1")), T)))
                .replace("version=\"2\"", "version=\"1\"");

        assertThat(refused(html).field()).isEqualTo("data-records");
    }

    @Test
    void badTimesAndStatusesNameTheField() {
        String html = page(sampleInternal());

        assertThat(refused(html.replaceFirst(" updated=\"[^\"]*\"", " updated=\"yesterday\""))
                        .field())
                .isEqualTo("updated");
        NodeFormatException checked = refused(html.replaceFirst(
                "data-checked=\"[^\"]*\"", "data-checked=\"2026-13-01T00:00:00Z\""));
        assertThat(checked.fragment()).isEqualTo("item 1");
        assertThat(checked.field()).isEqualTo("data-checked");
        NodeFormatException status =
                refused(html.replace("data-status=\"failing\"", "data-status=\"fine\""));
        assertThat(status.fragment()).isEqualTo("item 2");
        assertThat(status.field()).isEqualTo("data-status");
    }

    @Test
    void aRangeWhoseLowIsNotBelowItsHighIsRefused() {
        String node = page(sampleLeaf()).replace(" low=\"a\"", " low=\"zz\" low-link=\"z\"");
        String equal = page(sampleLeaf())
                .replace(" low=\"a\"", " low=\"zz\" low-link=\"https://x.org/q\"");
        String child = page(sampleInternal())
                .replace("data-low=\"m\" data-high=\"t\"", "data-low=\"u\" data-high=\"t\"");

        assertThat(refused(node).field()).isEqualTo("low");
        assertThat(refused(equal).field()).isEqualTo("low");
        NodeFormatException e = refused(child);
        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.field()).isEqualTo("data-low");
        assertThat(e.reason()).contains("not below");
    }

    @Test
    void aBoundLinkWithoutItsKeyIsRefused() {
        String html = page(sampleLeaf()).replace(" low=\"a\"", " low-link=\"x\"");

        assertThat(refused(html).field()).isEqualTo("low-link");
    }

    @Test
    void entriesOutOfCodePointOrderAreRefused() {
        // String.compareTo puts U+1D400 (a surrogate pair) below U+FF21; code points do not.
        String html = page(leaf(
                Entry.of("Ａ", "https://example.org/1", "", ""),
                Entry.of("𝐀", "https://example.org/2", "", "")));
        String swapped = html.replace("data-key=\"Ａ\"", "data-key=\"TMP\"")
                .replace("data-key=\"𝐀\"", "data-key=\"Ａ\"")
                .replace("data-key=\"TMP\"", "data-key=\"𝐀\"");

        NodeFormatException e = refused(swapped);

        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.field()).isEqualTo("data-key");
        assertThat(e.reason()).contains("order");
    }

    @Test
    void aRepeatedEntryIsRefused() {
        String html = page(leaf(
                        Entry.of("k", "https://example.org/1", "", ""),
                        Entry.of("k", "https://example.org/2", "", "")))
                .replace("https://example.org/2", "https://example.org/1");

        assertThat(refused(html).fragment()).isEqualTo("item 2");
    }

    @Test
    void childrenOutOfOrderAreRefused() {
        String html = page(sampleInternal());
        String first = html.substring(
                html.indexOf("<li><a href=\"1.html\""), html.indexOf("<li><a href=\"2.html\""));
        String swapped = html.replace(first, "").replace("</ol>", first + "</ol>");

        NodeFormatException e = refused(swapped);

        assertThat(e.fragment()).isEqualTo("item 3");
        assertThat(e.field()).isEqualTo("data-low");
    }

    @Test
    void anEntryInAnInternalNodeIsRefused() {
        String html = page(sampleInternal())
                .replace("<li><a href=\"2.html\"", "<li data-key=\"k\"><a href=\"2.html\"");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.field()).isEqualTo("data-key");
    }

    @Test
    void aLeafsEntryIsHeldToALeafsLimitsThoughARecordMayHoldMore() {
        // Within a page record's limits, over a leaf's: a title of 600 bytes, a comment of
        // 2,000, a link of 3,000.
        for (String[] part : new String[][] {
            {"A &lt;b&gt; &amp; c", "T".repeat(600), "title", "512 byte limit"},
            {"one &amp; two", "c".repeat(2_000), "comment", "1024 byte limit"},
            {
                "https://example.org/?a=1&amp;b=&quot;2&quot;",
                "https://example.org/" + "l".repeat(3_000),
                "link",
                "2048 byte limit"
            }
        }) {
            String html = page(sampleLeaf()).replace(part[0], part[1]);
            NodeFormatException e = refused(html);
            assertThat(e.fragment()).as(part[2]).isEqualTo("item 1");
            assertThat(e.reason()).contains(part[2]).contains(part[3]);
        }
        Entry.Target big = new Entry.Target(
                "https://example.org/" + "l".repeat(3_000),
                "T".repeat(600),
                "c".repeat(2_000),
                null,
                java.util.Map.of());
        assertThat(Entry.isLeafSized(big)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Entry.requireLeafSized(big))
                .hasMessageContaining("link")
                .hasMessageContaining("2048 byte limit");
        // A leaf's writer refuses what its reader would: an entry made of a record's target.
        Node leaf =
                Node.leaf(new Range(Bound.of("a"), Bound.of("b")), List.of(new Entry("a", big)), T);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> NodeWriter.write(new NodeFile(leaf, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048 byte limit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Entry.Target(
                        "https://example.org/",
                        "",
                        "c".repeat(Entry.MAX_RECORD_FIELD_BYTES + 1),
                        null,
                        java.util.Map.of()))
                .hasMessageContaining("16384 byte limit");
    }

    @Test
    void anEntryOverItsLimitsNamesTheItem() {
        String html = page(sampleLeaf())
                .replace("data-key=\"café\"", "data-key=\"" + "k".repeat(65) + "\"");

        NodeFormatException e = refused(html);

        assertThat(e.fragment()).isEqualTo("item 2");
        assertThat(e.reason()).contains("key").contains("64 byte limit");
    }

    @Test
    void orphansNeedAnIdAndTheOwnNodeHasNone() {
        String two = NodeWriter.render(
                new NodeFile(sampleLeaf(), List.of(sampleLeaf().withId("o1"))));

        NodeFormatException noId = refused(two.replace(" id=\"o1\"", ""));
        assertThat(noId.field()).isEqualTo("id");
        NodeFormatException firstWithId =
                refused(page(sampleLeaf()).replace("<distree ", "<distree id=\"x\" "));
        assertThat(firstWithId.field()).isEqualTo("id");
        assertThat(firstWithId.fragment()).isEqualTo("x");
    }

    @Test
    void anOrphanErrorNamesTheOrphan() {
        String two = NodeWriter.render(
                new NodeFile(sampleLeaf(), List.of(sampleLeaf().withId("o1"))));
        int orphan = two.indexOf("id=\"o1\"");
        String broken = two.substring(0, orphan)
                + two.substring(orphan).replaceFirst(" data-key=\"café\"", "");

        NodeFormatException e = refused(broken);

        assertThat(e.fragment()).isEqualTo("o1/item 2");
        assertThat(e.field()).isEqualTo("data-key");
    }

    @Test
    void aNestedNodeIsRefused() {
        String html = page(sampleLeaf()).replace("</ol>", "</ol><distree id=\"in\"></distree>");

        assertThat(refused(html).reason()).contains("inside another");
    }

    @Test
    void aPageWithoutANodeIsRefused() {
        assertThat(refused("<html><body><p>hello</p></body></html>").field()).isEqualTo("distree");
        assertThat(refused("").field()).isEqualTo("distree");
    }

    @Test
    void anEntryPagePointsAtItsRoot() {
        byte[] index = IndexPage.write("n/1.html", sampleLeaf());

        assertThatThrownBy(() -> NodeReader.read(index, "index.html"))
                .isInstanceOfSatisfying(
                        RootPointerException.class,
                        e -> assertThat(e.href()).isEqualTo("n/1.html"));
    }

    @Test
    void unknownDataAttributesAreKeptAndOthersIgnored() throws Exception {
        String html = page(sampleLeaf())
                .replace(
                        "<li data-key=\"café\"",
                        "<li data-key=\"café\" data-rank=\"3\""
                                + " onclick=\"evil()\" data-Bad_Name=\"x\"");

        Entry e = NodeReader.parse(html, FILE).node().entries().get(1);

        assertThat(e.extra()).containsExactly(Map.entry("data-rank", "3"));
    }

    @Test
    void partialMarksOnANodeAndItsChildItemsReadBack() throws Exception {
        Node base = sampleInternal();
        List<ChildRef> children = new ArrayList<>(base.children());
        children.set(1, children.get(1).withPartial(true));
        children.set(2, children.get(2).withPartial(true));
        Node internal =
                base.withChildren(children, base.range(), base.size(), T).withPartial(true);
        Node leaf = sampleLeaf().withPartial(true);

        String html = page(internal);
        Node read = roundTrip(NodeFile.of(internal)).node();

        assertThat(html).contains("<distree version=\"1\"").contains(" data-partial=\"true\">");
        assertThat(html.split("data-partial=\"true\"", -1)).hasSize(4);
        assertThat(read).isEqualTo(internal);
        assertThat(read.partial()).isTrue();
        assertThat(read.children())
                .extracting(ChildRef::partial)
                .containsExactly(false, true, true);
        assertThat(read.children().get(1).extra())
                .containsOnly(Map.entry("data-x", "y"), Map.entry(Node.PARTIAL, "true"));
        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
        assertThat(roundTrip(NodeFile.of(leaf)).node().partial()).isTrue();
        // Unmarked nodes write no mark and read back unmarked, as before.
        assertThat(page(sampleLeaf())).doesNotContain("data-partial");
        assertThat(roundTrip(NodeFile.of(sampleLeaf())).node().partial()).isFalse();
    }

    @Test
    void aPartialMarkOtherThanTrueIsKeptButDoesNotMark() throws Exception {
        String html = page(sampleLeaf()).replace("<distree ", "<distree data-partial=\"yes\" ");

        Node read = NodeReader.parse(html, FILE).node();

        assertThat(read.partial()).isFalse();
        assertThat(read.extra()).containsOnly(Map.entry(Node.PARTIAL, "yes"));
    }

    @Test
    void aLongUnknownAttributeIsIgnoredNotRefused() throws Exception {
        String html = page(sampleLeaf())
                .replace(
                        "<li data-key=\"café\"",
                        "<li data-key=\"café\" data-note=\"" + "é".repeat(200) + "\"")
                .replace("<distree ", "<distree data-note=\"" + "é".repeat(200) + "\" ");

        NodeFile read = NodeReader.parse(html, FILE);

        assertThat(read.node().extra()).isEmpty();
        assertThat(read.node().entries().get(1).extra()).isEmpty();
    }

    // Size limit and bytes

    @Test
    void aHugeFileIsRefusedByItsSizeBeforeReading() throws Exception {
        Path huge = dir.resolve("huge.html");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(100L << 20);
        }

        NodeFormatException direct = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> catchFormat(
                        () -> NodeReader.read(huge, "huge.html", NodeReader.DEFAULT_MAX_BYTES)));
        NodeFormatException viaSource = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> catchFormat(() -> new FileSource().fetch(huge.toUri())));

        assertThat(direct.getMessage())
                .isEqualTo("huge.html: file: 104,857,600 bytes, over the"
                        + " 1,048,576 byte read limit");
        assertThat(viaSource.file()).endsWith("huge.html");
        assertThat(viaSource.field()).isEqualTo("file");
        assertThat(viaSource.reason()).contains("104,857,600 bytes");
    }

    @Test
    void bytesOverTheLimitAreRefusedUnparsed() {
        byte[] big = new byte[NodeReader.DEFAULT_MAX_BYTES + 1];
        Arrays.fill(big, (byte) '<');

        assertThat(refused(big).reason()).contains("over the 1,048,576 byte read limit");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] good = page(sampleLeaf()).getBytes(StandardCharsets.UTF_8);
        int at = indexOf(good, "café".getBytes(StandardCharsets.UTF_8)) + 3;
        List<byte[]> bad = new ArrayList<>();
        bad.add(replaceAt(good, at, new byte[] {(byte) 0xE9})); // Latin-1 é
        bad.add(replaceAt(good, at, new byte[] {(byte) 0x80})); // lone continuation
        bad.add(replaceAt(good, at, new byte[] {(byte) 0xC0, (byte) 0xAF})); // overlong '/'
        bad.add(replaceAt(
                good, at, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})); // surrogate
        bad.add(Arrays.copyOf(good, indexOf(good, "café".getBytes(StandardCharsets.UTF_8)) + 4));
        for (byte[] b : bad) {
            NodeFormatException e = refused(b);
            assertThat(e.field()).isEqualTo("file");
            assertThat(e.reason()).contains("not UTF-8");
        }
        assertThat(refused(bad.get(0)).reason()).endsWith("(at or after byte " + at + ")");
    }

    @Test
    void deepNestingIsReadOrRefusedWithoutCrashing() {
        String head = "<!DOCTYPE html><html><body><distree version=\"1\" height=\"0\" size=\"1\""
                + " updated=\"2026-11-22T10:00:00Z\"><ol><li data-key=\"a\"><a href=\"x\">x</a> ";
        for (String unit : List.of("<b>", "<div>", "<table><tr><td>", "<a href=\"y\">")) {
            String html = head + unit.repeat(200_000 / unit.length()) + "c</li></ol></distree>";
            assertTimeoutPreemptively(
                    LIMIT,
                    () -> {
                        try {
                            NodeFile f = NodeReader.parse(html, FILE);
                            assertThat(f.node().entries())
                                    .extracting(Entry::key)
                                    .containsExactly("a");
                        } catch (NodeFormatException e) {
                            assertThat(e.getMessage()).startsWith(FILE);
                        }
                    },
                    unit);
        }
    }

    private interface Read {
        Object run() throws Exception;
    }

    private static NodeFormatException catchFormat(Read read) throws Exception {
        try {
            throw new AssertionError("read without error: " + read.run());
        } catch (NodeFormatException e) {
            return e;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    private static byte[] replaceAt(byte[] bytes, int at, byte[] with) {
        byte[] out = new byte[bytes.length - 1 + with.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(bytes, at + 1, out, at + with.length, bytes.length - at - 1);
        return out;
    }

    @Test
    void writtenFilesAreTheMeasuredSize() throws Exception {
        Path p = dir.resolve("n.html");
        Files.write(p, NodeWriter.write(NodeFile.of(sampleLeaf())));

        assertThat(Files.size(p)).isEqualTo(NodeWriter.byteSize(sampleLeaf()));
        assertThat(NodeReader.read(p, "n.html", NodeReader.DEFAULT_MAX_BYTES).node())
                .isEqualTo(sampleLeaf());
    }
}
