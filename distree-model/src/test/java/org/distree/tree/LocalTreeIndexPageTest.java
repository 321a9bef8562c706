package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.distree.html.IndexPage;
import org.distree.html.NodeReader;
import org.distree.html.RootPointerException;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.query.FileSource;
import org.distree.rules.Linter;
import org.distree.rules.Violation;
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

    /** Entries enough for a tree of height 1 or more. */
    private static List<Entry> entries(int from, int count) {
        List<Entry> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String k = String.format(Locale.ROOT, "key%05d", i);
            out.add(Entry.of(k, "https://e.org/" + k, "Title " + k, "a comment of some length"));
        }
        return out;
    }

    /** The root's copy the entry page holds, or null. */
    static Node copy(Path dir) throws Exception {
        try {
            NodeReader.read(Files.readAllBytes(dir.resolve(NodeStore.INDEX)), "index.html");
        } catch (RootPointerException p) {
            return p.copy() == null ? null : p.copy().node();
        }
        throw new AssertionError("index.html is not an entry page");
    }

    private List<Violation> lint() throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("n"))) {
            files.forEach(p -> names.add("n/" + p.getFileName()));
        }
        return Linter.lintFolder(new FileSource(), dir, names).violations();
    }

    @Test
    void theEntryPageHoldsTheRootsCopyAfterEveryWrite() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(0, 400));
            assertThat(tree.root().isLeaf()).isFalse();
            assertThat(copy(dir)).isEqualTo(IndexPage.copyOf(tree.rootName(), tree.root()));

            tree.insert(entries(400, 1));
            assertThat(copy(dir)).isEqualTo(IndexPage.copyOf(tree.rootName(), tree.root()));
            tree.delete(List.of(entries(7, 1).get(0).position()));
            assertThat(copy(dir)).isEqualTo(IndexPage.copyOf(tree.rootName(), tree.root()));
            assertThat(tree.root().size()).isEqualTo(400);
        }
        assertThat(lint()).isEmpty();
    }

    @Test
    void lintNamesAStaleCopyAndRepairWritesItAgain() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(0, 400));
            byte[] before = Files.readAllBytes(dir.resolve(NodeStore.INDEX));
            tree.insert(entries(400, 50));
            Files.write(dir.resolve(NodeStore.INDEX), before); // as a hand or an old writer left it

            assertThat(lint()).extracting(Violation::rule).containsExactly("entry-page");
            assertThat(tree.repair()).isEqualTo(1);
            assertThat(lint()).isEmpty();
            assertThat(copy(dir)).isEqualTo(IndexPage.copyOf(tree.rootName(), tree.root()));
            assertThat(tree.repair()).isZero();
        }
    }

    @Test
    void aCopyThatCannotBeReadIsNamedByLintAndWrittenAgainByRepair() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(0, 400));
            String page = Files.readString(dir.resolve(NodeStore.INDEX));
            Files.writeString(dir.resolve(NodeStore.INDEX), page.replace(" size=\"", " size=\"x"));

            assertThat(copy(dir)).isNull();
            assertThat(lint()).extracting(Violation::rule).containsExactly("entry-page");
            assertThat(tree.repair()).isEqualTo(1);
            assertThat(lint()).isEmpty();
            assertThat(copy(dir)).isEqualTo(IndexPage.copyOf(tree.rootName(), tree.root()));
        }
    }
}
