package org.distree.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.distree.html.NodeWriter;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on disk. Crashes are simulated by writing the write-ahead log by hand as {@code
 * commit} does: records of {@code [magic "DTR1", body length, CRC-32C of the body, body]}, the
 * body holding the files written and the names deleted.
 */
class NodeStoreTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private static NodeFile file(String key) {
        return NodeFile.of(Node.leaf(
                Range.ALL, List.of(Entry.of(key, "https://example.org/" + key, "", "")), T));
    }

    private static byte[] bytes(String key) {
        return NodeWriter.write(file(key));
    }

    private Path wal() {
        return dir.resolve(".distree").resolve("wal");
    }

    /** One log record as commit writes it. */
    private static byte[] record(Map<String, byte[]> writes, List<String> deletes)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(writes.size());
        for (Map.Entry<String, byte[]> w : writes.entrySet()) {
            out.writeUTF(w.getKey());
            out.writeInt(w.getValue().length);
            out.write(w.getValue());
        }
        out.writeInt(deletes.size());
        for (String d : deletes) {
            out.writeUTF(d);
        }
        out.flush();
        byte[] b = body.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(b);
        return ByteBuffer.allocate(16 + b.length)
                .putInt(0x44545231)
                .putInt(b.length)
                .putLong(crc.getValue())
                .put(b)
                .array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void writeStore(String name, String key) throws IOException {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin().put(name, file(key)).commit();
        }
    }

    @Test
    void aCommitPutsAndDeletesTogetherAndEmptiesTheLogOnClose() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin().put("n/1.html", file("a")).put("n/2.html", file("b")).commit();
            store.begin().put("n/3.html", file("c")).delete("n/1.html").commit();

            assertThat(store.exists("n/1.html")).isFalse();
            assertThat(store.read("n/2.html")).isEqualTo(file("b"));
            assertThat(store.read("n/3.html")).isEqualTo(file("c"));
            assertThat(store.nodeNames()).containsExactly("n/2.html", "n/3.html");
            assertThat(Files.size(wal())).isPositive();
            assertThat(dir.resolve("n/3.html")).exists();
            assertThat(dir.resolve("n/1.html")).doesNotExist();
        }
        assertThat(Files.size(wal())).isZero();
    }

    /**
     * A reader of the folder (the daemon's file handler, a static server, a test) sees a commit's
     * files as soon as commit returns, and nothing rewrites them afterwards: when files were
     * renamed into place by a background thread after commit, {@code POST /entries} answered
     * before the root was rewritten, and NodeServerIT.conditionalGetReturns304 saw the root's
     * ETag change between two requests (14 failures in 60 runs).
     */
    @Test
    void aCommitsFilesAreInTheFolderWhenItReturns() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            store.begin()
                    .put("n/1.html", file("a"))
                    .putBytes(NodeStore.INDEX, bytes("i"))
                    .commit();
            store.begin().put("n/1.html", file("b")).put("n/2.html", file("c")).commit();

            assertThat(Files.readAllBytes(dir.resolve("n/1.html"))).isEqualTo(bytes("b"));
            assertThat(Files.readAllBytes(dir.resolve("n/2.html"))).isEqualTo(bytes("c"));
            assertThat(Files.readAllBytes(dir.resolve(NodeStore.INDEX))).isEqualTo(bytes("i"));
            try (var left = Files.list(dir.resolve("n"))) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("1.html", "2.html");
            }
        }
    }

    @Test
    void aCommittedButUnappliedLogIsReplayedOnOpen() throws Exception {
        writeStore("n/1.html", "old");
        Files.write(
                wal(),
                record(
                        Map.of("n/2.html", bytes("new"), "n/3.html", bytes("added")),
                        List.of("n/1.html")));

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/2.html")).isEqualTo(file("new"));
            assertThat(store.read("n/3.html")).isEqualTo(file("added"));
            assertThat(store.exists("n/1.html")).isFalse();
        }
        assertThat(Files.readAllBytes(dir.resolve("n/2.html"))).isEqualTo(bytes("new"));
        assertThat(Files.size(wal())).isZero();
    }

    @Test
    void aHalfAppliedLogIsFinishedOnOpen() throws Exception {
        writeStore("n/1.html", "first");
        // The crash came after n/1.html was renamed into place but before n/2.html was.
        Files.write(
                wal(),
                record(Map.of("n/1.html", bytes("first"), "n/2.html", bytes("second")), List.of()));
        Files.write(dir.resolve("n/2.html.tmp"), new byte[] {1, 2, 3});

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/1.html")).isEqualTo(file("first"));
            assertThat(store.read("n/2.html")).isEqualTo(file("second"));
        }
        assertThat(dir.resolve("n/2.html.tmp")).doesNotExist();
    }

    @Test
    void aTornLastRecordIsDroppedAndEarlierOnesKept() throws Exception {
        writeStore("n/1.html", "old");
        byte[] whole = record(Map.of("n/2.html", bytes("kept")), List.of());
        byte[] torn = record(Map.of("n/3.html", bytes("lost")), List.of("n/1.html"));
        Files.write(wal(), concat(whole, java.util.Arrays.copyOf(torn, torn.length - 7)));

        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.read("n/2.html")).isEqualTo(file("kept"));
            assertThat(store.exists("n/3.html")).isFalse();
            assertThat(store.read("n/1.html")).isEqualTo(file("old"));
        }
    }

    @Test
    void aDamagedRecordBeforeGoodOnesFailsTheOpenWithAClearMessage() throws Exception {
        writeStore("n/1.html", "old");
        byte[] first = record(Map.of("n/2.html", bytes("a")), List.of());
        first[20] ^= 0x55;
        byte[] second = record(Map.of("n/3.html", bytes("b")), List.of());
        Files.write(wal(), concat(first, second));

        assertThatThrownBy(() -> NodeStore.open(dir, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is damaged at byte 0");
        assertThat(dir.resolve("n/1.html")).exists();
        assertThat(dir.resolve("n/3.html")).doesNotExist();
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
            for (String bad : List.of(
                    "../x.html",
                    "n/../../x.html",
                    ".distree/lock",
                    ".distree/wal",
                    "/etc/passwd")) {
                assertThatThrownBy(() -> store.begin().putBytes(bad, new byte[1]))
                        .as(bad)
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
            store.begin()
                    .put("n/b.html", file("b"))
                    .put("n/a.html", file("a"))
                    .putBytes("n/notes.txt", new byte[] {1})
                    .putBytes("index.html", new byte[] {1})
                    .commit();

            assertThat(store.nodeNames()).containsExactly("n/a.html", "n/b.html");
        }
    }

    @Test
    void aLaterPutCancelsAnEarlierDeleteInOneTransaction() throws Exception {
        writeStore("n/1.html", "old");
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeStore.Transaction t = store.begin().delete("n/1.html").put("n/1.html", file("new"));
            assertThat(t.isEmpty()).isFalse();
            t.commit();

            assertThat(store.read("n/1.html")).isEqualTo(file("new"));
        }
    }

    /**
     * A rename that fails after the files were written (here a folder where a file goes): the
     * transaction is in the log but not all in place, so no later one commits until it is; once
     * it can be, the next begin puts it there. Closed meanwhile, the store keeps its log, and
     * the next open replays it.
     */
    @Test
    void aTransactionNotAllInPlaceIsPutThereBeforeTheNextOrOnReopen() throws Exception {
        NodeStore store = NodeStore.open(dir);
        Path blocker = Files.createDirectories(dir.resolve("n/ff.html/inside"));
        assertThatThrownBy(() -> store.begin().put("n/ff.html", file("late")).commit())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.begin().put("n/fe.html", file("next")).commit())
                .hasMessageContaining("an earlier change is not all in place yet");
        Files.delete(blocker);
        Files.delete(blocker.getParent());
        store.begin().put("n/fe.html", file("next")).commit();
        assertThat(store.read("n/ff.html")).isEqualTo(file("late"));
        assertThat(store.read("n/fe.html")).isEqualTo(file("next"));

        Files.createDirectories(dir.resolve("n/fd.html/inside"));
        assertThatThrownBy(() -> store.begin().put("n/fd.html", file("kept")).commit())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(store::close).isInstanceOf(IOException.class);
        assertThat(Files.size(dir.resolve(".distree/wal"))).isPositive();
        Files.delete(dir.resolve("n/fd.html/inside"));
        Files.delete(dir.resolve("n/fd.html"));
        try (NodeStore reopened = NodeStore.open(dir)) {
            assertThat(reopened.read("n/fd.html")).isEqualTo(file("kept"));
            assertThat(reopened.read("n/ff.html")).isEqualTo(file("late"));
        }
    }
}
