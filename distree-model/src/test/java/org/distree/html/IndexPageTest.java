package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.junit.jupiter.api.Test;

/** The entry page and the root's copy it holds (docs/FORMAT.md, "The root's copy"). */
class IndexPageTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    private static final int MAX = 10_240;

    private static ChildRef child(String href, Range range) {
        return new ChildRef(href, range, 0, 10, T, Status.OK, Map.of());
    }

    /** A root in {@code n/} linking a local leaf, an orphan copy, a record-style path and another machine. */
    private static Node root() {
        return Node.internal(
                2,
                Range.ALL,
                40,
                List.of(
                        child("4f.html", new Range(null, Bound.of("d"))),
                        child("5.html#moved-1", new Range(Bound.of("d"), Bound.of("k"))),
                        child("../x/6.html", new Range(Bound.of("k"), Bound.of("p"))),
                        child("https://b.example/n/9.html", new Range(Bound.of("p"), null))),
                T);
    }

    private static RootPointerException read(byte[] page) {
        try {
            NodeFile f = NodeReader.read(page, "index.html");
            throw new AssertionError("read as a node: " + f);
        } catch (RootPointerException e) {
            return e;
        } catch (NodeFormatException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCopyHasTheRootsLinksRewrittenRelativeToTheEntryPage() {
        Node copy = IndexPage.copyOf("n/f20.html", root());

        assertThat(copy).isNotNull();
        assertThat(copy.children())
                .extracting(ChildRef::href)
                .containsExactly(
                        "n/4f.html", "n/5.html#moved-1", "x/6.html", "https://b.example/n/9.html");
        assertThat(copy.withChildren(root().children(), copy.range(), copy.size(), copy.updated()))
                .isEqualTo(root());
    }

    @Test
    void aLeafRootOrALinkOutOfTheTreeGivesNoCopy() {
        Node leaf = Node.leaf(Range.ALL, List.of(Entry.of("a", "../p/a.html", "", "")), T);
        Node out = Node.internal(1, Range.ALL, 10, List.of(child("../../up.html", Range.ALL)), T);

        assertThat(IndexPage.copyOf("n/1.html", leaf)).isNull();
        assertThat(IndexPage.copyOf("n/1.html", out)).isNull();
        assertThat(new String(
                        IndexPage.write("n/1.html", leaf, false, MAX), StandardCharsets.UTF_8))
                .doesNotContain("<distree");
    }

    @Test
    void theCopyIsReadWithThePointerWithoutAndWithTheHtmlParser() throws Exception {
        byte[] page = IndexPage.write("n/f20.html", root(), true, MAX);
        String html = new String(page, StandardCharsets.UTF_8);

        RootPointerException fast = read(page);
        assertThat(fast.href()).isEqualTo("n/f20.html");
        assertThat(fast.copy()).isNotNull();
        assertThat(fast.copy().node()).isEqualTo(IndexPage.copyOf("n/f20.html", root()));
        assertThat(html).contains("<a href=\"search.html\">");

        // The same page as a browser or another writer may leave it: parsed as HTML.
        RootPointerException parsed =
                read(html.replace("<h1>", "<h1 class=\"x\">").getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.href()).isEqualTo("n/f20.html");
        assertThat(parsed.copy()).isNotNull();
        assertThat(parsed.copy().node()).isEqualTo(fast.copy().node());
    }

    @Test
    void aPageWithoutRoomForTheCopyOnlyPoints() {
        List<ChildRef> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String low = String.format(Locale.ROOT, "k%03d-%s", i, "x".repeat(50));
            String high = String.format(Locale.ROOT, "k%03d-%s", i + 1, "x".repeat(50));
            many.add(child(i + ".html", new Range(Bound.of(low), Bound.of(high))));
        }
        Node big = Node.internal(1, Range.ALL, 400, many, T);

        byte[] page = IndexPage.write("n/1.html", big, false, MAX);

        assertThat(page.length).isLessThanOrEqualTo(MAX);
        assertThat(read(page).copy()).isNull();
        assertThat(read(IndexPage.write("n/1.html", big, false, 100 * MAX)).copy())
                .isNotNull();
    }

    @Test
    void aCopyThatBreaksTheFormatIsLeftOutAndTheReasonKept() {
        String html = new String(
                        IndexPage.write("n/f20.html", root(), false, MAX), StandardCharsets.UTF_8)
                .replace(" data-size=\"10\"", " data-size=\"ten\"");

        RootPointerException p = read(html.getBytes(StandardCharsets.UTF_8));

        assertThat(p.href()).isEqualTo("n/f20.html");
        assertThat(p.copy()).isNull();
        assertThat(p.copyError()).contains("index.html").contains("data-size");
    }
}
