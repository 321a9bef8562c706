package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTreeEditTest {
    @TempDir
    Path dir;

    static ChildRef remote(String url, String low, String high, int height, long size) {
        return new ChildRef(
                url,
                new Range(Bound.of(low), Bound.of(high)),
                height,
                size,
                Instant.parse("2026-11-22T10:00:00Z"),
                Status.OK,
                Map.of());
    }

    static long remoteLinks(LocalTree tree) throws Exception {
        long n = 0;
        for (String name : tree.store().nodeNames()) {
            n += tree.read(name).children().stream()
                    .filter(c -> !Links.isRelative(c.href()))
                    .count();
        }
        return n;
    }

    @Test
    void editOfALeafRootGrowsARootThatLinksBoth() throws Exception {
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            String oldRoot = tree.rootName();
            int edited = tree.editChildren(Map.of(
                    oldRoot, c -> List.of(remote("http://b.example/n/1.html", "a", "m", 0, 40))));
            assertThat(edited).isEqualTo(1);
            Node root = tree.root();
            assertThat(root.height()).isEqualTo(1);
            assertThat(root.children())
                    .extracting(ChildRef::href)
                    .containsExactly(LocalTree.href(oldRoot), "http://b.example/n/1.html");
            assertThat(Trees.lint(tree).violations()).isEmpty();
            // Keys are still placed locally, under the old root.
            tree.insert(List.of(Entry.of("banana", "https://e.org/b", "", "")));
            assertThat(tree.read(oldRoot).entries()).hasSize(2);
        }
        assertThat(Trees.all(dir)).extracting(Entry::key).contains("apple", "banana");
    }

    @Test
    void editKeepsLocalChildrenAndDropsItemsThatBreakHeightOrRange() throws Exception {
        Random random = new Random(3);
        TreeSet<Entry> expected = new TreeSet<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                List<Entry> batch = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    batch.add(Trees.entry(random));
                }
                tree.insert(batch);
                expected.addAll(batch);
            }
            String root = tree.rootName();
            int height = tree.root().height();
            tree.editChildren(Map.of(
                    root,
                    c -> List.of(
                            remote("http://b.example/n/1.html", "c", "d", 0, 30),
                            remote("http://b.example/n/2.html", "c", "d", height, 30))));
            Node after = tree.root();
            assertThat(after.children())
                    .extracting(ChildRef::href)
                    .contains("http://b.example/n/1.html")
                    .doesNotContain("http://b.example/n/2.html");
            assertThat(after.children().stream().filter(c -> Links.isRelative(c.href())))
                    .hasSizeGreaterThan(1);
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
        assertThat(Trees.all(dir)).containsAll(expected);
    }

    @Test
    void insertsAfterAnEditSplitNodesAndKeepTheRemoteLinksThatFit() throws Exception {
        Random random = new Random(4);
        TreeSet<Entry> expected = new TreeSet<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            tree.insert(List.of(Trees.entry(random)));
            tree.editChildren(Map.of(
                    tree.rootName(),
                    c -> List.of(
                            remote("http://b.example/n/1.html", "a", "f", 0, 3),
                            remote("http://c.example/n/1.html", "m", "q", 0, 2))));
            for (int i = 0; i < 3000; i++) {
                Entry e = Trees.entry(random);
                tree.insert(List.of(e));
                expected.add(e);
            }
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(remoteLinks(tree)).isGreaterThanOrEqualTo(2);
        }
        assertThat(Trees.all(dir)).containsAll(expected);
    }

    @Test
    void repairCutsALeafThatGrewOverTenKilobytesAndUpdatesItsLink() throws Exception {
        Random random = new Random(5);
        TreeSet<Entry> expected = new TreeSet<>();
        String leafName;
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            for (int i = 0; i < 6; i++) {
                List<Entry> batch = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    batch.add(Trees.entry(random));
                }
                tree.insert(batch);
                expected.addAll(batch);
            }
            assertThat(tree.repair()).isZero();
            leafName = "n/" + tree.root().children().get(0).href();
        }
        // A hand edit while no writer runs: one leaf gets far more entries than fit.
        try (NodeStore store = NodeStore.open(dir, false)) {
            Node leaf = store.read(leafName).node();
            List<Entry> more = new ArrayList<>(leaf.entries());
            Entry last = leaf.entries().get(leaf.entries().size() - 1);
            for (int i = 0; i < 300; i++) {
                Entry e = Entry.of(
                        last.key(),
                        last.link() + "/" + (1000 + i),
                        "",
                        "a comment of some forty bytes, number " + i);
                more.add(e);
                expected.add(e);
            }
            more.sort(null);
            store.begin()
                    .put(
                            leafName,
                            org.distree.model.NodeFile.of(
                                    leaf.withEntries(more, leaf.range(), Instant.now())))
                    .commit();
        }
        assertThat(Trees.lint(dir).violations()).extracting(v -> v.rule()).contains("10KB", "ref");
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            assertThat(tree.repair()).isPositive();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
        assertThat(Trees.all(dir)).containsAll(expected);
    }

    @Test
    void aRootFullOfOtherMachinesLargeNodesSettlesWithinTheRules() throws Exception {
        // Other machines' copies of the whole index are as large as this tree or larger: every
        // piece of a root cut in two that links one breaks 16x. The root must still settle.
        Random random = new Random(5);
        TreeSet<Entry> expected = new TreeSet<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            List<Entry> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                batch.add(Trees.entry(random));
            }
            tree.insert(batch);
            expected.addAll(batch);
            int height = tree.root().height();
            List<ChildRef> remotes = new ArrayList<>();
            for (int m = 0; m < 90; m++) {
                char low = (char) ('a' + m % 26);
                remotes.add(remote(
                        "http://machine-" + m + ".example.org/a/rather/long/path/n/" + m + ".html",
                        String.valueOf(low),
                        low + "zz",
                        height - 1,
                        1_000_000L + m));
            }
            tree.editChildren(Map.of(tree.rootName(), c -> remotes));
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(tree.root().children().stream().filter(c -> Links.isRelative(c.href())))
                    .isNotEmpty();
        }
        assertThat(Trees.all(dir)).containsAll(expected);
    }
}
