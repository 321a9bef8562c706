package org.distree.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.distree.model.Entry;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.server.metrics.Metrics;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyBatchIsDurableWhenItsFutureCompletesAndConcurrentBatchesAreGrouped()
            throws Exception {
        Metrics metrics = new Metrics();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try (EntryWriter w = new EntryWriter(LocalTree.open(dir), 10_000, metrics)) {
            for (int b = 0; b < 40; b++) {
                List<Entry> batch = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    batch.add(Entry.of(
                            "k" + b + "-" + i, "https://e.example/" + b + "/" + i, "", ""));
                }
                done.add(w.submit(batch));
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get();
            assertThat(w.transactions()).isBetween(1L, 40L);
        }
        assertThat(metrics.value("distree_entries_added_total", "")).isEqualTo(1_000);
        assertThat(Walk.run(
                                new FileSource(),
                                dir.resolve("index.html").toUri(),
                                Query.range(null, null),
                                10_000)
                        .hits())
                .hasSize(1_000);
    }

    @Test
    void closeWritesWhatIsQueuedThenRefusesMore() throws Exception {
        EntryWriter w = new EntryWriter(LocalTree.open(dir), 10, new Metrics());
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            done.add(w.submit(List.of(Entry.of("q" + i, "https://q.example/" + i, "", ""))));
        }
        w.close();
        for (CompletableFuture<Void> f : done) {
            assertThat(f).isCompleted().isNotCompletedExceptionally();
        }
        assertThat(w.submit(List.of(Entry.of("late", "https://late.example/", "", ""))))
                .isCompletedExceptionally();
        assertThat(Walk.run(
                                new FileSource(),
                                dir.resolve("index.html").toUri(),
                                Query.range(null, null),
                                10_000)
                        .hits())
                .hasSize(30);
    }
}
