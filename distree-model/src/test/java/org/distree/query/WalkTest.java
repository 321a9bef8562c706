package org.distree.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.distree.html.IndexPage;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private void write(String name, Node node) throws Exception {
        Files.write(dir.resolve(name), NodeWriter.write(NodeFile.of(node)));
    }

    private static Entry e(String key, String link) {
        return Entry.of(key, link, "", "");
    }

    private static ChildRef ref(String href, Range r, int height, long size, Status status) {
        return new ChildRef(href, r, height, size, T, status, Map.of());
    }

    private Walk.Result walk(String root, Query q) {
        return Walk.run(new FileSource(), dir.resolve(root).toUri(), q, Walk.DEFAULT_MAX_NODES);
    }

    private static List<String> keys(Walk.Result r) {
        return r.hits().stream().map(h -> h.entry().key()).toList();
    }

    @Test
    void followsOnlyChildrenWhoseRangeMeetsTheQuery() throws Exception {
        write(
                "1.html",
                Node.leaf(
                        new Range(null, Bound.of("m")),
                        List.of(e("apple", "https://a/1"), e("kiwi", "https://a/2")),
                        T));
        write(
                "2.html",
                Node.leaf(
                        new Range(Bound.of("m"), null),
                        List.of(e("melon", "https://a/3"), e("plum", "https://a/4")),
                        T));
        write(
                "r.html",
                Node.internal(
                        1,
                        Range.ALL,
                        4,
                        List.of(
                                ref("1.html", new Range(null, Bound.of("m")), 0, 2, Status.OK),
                                ref("2.html", new Range(Bound.of("m"), null), 0, 2, Status.OK)),
                        T));
        Files.write(
                dir.resolve("index.html"),
                IndexPage.write("r.html", Node.leaf(Range.ALL, List.of(), T)));

        Walk.Result plum = walk("index.html", Query.exact("plum"));
        Walk.Result all = walk("r.html", Query.range(null, null));

        assertThat(keys(plum)).containsExactly("plum");
        assertThat(plum.nodes()).isEqualTo(2);
        assertThat(keys(all)).containsExactly("apple", "kiwi", "melon", "plum");
    }

    @Test
    void entryPagesAreFollowedAtMostMaxPointerHopsInARow() throws Exception {
        Node leaf = Node.leaf(Range.ALL, List.of(e("plum", "https://a/4")), T);
        write("r.html", leaf);
        // e1.html -> e2.html -> e3.html -> r.html: 3 pointers; e0.html adds a fourth.
        String next = "r.html";
        for (int i = IndexPage.MAX_POINTER_HOPS; i >= 0; i--) {
            Files.write(dir.resolve("e" + i + ".html"), IndexPage.write(next, leaf));
            next = "e" + i + ".html";
        }

        Walk.Result three = walk("e1.html", Query.exact("plum"));
        Walk.Result four = walk("e0.html", Query.exact("plum"));

        assertThat(IndexPage.MAX_POINTER_HOPS).isEqualTo(3);
        assertThat(keys(three)).containsExactly("plum");
        assertThat(keys(four)).isEmpty();
        assertThat(four.skipped())
                .extracting(Walk.Skip::reason)
                .containsExactly("entry page where a node was expected");
    }

    @Test
    void aChildWhoseHeightDoesNotFallIsSkippedSoLoopsEnd() throws Exception {
        // a.html (height 1) links b.html as height 0, but b.html is height 1 and links a.html.
        write(
                "a.html",
                Node.internal(
                        1, Range.ALL, 1, List.of(ref("b.html", Range.ALL, 0, 1, Status.OK)), T));
        write(
                "b.html",
                Node.internal(
                        1, Range.ALL, 1, List.of(ref("a.html", Range.ALL, 0, 1, Status.OK)), T));

        Walk.Result r = walk("a.html", Query.range(null, null));

        assertThat(r.hits()).isEmpty();
        assertThat(r.skipped()).anySatisfy(s -> assertThat(s.reason()).contains("does not fall"));
    }

    @Test
    void deadChildrenAreNotFollowedAndEntriesOutsideALeafsRangeAreIgnored() throws Exception {
        write("dead.html", Node.leaf(Range.ALL, List.of(e("dead", "https://a/d")), T));
        write(
                "leaf.html",
                Node.leaf(
                        new Range(Bound.of("b"), Bound.of("c")),
                        List.of(e("a", "https://a/outside"), e("bb", "https://a/in")),
                        T));
        write(
                "r.html",
                Node.internal(
                        1,
                        Range.ALL,
                        2,
                        List.of(
                                ref("dead.html", Range.ALL, 0, 1, Status.DEAD),
                                ref(
                                        "leaf.html",
                                        new Range(Bound.of("b"), Bound.of("c")),
                                        0,
                                        2,
                                        Status.OK)),
                        T));

        assertThat(keys(walk("r.html", Query.range(null, null)))).containsExactly("bb");
    }

    @Test
    void anEntryListedByTwoLeavesIsOneHitCountedTwice() throws Exception {
        Node leaf = Node.leaf(Range.ALL, List.of(e("k", "https://a/1")), T);
        write("x.html", leaf);
        write("y.html", leaf);
        write(
                "r.html",
                Node.internal(
                        1,
                        Range.ALL,
                        1,
                        List.of(
                                ref("x.html", Range.ALL, 0, 1, Status.OK),
                                ref("y.html", Range.ALL, 0, 1, Status.OK)),
                        T));

        Walk.Result r = walk("r.html", Query.exact("k"));

        assertThat(r.hits())
                .singleElement()
                .satisfies(h -> assertThat(h.leaves()).isEqualTo(2));
    }

    @Test
    void aBrokenChildIsSkippedWithItsReason() throws Exception {
        Files.writeString(dir.resolve("bad.html"), "<html><body>no node here</body></html>");
        write(
                "r.html",
                Node.internal(
                        1,
                        Range.ALL,
                        1,
                        List.of(
                                ref("bad.html", Range.ALL, 0, 1, Status.OK),
                                ref("missing.html", Range.ALL, 0, 1, Status.OK)),
                        T));

        Walk.Result r = walk("r.html", Query.range(null, null));

        assertThat(r.skipped()).hasSize(2);
        assertThat(r.skipped()).anySatisfy(s -> assertThat(s.reason()).contains("no <distree>"));
    }

    @Test
    void theNodeBudgetBoundsTheWalk() throws Exception {
        write("l.html", Node.leaf(Range.ALL, List.of(e("k", "https://a/1")), T));
        write(
                "r.html",
                Node.internal(
                        1, Range.ALL, 1, List.of(ref("l.html", Range.ALL, 0, 1, Status.OK)), T));

        Walk.Result r = Walk.run(
                new FileSource(), dir.resolve("r.html").toUri(), Query.range(null, null), 1);

        assertThat(r.hits()).isEmpty();
        assertThat(r.skipped()).anySatisfy(s -> assertThat(s.reason()).contains("budget"));
    }
}
