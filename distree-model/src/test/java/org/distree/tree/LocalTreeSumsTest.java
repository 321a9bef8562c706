package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distree.html.NodeSums;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sums on the items of a tree's own links ({@link ChildRef#SUM}): every item that a change wrote
 * sums its child as the child's file holds it, a change sums anew exactly the nodes on its paths
 * to the root, and a stale sum is what the lint reports and the repair mends.
 */
class LocalTreeSumsTest {
    @TempDir
    Path dir;

    @Test
    void everyItemWrittenByInsertsSumsItsChildAsItsFileHoldsIt() throws Exception {
        Random random = new Random(3);
        try (LocalTree tree =
                LocalTree.open(NodeStore.open(dir, false), java.time.Clock.systemUTC())) {
            insertBatches(tree, random, 120);
            Map<String, String> sums = itemSums(tree);
            // The sum is of the node alone, as parsed from its file (orphan copies left out).
            assertThat(tree.root().height()).isGreaterThanOrEqualTo(2);
            // A sum goes on an item only where the node keeps the 10 KB rule with it: nodes
            // filled near 10 KB sum some of their children, not all.
            assertThat(sums.size()).isGreaterThan((tree.store().nodeNames().size() - 1) / 3);
            for (Map.Entry<String, String> s : sums.entrySet()) {
                assertThat(s.getValue())
                        .as(s.getKey())
                        .matches("[0-9a-f]{16}")
                        .isEqualTo(NodeSums.of(Trees.SOURCE
                                .fetch(dir.resolve(s.getKey()).toUri())
                                .file()
                                .node()));
            }
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    @Test
    void oneNewEntrySumsAnewTheNodesOnItsPathAndNoOther() throws Exception {
        Random random = new Random(4);
        try (LocalTree tree =
                LocalTree.open(NodeStore.open(dir, false), java.time.Clock.systemUTC())) {
            insertBatches(tree, random, 120);
            Map<String, String> before = itemSums(tree);
            Entry one = Trees.entry(random);
            List<String> path = pathTo(tree, one);
            tree.insert(List.of(one));
            Map<String, String> after = itemSums(tree);
            List<String> changed = new ArrayList<>();
            for (Map.Entry<String, String> s : after.entrySet()) {
                if (!s.getValue().equals(before.get(s.getKey()))) {
                    changed.add(s.getKey());
                }
            }
            // The sums that moved are exactly those of the nodes below the root on the entry's
            // path, of those summed before and after (unless the leaf was cut: its pieces are
            // new names then).
            List<String> summedPath = new ArrayList<>();
            for (String name : path.subList(1, path.size())) {
                if (before.containsKey(name) && after.containsKey(name)) {
                    summedPath.add(name);
                }
            }
            assertThat(summedPath).isNotEmpty();
            if (after.keySet().equals(before.keySet())) {
                assertThat(changed).containsExactlyInAnyOrderElementsOf(summedPath);
            } else {
                assertThat(changed).containsAll(summedPath.subList(0, summedPath.size() - 1));
            }
        }
    }

    @Test
    void aStaleSumIsReportedByTheLintAndMendedByTheRepair() throws Exception {
        Random random = new Random(5);
        try (LocalTree tree =
                LocalTree.open(NodeStore.open(dir, false), java.time.Clock.systemUTC())) {
            insertBatches(tree, random, 20);
        }
        Path rootFile;
        String stale = "0123456789abcdef";
        try (NodeStore store = NodeStore.open(dir, false)) {
            rootFile = dir.resolve(store.rootName());
        }
        String page = Files.readString(rootFile, StandardCharsets.UTF_8);
        String edited =
                page.replaceFirst("data-sum=\"[0-9a-f]{16}\"", "data-sum=\"" + stale + "\"");
        assertThat(edited).isNotEqualTo(page);
        Files.writeString(rootFile, edited, StandardCharsets.UTF_8);
        // (The entry page's copy of the root differs from the root now too.)
        Linter.Report report = Trees.lint(dir);
        assertThat(report.violations())
                .filteredOn(v -> v.toString().contains("ref"))
                .singleElement()
                .satisfies(v -> assertThat(v.toString()).contains("sum " + stale));
        try (LocalTree tree =
                LocalTree.open(NodeStore.open(dir, false), java.time.Clock.systemUTC())) {
            assertThat(tree.repair()).isPositive();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Files.readString(dir.resolve(tree.rootName()), StandardCharsets.UTF_8))
                    .doesNotContain(stale);
        }
    }

    /** Inserts {@code batches} batches of 50 random entries, one transaction each. */
    private static void insertBatches(LocalTree tree, Random random, int batches)
            throws IOException {
        for (int i = 0; i < batches; i++) {
            List<Entry> batch = new ArrayList<>();
            for (int j = 0; j < 50; j++) {
                batch.add(Trees.entry(random));
            }
            tree.insert(batch);
        }
    }

    /** The sum on the item of each node file the tree's own links reach, by file name. */
    private static Map<String, String> itemSums(LocalTree tree) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> todo = new ArrayList<>(List.of(tree.rootName()));
        while (!todo.isEmpty()) {
            Node n = tree.read(todo.remove(todo.size() - 1));
            for (ChildRef c : n.children()) {
                if (Links.isRelative(c.href()) && c.sum() != null) {
                    String name = TreeOp.nameOf(c.href());
                    out.put(name, c.sum());
                    todo.add(name);
                }
            }
        }
        return out;
    }

    /** The node files from the root to the leaf that holds the entry's place, root first. */
    private static List<String> pathTo(LocalTree tree, Entry e) throws IOException {
        List<String> path = new ArrayList<>(List.of(tree.rootName()));
        Node n = tree.read(path.get(0));
        while (!n.isLeaf()) {
            String next = null;
            for (ChildRef c : n.children()) {
                if (Links.isRelative(c.href()) && c.range().contains(e.position())) {
                    next = TreeOp.nameOf(c.href());
                }
            }
            path.add(next);
            n = tree.read(next);
        }
        return path;
    }
}
