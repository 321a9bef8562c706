package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.distree.html.IndexPage;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry page that every write of a {@link LocalTree} rewrites. */
class LocalTreeIndexPageTest {
    @TempDir
    Path dir;

    static String index(Path dir) throws Exception {
        return Files.readString(dir.resolve(NodeStore.INDEX));
    }

    @Test
    void aTreeWithoutASearchPageLinksNone() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "Apples", "")));
        }
        assertThat(index(dir))
                .contains("rel=\"distree-root\"")
                .doesNotContain(IndexPage.SEARCH_PAGE);
    }

    @Test
    void writesKeepTheLinkToTheSearchPageTheFolderHolds() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "Apples", "")));
            Files.writeString(
                    dir.resolve(IndexPage.SEARCH_PAGE), "<!DOCTYPE html><title>s</title>");
            tree.insert(List.of(Entry.of("banana", "https://e.org/b", "Bananas", "")));
            assertThat(index(dir))
                    .contains("<a href=\"search.html\">Search this index</a>")
                    .contains("2 entries");
            tree.delete(List.of(Entry.of("apple", "https://e.org/a", "", "").position()));
            assertThat(index(dir)).contains("<a href=\"search.html\">").contains("1 entries");
        }
        assertThat(IndexPage.rootHref(index(dir))).isNotNull();
    }
}
