package org.distree.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryLogTest {
    @TempDir
    Path dir;

    @Test
    void aRecordKeepsEveryFieldOfAnEntry() throws Exception {
        List<Entry> entries = List.of(
                new Entry(
                        "caf\u00e9",
                        new Entry.Target(
                                "https://e.example/\u00e9",
                                "A title",
                                "a comment",
                                "sha256-abc",
                                Map.of("data-x", "1"),
                                false,
                                42)),
                Entry.of("plain", "https://e.example/p", "", ""),
                Entry.record("rec", "../p/1z.html", "a label", 7));
        assertThat(EntryLog.decode(EntryLog.encode(entries), dir)).isEqualTo(entries);
    }

    @Test
    void aRecordThatDoesNotReadAsEntriesIsRefusedNamingTheFile() throws Exception {
        byte[] body = EntryLog.encode(List.of(Entry.of("k", "https://e.example/", "", "")));
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntryLog.decode(cut, dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("does not read as entries");
    }

    @Test
    void appendsAfterARotationGoToANewFileAndOpenReadsEveryFileInOrder() throws Exception {
        Path first;
        try (EntryLog log = EntryLog.open(dir, false)) {
            log.append(List.of(Entry.of("a", "https://e.example/a", "", "")));
            first = log.rotate();
            log.append(List.of(Entry.of("b", "https://e.example/b", "", "")));
            assertThat(log.current()).isNotEqualTo(first);
        }
        try (EntryLog log = EntryLog.open(dir, false)) {
            assertThat(log.recovered()).extracting(Entry::key).containsExactly("a", "b");
            assertThat(log.recoveredFiles()).hasSize(2).startsWith(first);
            EntryLog.delete(log.recoveredFiles());
        }
        try (EntryLog log = EntryLog.open(dir, false)) {
            assertThat(log.recovered()).isEmpty();
        }
    }
}
