package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.distree.model.Entry;
import org.distree.store.EntryLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries a node daemon acknowledged and had not applied when it stopped are in its tree's entry
 * log: whatever opens the tree to write it next (the daemon again, {@code distree add}, an
 * update of a site) inserts them first, so that what it writes comes after them.
 */
class LocalTreeEntryLogTest {
    @TempDir
    Path dir;

    @Test
    void openingTheTreeAppliesTheLogBeforeAnythingElseWrites() throws Exception {
        LocalTree.open(dir).close();
        try (EntryLog log = EntryLog.open(dir, false)) {
            log.append(List.of(Entry.of("k", "https://e.example/k", "", "logged first")));
            log.append(List.of(Entry.of("j", "https://e.example/j", "", "")));
        }
        try (LocalTree tree = LocalTree.open(dir)) {
            assertThat(Trees.all(dir)).extracting(Entry::key).containsExactly("j", "k");
            // Written after the log: it stays, whoever opens the tree later.
            tree.insert(List.of(Entry.of("k", "https://e.example/k", "", "added after")));
        }
        try (LocalTree tree = LocalTree.open(dir)) {
            assertThat(tree.root().entries())
                    .filteredOn(e -> e.key().equals("k"))
                    .extracting(e -> e.target().comment())
                    .containsExactly("added after");
        }
        try (var files = Files.list(dir.resolve(".distree").resolve(EntryLog.DIR))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aDamagedRecordBeforeWholeOnesStopsTheOpenAndKeepsTheLog() throws Exception {
        LocalTree.open(dir).close();
        Path file;
        try (EntryLog log = EntryLog.open(dir, false)) {
            log.append(List.of(Entry.of("x", "https://e.example/x", "", "")));
            log.append(List.of(Entry.of("y", "https://e.example/y", "", "")));
            file = log.current();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x55;
        Files.write(file, bytes);
        assertThatThrownBy(() -> LocalTree.open(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("damaged at byte 0");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(Trees.all(dir)).isEmpty();
    }

    @Test
    void aTreeNoDaemonWroteGetsNoEntryLogFolder() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(List.of(Entry.of("a", "https://e.example/a", "", "")));
        }
        assertThat(dir.resolve(".distree").resolve(EntryLog.DIR)).doesNotExist();
    }
}
