package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.model.Entry;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeViewTest {
    @TempDir
    Path dir;

    private static List<Entry> entries(int from, int to) {
        List<Entry> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "key%05d", i),
                    "https://example.org/" + i,
                    "Title " + i,
                    "a comment long enough to fill leaves sooner " + i));
        }
        return out;
    }

    @Test
    void theRootIsReadAgainAfterEveryCommitToTheStoreWhoeverMadeIt() throws Exception {
        LocalTree tree = LocalTree.open(dir);
        tree.apply(entries(0, 10), List.of());
        // The daemon's view counts the store's commits, whichever writer made them: the
        // entries handler, or the maintainer's jobs through their own LocalTree calls.
        TreeView view = new TreeView(dir, tree.store()::commits);
        TreeView frozen = new TreeView(dir, () -> 0);
        assertThat(view.root().node().size()).isEqualTo(10);
        assertThat(frozen.root().node().size()).isEqualTo(10);
        String firstRoot = view.root().name();

        tree.apply(entries(10, 2_000), List.of()); // enough to split the root

        assertThat(view.root().node().size()).isEqualTo(2_000);
        assertThat(view.root().name()).isNotEqualTo(firstRoot);
        assertThat(view.root().node().height()).isPositive();
        // Without a new count the view keeps what it read: the count is what refreshes it.
        assertThat(frozen.root().node().size()).isEqualTo(10);
    }
}
