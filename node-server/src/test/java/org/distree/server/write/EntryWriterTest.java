package org.distree.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distree.model.Entry;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.server.metrics.Metrics;
import org.distree.store.EntryLog;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyBatchIsDurableThenAppliedAndConcurrentBatchesAreGrouped() throws Exception {
        Metrics metrics = new Metrics();
        List<EntryWriter.Receipt> done = new ArrayList<>();
        try (EntryWriter w = new EntryWriter(LocalTree.open(dir), 10_000, 100_000, metrics)) {
            for (int b = 0; b < 40; b++) {
                done.add(w.submit(batch("k" + b, 25)));
            }
            for (EntryWriter.Receipt r : done) {
                r.applied().get(60, TimeUnit.SECONDS);
                assertThat(r.durable()).isCompleted();
            }
            assertThat(w.transactions()).isBetween(1L, 40L);
            assertThat(w.unapplied()).isZero();
        }
        assertThat(metrics.value("distree_entries_added_total", "")).isEqualTo(1_000);
        assertThat(metrics.value("distree_entries_applied_total", "")).isEqualTo(1_000);
        assertThat(stored()).hasSize(1_000);
        assertThat(logFiles()).isEmpty();
    }

    /**
     * The point of the entry log: requests are acknowledged while the tree is busy (here, held
     * by the test as a maintenance job holds it), and everything that arrived meanwhile goes
     * into the tree in one transaction, however many requests it came in.
     */
    @Test
    void requestsAreDurableWhileTheTreeIsBusyAndGoInTogetherAfter() throws Exception {
        LocalTree tree = LocalTree.open(dir);
        try (EntryWriter w = new EntryWriter(tree, 10_000, 100_000, new Metrics())) {
            List<EntryWriter.Receipt> done = new ArrayList<>();
            synchronized (tree) {
                for (int b = 0; b < 50; b++) {
                    done.add(w.submit(batch("busy" + b, 20)));
                }
                for (EntryWriter.Receipt r : done) {
                    r.durable().get(60, TimeUnit.SECONDS);
                }
                assertThat(done.get(49).applied()).isNotDone();
                assertThat(w.unapplied()).isEqualTo(1_000);
                assertThat(w.transactions()).isZero();
            }
            for (EntryWriter.Receipt r : done) {
                r.applied().get(60, TimeUnit.SECONDS);
            }
            // The applier took the first request before it met the held tree; the other 49
            // were waiting in the log, and went in as one transaction.
            assertThat(w.transactions()).isBetween(1L, 2L);
        }
        assertThat(stored()).hasSize(1_000);
    }

    @Test
    void aFullBacklogHoldsNewRequestsUntilTheTreeTakesIt() throws Exception {
        LocalTree tree = LocalTree.open(dir);
        try (EntryWriter w = new EntryWriter(tree, 10_000, 100, new Metrics())) {
            List<EntryWriter.Receipt> done = new ArrayList<>();
            synchronized (tree) {
                done.add(w.submit(batch("a", 50)));
                done.add(w.submit(batch("b", 50)));
                done.get(0).durable().get(60, TimeUnit.SECONDS);
                done.get(1).durable().get(60, TimeUnit.SECONDS);
                done.add(w.submit(batch("c", 50)));
                Thread.sleep(300);
                assertThat(done.get(2).durable()).isNotDone();
                assertThat(w.unapplied()).isEqualTo(100);
            }
            for (EntryWriter.Receipt r : done) {
                r.applied().get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(stored()).hasSize(150);
    }

    /** Long entries fill the backlog by their bytes before their number: the bytes bound too. */
    @Test
    void aBacklogFullOfBytesHoldsNewRequestsToo() throws Exception {
        LocalTree tree = LocalTree.open(dir);
        List<Entry> a = batch("long-a", 20);
        List<Entry> b = batch("long-b", 20);
        long bytes = EntryWriter.weight(a) + EntryWriter.weight(b);
        try (EntryWriter w = new EntryWriter(tree, 10_000, 100_000, bytes, new Metrics())) {
            List<EntryWriter.Receipt> done = new ArrayList<>();
            synchronized (tree) {
                done.add(w.submit(a));
                done.add(w.submit(b));
                done.get(0).durable().get(60, TimeUnit.SECONDS);
                done.get(1).durable().get(60, TimeUnit.SECONDS);
                done.add(w.submit(batch("long-c", 1)));
                Thread.sleep(300);
                assertThat(done.get(2).durable()).isNotDone();
            }
            for (EntryWriter.Receipt r : done) {
                r.applied().get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(stored()).hasSize(41);
    }

    /**
     * Entries acknowledged and not applied when the daemon stopped (a crash) are in the log;
     * the next start applies them (opening the tree does) before the writer takes anything,
     * and a record torn by the crash (never acknowledged) is dropped.
     */
    @Test
    void entriesLeftInTheLogAreAppliedAtTheNextStartAndATornRecordIsDropped() throws Exception {
        LocalTree.open(dir).close();
        Path file;
        try (EntryLog log = EntryLog.open(dir, true)) {
            assertThat(log.recovered()).isEmpty();
            log.append(batch("left", 30));
            log.append(batch("more", 12));
            file = log.current();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            // A record cut off by the crash: its header promises more than follows.
            ch.write(java.nio.ByteBuffer.wrap(
                    new byte[] {0x44, 0x45, 0x4c, 0x31, 0, 0, 1, 0, 9, 9, 9, 9, 9, 9, 9, 9, 7}));
        }
        Metrics metrics = new Metrics();
        try (EntryWriter w = new EntryWriter(LocalTree.open(dir), 10_000, 100_000, metrics)) {
            assertThat(stored()).hasSize(42);
            assertThat(w.unapplied()).isZero();
            w.submit(batch("after", 3)).applied().get(60, TimeUnit.SECONDS);
        }
        assertThat(stored()).hasSize(45);
        assertThat(logFiles()).isEmpty();
    }

    /**
     * A tree that cannot be written (its node folder replaced by a file): entries are still
     * acknowledged from the log while the backlog has room, those waiting for the tree are told
     * why, a request beyond the full backlog is refused at once, and once the folder is back
     * every acknowledged entry goes in. Stopping while the tree cannot be written keeps the
     * entries in the log, and the next writer applies them.
     */
    @Test
    void aTreeThatCannotBeWrittenKeepsEntriesInTheLogUntilItCan() throws Exception {
        Path nodes = dir.resolve("n");
        Path away = dir.resolve("n-away");
        Metrics metrics = new Metrics();
        LocalTree tree = LocalTree.open(dir);
        try (EntryWriter w = new EntryWriter(tree, 10_000, 100, metrics)) {
            w.submit(batch("ok", 10)).applied().get(60, TimeUnit.SECONDS);
            synchronized (tree) {
                Files.move(nodes, away);
                Files.writeString(nodes, "not a folder");
            }
            EntryWriter.Receipt b = w.submit(batch("b", 50));
            b.durable().get(60, TimeUnit.SECONDS);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> b.applied().get(60, TimeUnit.SECONDS))
                    .hasMessageContaining("durable in the entry log but not yet in the tree");
            EntryWriter.Receipt c = w.submit(batch("c", 50));
            c.durable().get(60, TimeUnit.SECONDS);
            EntryWriter.Receipt d = w.submit(batch("d", 10));
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> d.durable().get(60, TimeUnit.SECONDS))
                    .hasMessageContaining("100 entries wait in the entry log for a tree that"
                            + " cannot be written");
            assertThat(w.unapplied()).isEqualTo(100);

            synchronized (tree) {
                Files.delete(nodes);
                Files.move(away, nodes);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (w.unapplied() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(w.unapplied()).isZero();
        }
        assertThat(stored()).hasSize(110).noneMatch(e -> e.startsWith("d-"));
        assertThat(metrics.value("distree_write_failures_total", "")).isPositive();

        // Stopped while the tree cannot be written: the entries stay in the log.
        LocalTree again = LocalTree.open(dir);
        EntryWriter w = new EntryWriter(again, 10_000, 100, new Metrics());
        synchronized (again) {
            Files.move(nodes, away);
            Files.writeString(nodes, "not a folder");
        }
        w.submit(batch("kept", 5)).durable().get(60, TimeUnit.SECONDS);
        try {
            w.close();
        } catch (java.io.IOException closing) {
            // The tree's own close may find no folder to finish in; the log holds the entries.
        }
        assertThat(logFiles()).isNotEmpty();
        Files.delete(nodes);
        Files.move(away, nodes);
        new EntryWriter(LocalTree.open(dir), 10_000, 100, new Metrics()).close();
        assertThat(stored()).hasSize(115).anyMatch(e -> e.startsWith("kept-"));
        assertThat(logFiles()).isEmpty();
    }

    @Test
    void closeWritesWhatIsQueuedThenRefusesMore() throws Exception {
        EntryWriter w = new EntryWriter(LocalTree.open(dir), 10, 100_000, new Metrics());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            done.add(w.submit(List.of(Entry.of("q" + i, "https://q.example/" + i, "", "")))
                    .applied());
        }
        w.close();
        for (CompletableFuture<Void> f : done) {
            assertThat(f).isCompleted().isNotCompletedExceptionally();
        }
        assertThat(w.submit(List.of(Entry.of("late", "https://late.example/", "", "")))
                        .durable())
                .isCompletedExceptionally();
        assertThat(stored()).hasSize(30);
    }

    private static List<Entry> batch(String prefix, int n) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Entry.of(prefix + "-" + i, "https://e.example/" + prefix + "/" + i, "", ""));
        }
        return batch;
    }

    private Set<String> stored() throws Exception {
        Set<String> out = new TreeSet<>();
        for (Walk.Hit h : Walk.run(
                        new FileSource(),
                        dir.resolve("index.html").toUri(),
                        Query.range(null, null),
                        10_000)
                .hits()) {
            out.add(h.entry().key() + " " + h.entry().link());
        }
        return out;
    }

    private List<Path> logFiles() throws Exception {
        try (var files = Files.list(dir.resolve(".distree").resolve(EntryLog.DIR))) {
            return files.toList();
        }
    }
}
