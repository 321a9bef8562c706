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
}
