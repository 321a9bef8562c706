package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distree.maintain.transport.Transport;
import org.distree.model.Entry;
import org.distree.query.FileSource;
import org.distree.query.NodeSource;
import org.distree.rules.Linter;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesJobTest {
    @TempDir
    Path dir;

    /** No other machine: the rules job never reaches one. */
    static final class Nowhere implements Transport {
        @Override
        public NodeSource.Fetched fetch(URI url) throws IOException {
            throw new IOException("no network in this test");
        }

        @Override
        public void submit(URI origin, List<URI> nodes) throws IOException {
            throw new IOException("no network in this test");
        }

        @Override
        public void close() {}
    }

    static List<Entry> entries(int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "word%05d", i),
                    "https://e.org/p" + i,
                    "Page " + i,
                    "a comment long enough to fill leaves quickly " + i));
        }
        return out;
    }

    Maintainer maintainer(LocalTree tree) {
        return new Maintainer(
                MaintainerConfig.of(dir, Map.of()), tree, new Nowhere(), Clock.systemUTC());
    }

    @Test
    void aCleanTreeIsCheckedWithoutHoldingTheTree() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(3000));
            Maintainer m = maintainer(tree);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                synchronized (tree) { // as a long write of the daemon would
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                JobReport r = CompletableFuture.supplyAsync(() -> {
                            try {
                                return m.run(Maintainer.Job.RULES);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .get(20, TimeUnit.SECONDS);
                assertThat(r.detail()).contains("lint: clean");
            } finally {
                release.countDown();
                writer.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aRunWithNoCommitSinceTheLastCleanCheckReadsNothing() throws Exception {
        HandClock clock = new HandClock();
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(50));
            Maintainer m =
                    new Maintainer(MaintainerConfig.of(dir, Map.of()), tree, new Nowhere(), clock);
            assertThat(m.run(Maintainer.Job.RULES).detail()).contains("lint: clean");
            clock.now = clock.now.plusSeconds(3600);
            assertThat(m.run(Maintainer.Job.RULES).detail())
                    .isEqualTo("no change since the last clean check");
            tree.insert(List.of(Entry.of("zebra", "https://e.org/z", "Zebras", "")));
            assertThat(m.run(Maintainer.Job.RULES).detail()).contains("lint: clean");
        }
    }

    @Test
    void aStrayFileFoundByTheLintIsRemovedUnderTheTree() throws Exception {
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(3000));
            String leaf = tree.store().nodeNames().stream()
                    .filter(n -> !n.equals(rootName(tree)))
                    .findFirst()
                    .orElseThrow();
            // A copy of a leaf that the root does not reach, as a crash of an older version
            // could leave behind.
            Files.copy(dir.resolve(leaf), dir.resolve("n/ffff.html"));
            JobReport r = maintainer(tree).run(Maintainer.Job.RULES);
            assertThat(r.detail()).contains("1 unreachable files removed").endsWith("lint: clean");
            assertThat(dir.resolve("n/ffff.html")).doesNotExist();
            assertThat(Linter.lintFolder(new FileSource(), dir, tree.store().nodeNames())
                            .violations())
                    .isEmpty();
        }
    }

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-03T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aLintIsDeferredUntilTwentyTimesItsDurationHasPassed() throws Exception {
        HandClock clock = new HandClock();
        try (LocalTree tree = LocalTree.open(dir)) {
            tree.insert(entries(3000));
            Maintainer m =
                    new Maintainer(MaintainerConfig.of(dir, Map.of()), tree, new Nowhere(), clock);
            assertThat(m.run(Maintainer.Job.RULES).detail()).contains("lint: clean");
            tree.insert(List.of(Entry.of("zebra", "https://e.org/z", "Zebras", "")));
            // The lint of 3,000 entries takes some milliseconds; the hand clock has not moved.
            assertThat(m.run(Maintainer.Job.RULES).detail()).startsWith("lint deferred for ");
            clock.now = clock.now.plusSeconds(3600);
            assertThat(m.run(Maintainer.Job.RULES).detail()).contains("lint: clean");
        }
    }

    static String rootName(LocalTree tree) {
        try {
            return tree.rootName();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
