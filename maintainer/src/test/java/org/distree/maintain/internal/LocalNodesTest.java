package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.model.Entry;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNodesTest {
    @TempDir
    Path dir;

    private static List<Entry> entries(int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "key%05d", i),
                    "https://example.org/" + i,
                    "Title " + i,
                    "a comment long enough to fill leaves sooner " + i));
        }
        return out;
    }

    @Test
    void internalListsTheNodesAboveTheLeavesAndTheRootWhateverItsHeight() throws Exception {
        try (LocalTree tree = LocalTree.open(dir.resolve("tall"))) {
            tree.apply(entries(5_000), List.of());
            List<LocalNodes.Local> all = LocalNodes.list(tree);
            List<LocalNodes.Local> internal = LocalNodes.internal(tree);

            assertThat(all.get(0).node().height()).isGreaterThanOrEqualTo(2);
            assertThat(internal).isNotEmpty().allMatch(l -> l.node().height() > 0);
            assertThat(internal)
                    .extracting(LocalNodes.Local::name)
                    .containsExactlyElementsOf(all.stream()
                            .filter(l -> l.node().height() > 0)
                            .map(LocalNodes.Local::name)
                            .toList());
            assertThat(internal.get(0).root()).isTrue();
        }
        try (LocalTree tree = LocalTree.open(dir.resolve("small"))) {
            tree.apply(entries(3), List.of());
            // A root that is a leaf is listed: it is the root.
            assertThat(LocalNodes.internal(tree))
                    .singleElement()
                    .matches(l -> l.root() && l.node().isLeaf());
        }
    }
}
