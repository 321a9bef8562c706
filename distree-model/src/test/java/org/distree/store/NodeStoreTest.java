package org.distree.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.distree.html.NodeWriter;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on disk. Crashes are simulated by writing the journal by hand as {@code commit}
 * does: {@code .distree/journal/<i>.tmp} for each new file, then {@code manifest} (the commit
 * point) listing {@code put <i>.tmp <name>} and {@code delete <name>} lines.
 */
class NodeStoreTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir Path dir;

    private static NodeFile file(String key) {
        return NodeFile.of(Node.leaf(Range.ALL,
                List.of(Entry.of(key, "https://example.org/" + key, "", "")), T));
    }

    private static byte[] bytes(String key) {
        return NodeWriter.write(file(key));
    }

    private Path journal() {
        return dir.resolve(".distree").resolve("journal");
    }

    private List<String> journalFiles() throws IOException {
        try (Stream<Path> s = Files.list(journal())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeStore(String name, String key) throws IOException {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin().put(name, file(key)).commit();
        }
    }

    @Test
    void aCommitPutsAndDeletesTogetherAndEmptiesTheJournal() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin().put("n/1.html", file("a")).put("n/2.html", file("b")).commit();
            store.begin().put("n/3.html", file("c")).delete("n/1.html").commit();

            assertThat(store.exists("n/1.html")).isFalse();
            assertThat(store.read("n/2.html")).isEqualTo(file("b"));
            assertThat(store.read("n/3.html")).isEqualTo(file("c"));
            assertThat(store.nodeNames()).containsExactly("n/2.html", "n/3.html");
            assertThat(journalFiles()).isEmpty();
        }
    }

    @Test
    void aCommittedButUnappliedJournalIsFinishedOnOpen() throws Exception {
        writeStore("n/1.html", "old");
        writeStore("n/2.html", "doomed");
        Files.write(journal().resolve("0.tmp"), bytes("new"));
        Files.write(journal().resolve("1.tmp"), bytes("added"));
        Files.writeString(journal().resolve("manifest"),
                "put 0.tmp n/1.html\nput 1.tmp n/3.html\ndelete n/2.html\n",
                StandardCharsets.UTF_8);

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/1.html")).isEqualTo(file("new"));
            assertThat(store.read("n/3.html")).isEqualTo(file("added"));
            assertThat(store.exists("n/2.html")).isFalse();
        }
        assertThat(journalFiles()).isEmpty();
    }

    @Test
    void aHalfAppliedJournalIsFinishedOnOpen() throws Exception {
        // The crash came after the first rename: 0.tmp is gone, already in place.
        Files.createDirectories(dir.resolve("n"));
        Files.write(dir.resolve("n/1.html"), bytes("first"));
        Files.createDirectories(journal());
        Files.write(journal().resolve("1.tmp"), bytes("second"));
        Files.writeString(journal().resolve("manifest"),
                "put 0.tmp n/1.html\nput 1.tmp n/2.html\n", StandardCharsets.UTF_8);

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/1.html")).isEqualTo(file("first"));
            assertThat(store.read("n/2.html")).isEqualTo(file("second"));
        }
        assertThat(journalFiles()).isEmpty();
    }

    @Test
    void anUncommittedJournalIsDroppedOnOpen() throws Exception {
        writeStore("n/1.html", "old");
        Files.write(journal().resolve("0.tmp"), bytes("new"));
        Files.write(journal().resolve("1.tmp"), bytes("added"));
        Files.writeString(journal().resolve("manifest.tmp"),
                "put 0.tmp n/1.html\nput 1.tmp n/3.html\n", StandardCharsets.UTF_8);

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/1.html")).isEqualTo(file("old"));
            assertThat(store.exists("n/3.html")).isFalse();
        }
        assertThat(journalFiles()).isEmpty();
    }

    @Test
    void aDamagedManifestFailsTheOpenWithAClearMessage() throws Exception {
        writeStore("n/1.html", "old");
        Files.writeString(journal().resolve("manifest"), "rename n/1.html n/2.html\n",
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> NodeStore.open(dir, false)).isInstanceOf(IOException.class)
                .hasMessageContaining("journal manifest line is damaged: rename n/1.html");
        // The failed open let go of the lock, and changed nothing.
        Files.delete(journal().resolve("manifest"));
        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/1.html")).isEqualTo(file("old"));
        }
    }

    @Test
    void aSecondOpenFailsWhileTheFirstIsOpen() throws Exception {
        try (NodeStore first = NodeStore.open(dir, false)) {
            assertThatThrownBy(() -> NodeStore.open(dir, false))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the tree in " + dir + " is open by another writer");
            first.begin().put("n/1.html", file("a")).commit();
        }
        try (NodeStore again = NodeStore.open(dir, false)) {
            assertThat(again.read("n/1.html")).isEqualTo(file("a"));
        }
    }

    @Test
    void namesOutsideTheFolderAreRefused() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            for (String bad : List.of("../x.html", "n/../../x.html", ".distree/lock",
                    ".distree/journal/manifest", "/etc/passwd")) {
                assertThatThrownBy(() -> store.begin().putBytes(bad, new byte[1])).as(bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("outside the tree's folder");
            }
        }
    }

    @Test
    void newNamesAreFreshAndContinueAfterTheHighestOnDisk() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            String a = store.newName();
            String b = store.newName();
            assertThat(a).matches("n/[0-9a-f]+\\.html").isNotEqualTo(b);
            store.begin().put("n/ff.html", file("x")).commit();
        }
        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.newName()).isEqualTo("n/100.html");
        }
    }

    @Test
    void nodeNamesListsOnlyNodeFilesInOrder() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin().put("n/b.html", file("b")).put("n/a.html", file("a"))
                    .putBytes("n/notes.txt", new byte[] {1})
                    .putBytes("index.html", new byte[] {1}).commit();

            assertThat(store.nodeNames()).containsExactly("n/a.html", "n/b.html");
        }
    }

    @Test
    void aLaterPutCancelsAnEarlierDeleteInOneTransaction() throws Exception {
        writeStore("n/1.html", "old");
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeStore.Transaction t = store.begin().delete("n/1.html").put("n/1.html",
                    file("new"));
            assertThat(t.isEmpty()).isFalse();
            t.commit();

            assertThat(store.read("n/1.html")).isEqualTo(file("new"));
        }
    }
}
