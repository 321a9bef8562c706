package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphan copies: what a file keeps of the keys that moved out of it when it was cut. */
class LocalTreeOrphanTest {
    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    /** A clock the test moves. */
    static final class Hands extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static List<Entry> entries(int from, int to) {
        return entries(from, to, 1);
    }

    static List<Entry> entries(int from, int to, int step) {
        List<Entry> out = new ArrayList<>();
        for (int i = from; i < to; i += step) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "word%05d", i),
                    "https://e.org/p" + i,
                    "Page " + i,
                    "a comment long enough to fill leaves quickly " + i));
        }
        return out;
    }

    /** The leaf files of the tree that hold orphan copies, by name. */
    static List<String> withCopies(LocalTree tree) throws Exception {
        List<String> out = new ArrayList<>();
        for (String n : tree.store().nodeNames()) {
            if (!tree.store().read(n).orphans().isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aLeafCutInPiecesKeepsACopyOfEachNewPieceInItsOldFile() throws Exception {
        Hands clock = new Hands();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), clock)) {
            tree.insert(entries(0, 80, 2));
            String leaf = tree.rootName();
            assertThat(tree.store().read(leaf).orphans()).isEmpty();
            tree.insert(entries(1, 80, 2)); // over 10 KB: the leaf is cut, the root grows
            NodeFile old = tree.store().read(leaf);
            assertThat(old.orphans()).isNotEmpty();
            Set<Bound> held = new HashSet<>();
            old.node().entries().forEach(e -> held.add(e.position()));
            for (Node copy : old.orphans()) {
                assertThat(copy.id()).startsWith(LocalTree.MOVED);
                String piece = NodeStore.NODE_DIR + "/"
                        + copy.id().substring(LocalTree.MOVED.length()) + ".html";
                // The copy is the new node as it was cut, in the same file as the old node, and
                // links it.
                assertThat(copy.extra())
                        .containsEntry(
                                LocalTree.MOVED_TO,
                                piece.substring(NodeStore.NODE_DIR.length() + 1));
                Map<String, String> extra = new java.util.HashMap<>(copy.extra());
                extra.remove(LocalTree.MOVED_TO);
                assertThat(tree.read(piece))
                        .isEqualTo(new Node(
                                copy.version(),
                                copy.height(),
                                copy.range(),
                                copy.size(),
                                copy.updated(),
                                copy.analyzer(),
                                null,
                                copy.entries(),
                                copy.children(),
                                extra));
                assertThat(copy.updated()).isEqualTo(T0);
                copy.entries().forEach(e -> held.add(e.position()));
            }
            // Between them, the old node and its copies hold every key the file held.
            assertThat(held)
                    .containsAll(entries(0, 80, 2).stream().map(Entry::position).toList());
            // The 10 KB rule counts the file's own node alone.
            assertThat(Rules.fits(old.node())).isTrue();
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.all(dir)).hasSize(80);
        }
    }

    @Test
    void laterRewritesKeepTheCopiesAndOnlyDropOrphansRemovesThemByAge() throws Exception {
        Hands clock = new Hands();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), clock)) {
            tree.insert(entries(0, 80, 2));
            tree.insert(entries(1, 80, 2));
            tree.insert(entries(0, 1)); // nothing changes
            List<String> files = withCopies(tree);
            String first = files.get(0);
            List<Node> copies = tree.store().read(first).orphans();
            clock.now = T0.plus(Duration.ofHours(1));
            // A rewrite of the file's own node keeps its copies.
            tree.delete(List.of(tree.read(first).entries().get(0).position()));
            assertThat(tree.store().read(first).orphans()).isEqualTo(copies);

            // Not yet aged: nothing goes.
            assertThat(tree.dropOrphans(tree.store().nodeNames(), T0)).isZero();
            long commits = tree.store().commits();
            assertThat(tree.dropOrphans(List.of("n/ffff.html"), T0.plusSeconds(1)))
                    .isZero();
            assertThat(tree.store().commits()).isEqualTo(commits);

            Node own = tree.read(first);
            assertThat(tree.dropOrphans(files, T0.plusSeconds(1))).isEqualTo(files.size());
            assertThat(withCopies(tree)).isEmpty();
            assertThat(tree.read(first)).isEqualTo(own);
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.all(dir)).hasSize(79);
        }
    }

    @Test
    void aFileCutByItsFirstWriteKeepsNoCopies() throws Exception {
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), new Hands())) {
            // The empty root leaf takes 80 entries at once: no key moved out of it.
            tree.insert(entries(0, 80));
            assertThat(withCopies(tree)).isEmpty();
        }
    }

    @Test
    void aFileKeepsAtMostFourCopiesTheOldestGoingFirst() throws Exception {
        Hands clock = new Hands();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), clock)) {
            tree.insert(entries(0, 30));
            String leaf = tree.rootName();
            // Keys that all land in the first leaf, whose file is cut again and again.
            for (int round = 0; round < 8; round++) {
                clock.now = T0.plus(Duration.ofMinutes(round));
                List<Entry> more = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    more.add(Entry.of(
                            "aaa" + round + "-" + String.format(Locale.ROOT, "%03d", i),
                            "https://e.org/a" + round + "/" + i,
                            "",
                            "a comment that takes" + " some room in the leaf " + i));
                }
                tree.insert(more);
            }
            List<Node> copies = tree.store().read(leaf).orphans();
            assertThat(copies).hasSizeLessThanOrEqualTo(LocalTree.MAX_ORPHANS).isNotEmpty();
            assertThat(copies.get(copies.size() - 1).updated())
                    .isAfterOrEqualTo(copies.get(0).updated());
            assertThat(NodeWriter.write(tree.store().read(leaf)).length)
                    .isLessThan((LocalTree.MAX_ORPHANS + 1) * Rules.MAX_FILE_BYTES);
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    /**
     * The first of {@code entries} that a leaf root holds within the 10 KB rule, the last of
     * them made a plain entry (same key and link) whose comment is padded until one more
     * character would break the rule.
     */
    static List<Entry> filled(List<Entry> entries) {
        return filled(entries, 0);
    }

    /**
     * The first of {@code entries} that fit in one leaf, the last made a plain entry whose
     * comment pads the leaf to within a byte of {@code slack} bytes under 10 KB.
     */
    static List<Entry> filled(List<Entry> entries, int slack) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e);
            if (!Rules.fits(Node.leaf(Range.ALL, out, T0))) {
                out.remove(out.size() - 1);
                break;
            }
        }
        Entry last = out.remove(out.size() - 1);
        // A plain entry in its place may take more bytes than the record entry did.
        while (!Rules.fits(Node.leaf(Range.ALL, with(out, padded(last, last.comment())), T0))) {
            last = out.remove(out.size() - 1);
        }
        String comment = last.comment();
        while (NodeWriter.byteSize(Node.leaf(Range.ALL, with(out, padded(last, comment + "x")), T0))
                <= Rules.MAX_FILE_BYTES - slack) {
            comment += "x";
        }
        out.add(padded(last, comment));
        return out;
    }

    private static Entry padded(Entry e, String comment) {
        return Entry.of(e.key(), e.link(), e.title(), comment);
    }

    private static List<Entry> with(List<Entry> list, Entry e) {
        List<Entry> out = new ArrayList<>(list);
        out.add(e);
        return out;
    }

    /**
     * Record entries as a site index holds them (format version 2), four pages a word: a record
     * after the first of its word costs only its link. The records are on another site, so that
     * the linter does not look for them here.
     */
    static List<Entry> records() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String page = Integer.toString(i, 36);
            out.add(Entry.record(
                    String.format(Locale.ROOT, "word%05d", i / 4),
                    "https://e.org/p/" + page + ".html",
                    page,
                    1 + i % 7));
        }
        return out;
    }

    /**
     * FiveMachinesIT once failed with an orphan copy of 10,285 bytes: a leaf of record entries
     * that fit was cut at a ring bound just after its first entry, and the copy of the second
     * piece, which held all but that entry's link, took an {@code id} and {@value
     * LocalTree#MOVED_TO} on top.
     */
    @Test
    void aCopyOfAPieceCutFromAFullLeafNearItsStartStaysWithinTenKilobytes() throws Exception {
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), new Hands())) {
            // 40 bytes short of full: the piece after the cut (which repeats the first record
            // list's start and takes a low bound) still fits, and its copy, with an id, the
            // node it moved to and a line saying so, does not.
            List<Entry> full = filled(records(), 40);
            tree.insert(full);
            String leaf = tree.rootName();
            assertThat(tree.root().isLeaf()).isTrue();
            assertThat(NodeWriter.byteSize(tree.root()))
                    .isBetween(Rules.MAX_FILE_BYTES - 50, Rules.MAX_FILE_BYTES - 40);
            Bound cut = Bound.between(full.get(0).position(), full.get(1).position());

            tree.vouch(r -> true, List.of(cut));

            List<Node> copies = tree.store().read(leaf).orphans();
            assertThat(copies).isNotEmpty();
            Set<Bound> copied = new HashSet<>();
            for (Node copy : copies) {
                assertThat(NodeWriter.byteSize(copy))
                        .as(copy.id())
                        .isLessThanOrEqualTo(Rules.MAX_FILE_BYTES);
                copy.entries().forEach(e -> copied.add(e.position()));
            }
            // The copy is kept in two parts, each naming the node.
            assertThat(copies).extracting(Node::id).allMatch(id -> id.startsWith(LocalTree.MOVED));
            assertThat(copies.get(0).id()).endsWith("-1");
            assertThat(copies.get(1).id()).endsWith("-2");
            // Between them the copies hold every key that moved, and name the node that holds
            // them now.
            assertThat(copied)
                    .containsExactlyInAnyOrderElementsOf(full.subList(1, full.size()).stream()
                            .map(Entry::position)
                            .toList());
            Set<String> named = new HashSet<>();
            copies.forEach(c -> named.add(c.extra().get(LocalTree.MOVED_TO)));
            assertThat(named).hasSize(1);
            Node moved = tree.read(NodeStore.NODE_DIR + "/" + named.iterator().next());
            assertThat(moved.entries()).hasSize(full.size() - 1);
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.all(dir)).containsExactlyInAnyOrderElementsOf(full);
        }
    }

    /**
     * A bound before a full leaf's first entry leaves the second piece every entry, a low bound
     * the leaf did not have and, outside what is held, the partial mark: the piece itself is cut
     * again until it fits.
     */
    @Test
    void aPieceOfAFullLeafThatGrewPastTenKilobytesAtACutIsCutAgain() throws Exception {
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), new Hands())) {
            List<Entry> full = filled(entries(0, 200));
            tree.insert(full);
            String leaf = tree.rootName();
            Bound cut = new Bound("word", "https://e.org/" + "a-long-link/".repeat(4));
            assertThat(cut).isLessThan(full.get(0).position());

            java.util.function.Predicate<Range> held = r -> Range.compareHighs(r.high(), cut) <= 0;

            tree.vouch(held, List.of(cut));

            // The empty piece below the cut, and the rest in two leaves, both marked partial.
            List<Node> leaves = LocalTreeVouchTest.localNodes(tree).values().stream()
                    .filter(Node::isLeaf)
                    .toList();
            assertThat(leaves).hasSize(3);
            assertThat(leaves).filteredOn(Node::partial).hasSize(2);
            LocalTreeVouchTest.assertMarksAreTrue(tree, held);
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            for (Node copy : tree.store().read(leaf).orphans()) {
                assertThat(NodeWriter.byteSize(copy))
                        .as(copy.id())
                        .isLessThanOrEqualTo(Rules.MAX_FILE_BYTES);
            }
            assertThat(Trees.all(dir)).containsExactlyInAnyOrderElementsOf(full);
        }
    }

    /**
     * A piece of one item that fits alone but not with a copy's id and {@value
     * LocalTree#MOVED_TO} cannot be cut into parts that fit: its old file keeps no copy of it
     * rather than break the rule (an escaped link makes such an item; entries from pages are a
     * few hundred bytes).
     */
    @Test
    void aCopyThatNoCutCanFitIsNotKept() throws Exception {
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), new Hands())) {
            Entry small = Entry.of("a", "https://e.org/a", "", "");
            Entry huge = null;
            for (int n = 1; ; n++) {
                Entry longer = Entry.of("b", "https://e.org/?" + "&".repeat(n), "", "");
                if (!Rules.fits(Node.leaf(Range.ALL, List.of(small, longer), T0))) {
                    break;
                }
                huge = longer;
            }
            tree.insert(List.of(small, huge));
            String leaf = tree.rootName();
            Bound cut = new Bound("b", "https://e.org/");

            tree.vouch(r -> true, List.of(cut));

            assertThat(tree.root().isLeaf()).isFalse();
            String href = tree.root().children().get(1).href();
            Node piece = tree.read(NodeStore.NODE_DIR + "/" + href);
            assertThat(piece.entries()).containsExactly(huge);
            Map<String, String> extra = new java.util.HashMap<>(piece.extra());
            extra.put(LocalTree.MOVED_TO, href);
            assertThat(Rules.fits(piece)).isTrue();
            assertThat(Rules.fits(new Node(
                            piece.version(),
                            piece.height(),
                            piece.range(),
                            piece.size(),
                            piece.updated(),
                            piece.analyzer(),
                            LocalTree.MOVED + href.replace(".html", ""),
                            piece.entries(),
                            piece.children(),
                            extra)))
                    .as("its copy fits")
                    .isFalse();
            assertThat(tree.store().read(leaf).orphans()).isEmpty();
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.all(dir)).containsExactly(small, huge);
        }
    }
}
