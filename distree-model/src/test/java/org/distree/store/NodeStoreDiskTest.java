package org.distree.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real full disk and a real read-only folder: a small tmpfs, and a read-only bind
 * mount of its node folder. Needs {@code mount} (root, as in CI); skipped where it is not
 * allowed. Each test unmounts what it mounted.
 */
class NodeStoreDiskTest {
    @TempDir
    Path tmp;

    private Path disk;
    private boolean mounted;
    private boolean nodesMounted;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(tmp.resolve("disk"));
        try {
            mounted = sh("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", disk.toString()) == 0;
        } catch (IOException e) {
            mounted = false; // no mount command
        }
        assumeTrue(mounted, "mount is not allowed here (not root, or no CAP_SYS_ADMIN)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (nodesMounted) {
            sh("umount", "-l", disk.resolve("tree").resolve(NodeStore.NODE_DIR).toString());
        }
        if (mounted) {
            sh("umount", "-l", disk.toString());
        }
    }

    /**
     * Transactions until the disk is full: the one that does not fit fails with one line naming
     * the folder and "no space left on device"; a record cut short is cut from the log, so the
     * smaller transactions that still fit commit, and reopening finds every committed file.
     */
    @Test
    void aFullDiskFailsInOneLineAndLosesNoCommittedFile() throws Exception {
        Path dir = disk.resolve("tree");
        Random random = new Random(16);
        Map<String, byte[]> committed = new LinkedHashMap<>();
        @Nullable IOException full = null;
        try (NodeStore store = NodeStore.open(dir)) {
            for (int i = 0; i < 1_000 && full == null; i++) {
                full = commit(store, random, 24 << 10, committed);
            }
            assertThat(full).isNotNull();
            assertThat(full.getMessage())
                    .isEqualTo("cannot write the tree in " + dir + ": no space left on device");
            int small = 0;
            for (int i = 0; i < 50; i++) {
                small += commit(store, random, 200, committed) == null ? 1 : 0;
            }
            assertThat(small).as("small transactions that fit").isPositive();
        } catch (IOException closing) {
            // Closing may find no room to finish its checkpoint; the log stays for the next open.
        }
        try (NodeStore again = NodeStore.open(dir)) {
            for (Map.Entry<String, byte[]> e : committed.entrySet()) {
                assertThat(again.readBytes(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    /**
     * One 24 KB file rewritten 100 times on a 512 KB disk: the tree never holds more than the
     * file, but the log keeps a copy of each version until a checkpoint. When the log fills the
     * disk, a commit whose record still fits but whose file does not empties the log and tries
     * once more, as one whose record does not fit does; every rewrite commits.
     */
    @Test
    void aDiskFilledByTheLogAloneTakesEveryCommit() throws Exception {
        Path dir = disk.resolve("tree");
        Random random = new Random(18);
        byte[] last = new byte[0];
        try (NodeStore store = NodeStore.open(dir)) {
            String name = store.newName();
            for (int i = 0; i < 100; i++) {
                last = text(random, 24 << 10);
                store.begin().putBytes(name, last).commit();
            }
            assertThat(store.readBytes(name)).isEqualTo(last);
        }
    }

    /**
     * The node folder read-only: a commit fails with one line saying so and changes nothing (its
     * log record is cut), so does the next; once the folder is writable, commits go on.
     */
    @Test
    void aReadOnlyNodeFolderFailsInOneLineAndChangesNothing() throws Exception {
        Path dir = disk.resolve("tree");
        Path nodes = dir.resolve(NodeStore.NODE_DIR);
        Random random = new Random(17);
        Map<String, byte[]> committed = new LinkedHashMap<>();
        try (NodeStore store = NodeStore.open(dir)) {
            assertThat(commit(store, random, 500, committed)).isNull();
            long log = Files.size(dir.resolve(".distree").resolve("wal"));
            readOnly(nodes);
            Map<String, byte[]> refused = new LinkedHashMap<>();
            for (int i = 0; i < 2; i++) {
                IOException e = commit(store, random, 500, refused);
                assertThat(e).isNotNull();
                assertThat(e.getMessage())
                        .isEqualTo("cannot write the tree in " + dir
                                + ": the file system is read-only");
            }
            assertThat(Files.size(dir.resolve(".distree").resolve("wal"))).isEqualTo(log);
            assertThat(sh("umount", nodes.toString())).isZero();
            nodesMounted = false;
            assertThat(commit(store, random, 500, committed)).isNull();
            for (Map.Entry<String, byte[]> e : committed.entrySet()) {
                assertThat(store.readBytes(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(store.nodeNames()).hasSize(committed.size());
        }
    }

    private void readOnly(Path folder) throws Exception {
        assertThat(sh("mount", "--bind", folder.toString(), folder.toString())).isZero();
        nodesMounted = true;
        assertThat(sh("mount", "-o", "remount,ro,bind", folder.toString())).isZero();
    }

    /** Commits one file of random bytes; its name and bytes go to {@code done} if it commits. */
    private static @Nullable IOException commit(
            NodeStore store, Random random, int size, Map<String, byte[]> done) {
        byte[] bytes = text(random, size);
        String name = store.newName();
        try {
            store.begin().putBytes(name, bytes).commit();
        } catch (IOException e) {
            return e;
        }
        done.put(name, Arrays.copyOf(bytes, size));
        return null;
    }

    /** Random lowercase letters: text, as node files are. */
    private static byte[] text(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + Math.floorMod(bytes[i], 26));
        }
        return bytes;
    }

    private static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
