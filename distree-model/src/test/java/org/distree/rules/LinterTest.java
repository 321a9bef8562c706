package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distree.html.IndexPage;
import org.distree.html.NodeWriter;
import org.distree.html.RecordFile;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.query.FileSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made trees that each break one rule. The good tree: n/1.html, a root of height 2, links
 * n/4.html (height 1, keys below t) and leaf n/5.html (keys from t); n/4.html links sixteen
 * leaves n/10.html to n/1f.html of two entries each, so that it keeps the 16x rule.
 */
class LinterTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final Bound T_KEY = Bound.of("t");

    @TempDir
    Path dir;

    private final List<Node> leaves = new ArrayList<>();
    private Node leafC;
    private Node mid;

    private static Bound low(int leaf) {
        return leaf == 0
                ? null
                : leaf == 16 ? T_KEY : Bound.of(String.format(Locale.ROOT, "k%02d", leaf));
    }

    private static String leafName(int leaf) {
        return "1" + Integer.toHexString(leaf) + ".html";
    }

    private static Node leaf(int i, List<Entry> entries) {
        return Node.leaf(new Range(low(i), low(i + 1)), entries, T);
    }

    private static List<Entry> entries(int leaf, int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "k%02d-%d", leaf, i),
                    "https://example.org/" + i,
                    "",
                    ""));
        }
        return out;
    }

    private static ChildRef ref(String href, Node child) {
        return ChildRef.local(href, child, T);
    }

    private void write(String name, Node node) throws Exception {
        Files.createDirectories(dir.resolve("n"));
        Files.write(dir.resolve(name), NodeWriter.write(NodeFile.of(node)));
    }

    private Node root(List<ChildRef> children) {
        return Node.internal(2, Range.ALL, Cover.size(Range.ALL, children), children, T);
    }

    /** Writes n/4.html over the leaves, and the root over n/4.html and n/5.html. */
    private void writeMidAndRoot() throws Exception {
        List<ChildRef> kids = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            kids.add(ref(leafName(i), leaves.get(i)));
        }
        Range r = new Range(null, T_KEY);
        mid = Node.internal(1, r, Cover.size(r, kids), kids, T);
        write("n/4.html", mid);
        write("n/1.html", root(List.of(ref("4.html", mid), ref("5.html", leafC))));
    }

    @BeforeEach
    void writeAGoodTree() throws Exception {
        for (int i = 0; i < 16; i++) {
            leaves.add(leaf(i, entries(i, 2)));
            write("n/" + leafName(i), leaves.get(i));
        }
        leafC = Node.leaf(
                new Range(T_KEY, null),
                List.of(
                        Entry.of("u1", "https://example.org/u1", "", ""),
                        Entry.of("u2", "https://example.org/u2", "", ""),
                        Entry.of("u3", "https://example.org/u3", "", "")),
                T);
        write("n/5.html", leafC);
        writeMidAndRoot();
        Files.write(dir.resolve("index.html"), IndexPage.write("n/1.html", leafC));
    }

    private List<String> names() throws Exception {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(dir.resolve("n"))) {
            files.forEach(p -> names.add("n/" + p.getFileName()));
        }
        return names;
    }

    /** The violations found; every test's tree is also linted reading ahead on 4 threads. */
    private List<Violation> lint() throws Exception {
        Linter.Report one = Linter.lintFolder(new FileSource(), dir, names());
        assertThat(Linter.lintFolder(new FileSource(), dir, names(), 4))
                .as("the report reading ahead on 4 threads")
                .isEqualTo(one);
        return one.violations();
    }

    private static Violation only(List<Violation> vs, String rule) {
        assertThat(vs).as("violations").filteredOn(v -> v.rule().equals(rule)).hasSize(1);
        return vs.stream().filter(v -> v.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void theGoodTreeIsClean() throws Exception {
        Linter.Report report = Linter.lintFolder(new FileSource(), dir, names());

        assertThat(report.violations()).isEmpty();
        assertThat(report.stats().entries()).isEqualTo(35);
        assertThat(report.stats().nodes()).isEqualTo(19);
        assertThat(report.stats().height()).isEqualTo(2);
    }

    @Test
    void aFileOver10KbBreaks10Kb() throws Exception {
        List<Entry> big = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            big.add(Entry.of(
                    String.format(Locale.ROOT, "u%02d", i),
                    "https://example.org/" + i,
                    "",
                    "x".repeat(600)));
        }
        Node fat = Node.leaf(new Range(T_KEY, null), big, T);
        write("n/5.html", fat);
        write("n/1.html", root(List.of(ref("4.html", mid), ref("5.html", fat))));

        Violation v = only(lint(), "10KB");

        assertThat(v.where()).isEqualTo("n/5.html");
        assertThat(v.details()).contains("over the 10,240 byte limit");
    }

    @Test
    void anEntryOutsideItsLeafBreaksRange() throws Exception {
        // Leaf 3 answers for [k03, k04) but lists k04-0.
        List<Entry> es = List.of(entries(3, 1).get(0), entries(4, 1).get(0));
        leaves.set(3, leaf(3, es));
        write("n/" + leafName(3), leaves.get(3));
        writeMidAndRoot();

        Violation v = only(lint(), "range");

        assertThat(v.where()).isEqualTo("n/13.html#item 2");
        assertThat(v.details()).isEqualTo("entry 'k04-0' is outside the node's range [k03, k04)");
    }

    @Test
    void aVersionTwoLeafIsCheckedAndARecordThatCannotBeReadBreaksRecord() throws Exception {
        // Leaf 3 holds record lists: one record is missing, one is not a record.
        List<Entry> es = List.of(
                Entry.record("k03-0", "../p/2.html", "2"),
                Entry.record("k03-1", "../p/3.html", "3"));
        leaves.set(3, leaf(3, es));
        write("n/" + leafName(3), leaves.get(3));
        writeMidAndRoot();
        Files.createDirectories(dir.resolve("p"));
        Files.writeString(dir.resolve("p/3.html"), "<p>not a record</p>");

        List<Violation> vs = lint();

        assertThat(vs).allMatch(v -> v.rule().equals("record")).hasSize(2);
        assertThat(vs.get(0).where()).isEqualTo("n/13.html#item 1");
        assertThat(vs.get(0).details()).contains("entry 'k03-0'").contains("p/2.html");
        assertThat(vs.get(1).details()).contains("p/3.html").contains("distree-record");
        Files.write(
                dir.resolve("p/2.html"),
                RecordFile.write(
                        new Entry.Target("https://example.org/2", "", "", null, Map.of())));
        Files.write(
                dir.resolve("p/3.html"),
                RecordFile.write(
                        new Entry.Target("https://example.org/3", "", "", null, Map.of())));
        Linter.Report clean = Linter.lintFolder(new FileSource(), dir, names());
        assertThat(clean.violations()).isEmpty();
        assertThat(clean.stats().entries()).isEqualTo(35);
    }

    @Test
    void aChildNotBelowItsParentBreaksHeight() throws Exception {
        ChildRef high =
                new ChildRef("5.html", leafC.range(), 2, leafC.size(), T, Status.OK, Map.of());
        // The claimed height is checked; the child is then not followed.
        write("n/1.html", root(List.of(ref("4.html", mid), high)));

        Violation v = only(lint(), "height");

        assertThat(v.where()).isEqualTo("n/1.html#item 2");
        assertThat(v.details()).contains("child height 2 is not below the node's 2");
    }

    @Test
    void aWrongSizeBreaksSize() throws Exception {
        List<ChildRef> kids = List.of(ref("4.html", mid), ref("5.html", leafC));
        write("n/1.html", Node.internal(2, Range.ALL, 36, kids, T));

        Violation v = only(lint(), "size");

        assertThat(v.where()).isEqualTo("n/1.html");
        assertThat(v.details()).isEqualTo("size 36 but its children's cover adds up to 35");
    }

    @Test
    void aGapBetweenChildrenBreaksCover() throws Exception {
        Node narrow = Node.leaf(new Range(Bound.of("v"), null), List.of(), T);
        write("n/5.html", narrow);
        write("n/1.html", root(List.of(ref("4.html", mid), ref("5.html", narrow))));

        Violation v = only(lint(), "cover");

        assertThat(v.where()).isEqualTo("n/1.html");
        assertThat(v.details()).contains("[t, v)");
    }

    @Test
    void aSmallNonRootNodeBreaks16x() throws Exception {
        // One leaf of three entries: n/4.html holds 33, under 16 x 3.
        leaves.set(7, leaf(7, entries(7, 3)));
        write("n/" + leafName(7), leaves.get(7));
        writeMidAndRoot();

        Violation v = only(lint(), "16x");

        assertThat(v.where()).isEqualTo("n/4.html");
        assertThat(v.details()).isEqualTo("size 33 is under 16 x 3, the size of its largest child");
    }

    @Test
    void theRootIsExemptFrom16x() throws Exception {
        write("n/1.html", root(List.of(ref("4.html", mid), ref("5.html", leafC))));

        assertThat(Rules.obeysSixteenX(root(List.of(ref("4.html", mid), ref("5.html", leafC)))))
                .isFalse();
        assertThat(lint()).isEmpty();
    }

    @Test
    void aLinkThatDisagreesWithItsChildBreaksRef() throws Exception {
        ChildRef stale = new ChildRef("5.html", leafC.range(), 0, 7, T, Status.OK, Map.of());
        List<ChildRef> kids = List.of(ref("4.html", mid), stale);
        write("n/1.html", root(kids));

        Violation v = only(lint(), "ref");

        assertThat(v.where()).isEqualTo("n/1.html");
        assertThat(v.details()).contains("5.html").contains("size 7").contains("3");
    }

    @Test
    void aMissingChildBreaksLink() throws Exception {
        Files.delete(dir.resolve("n/5.html"));

        Violation v = only(lint(), "link");

        assertThat(v.where()).isEqualTo("n/1.html");
        assertThat(v.details()).contains("n/5.html");
    }

    @Test
    void aFileTheRootDoesNotReachBreaksPathToRoot() throws Exception {
        write("n/9.html", Node.leaf(Range.ALL, List.of(), T));

        Violation v = only(lint(), "path-to-root");

        assertThat(v.where()).isEqualTo("n/9.html");
    }

    @Test
    void aMalformedChildBreaksFormat() throws Exception {
        String html = NodeWriter.render(NodeFile.of(leafC)).replace(" size=\"3\"", " size=\"x\"");
        Files.writeString(dir.resolve("n/5.html"), html);

        List<Violation> vs = lint();
        Violation v = only(vs, "format");

        assertThat(v.where()).isEqualTo("n/5.html");
        assertThat(v.details()).startsWith("size: 'x' is not a whole number");
        assertThat(vs).as("the root does reach it").noneMatch(x -> x.rule().equals("path-to-root"));
    }

    @Test
    void aDeadChildCountsAsAGapNotAsALink() throws Exception {
        ChildRef dead = new ChildRef("5.html", leafC.range(), 0, 3, T, Status.DEAD, Map.of());
        write("n/1.html", Node.internal(2, Range.ALL, 32, List.of(ref("4.html", mid), dead), T));

        Violation v = only(lint(), "cover");

        assertThat(v.where()).isEqualTo("n/1.html");
    }

    @Test
    void entryPagesAreFollowedAtMostMaxPointerHopsInARow() throws Exception {
        // index.html -> e1.html -> e2.html -> n/1.html: 3 pointers, the limit.
        Files.write(dir.resolve("e2.html"), IndexPage.write("n/1.html", leafC));
        Files.write(dir.resolve("e1.html"), IndexPage.write("e2.html", leafC));
        Files.write(dir.resolve("index.html"), IndexPage.write("e1.html", leafC));

        assertThat(lint()).isEmpty();

        // One more: index.html -> e0.html -> e1.html -> e2.html -> n/1.html.
        Files.write(dir.resolve("e0.html"), IndexPage.write("e1.html", leafC));
        Files.write(dir.resolve("index.html"), IndexPage.write("e0.html", leafC));

        Violation v = only(lint(), "link");

        assertThat(v.details()).isEqualTo("entry pages point at each other");
    }
}
