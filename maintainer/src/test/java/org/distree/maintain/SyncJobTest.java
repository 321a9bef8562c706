package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.crawl.NodeFetchException;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.transport.Transport;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.query.NodeSource;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncJobTest {
    @TempDir
    Path dir;

    /** Other machines' committed files, as their servers would send them; counts fetches. */
    static final class Peer implements Transport {
        final Map<String, LocalTree> trees = new HashMap<>();
        final AtomicInteger fetches = new AtomicInteger();
        /** Files answered 404 whatever the trees hold: renamed between two reads, say. */
        final Set<URI> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Peer(LocalTree tree) {
            trees.put("peer.test", tree);
        }

        @Override
        public NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
            fetches.incrementAndGet();
            LocalTree tree = trees.get(url.getHost());
            if (tree == null) {
                throw new NodeFetchException(url.toString(), 0, "connection refused", true);
            }
            if (gone.contains(url)) {
                throw new NodeFetchException(url.toString(), 404, "not found");
            }
            byte[] bytes;
            try {
                bytes = tree.store().readBytes(url.getPath().substring(1));
            } catch (NoSuchFileException e) {
                throw new NodeFetchException(url.toString(), 404, "not found");
            }
            return new NodeSource.Fetched(
                    url, NodeReader.read(bytes, url.toString()), bytes.length);
        }

        @Override
        public void submit(URI origin, List<URI> nodes) throws IOException {
            throw new IOException("not in this test");
        }

        @Override
        public void close() {}
    }

    static List<Entry> entries(String machine, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Entry.of(
                        String.format(Locale.ROOT, "word%04d", i),
                        "https://e.org/" + machine + "/" + i,
                        "Page " + i,
                        ""))
                .toList();
    }

    /**
     * The maintainer of machine {@code name} (its folder {@code dir/NAME}, its base URL {@code
     * http://NAME.test/}), told {@code peers}, with no wait between requests to one host.
     */
    private Maintainer maintainer(String name, String peers, LocalTree tree, Transport net) {
        return new Maintainer(
                MaintainerConfig.of(
                        dir.resolve(name),
                        Map.of(
                                "base-url",
                                "http://" + name + ".test/",
                                "peers",
                                peers,
                                "per-host-interval-ms",
                                "0")),
                tree,
                net,
                Clock.systemUTC());
    }

    static Map<Bound, Entry> held(LocalTree tree) throws IOException {
        Map<Bound, Entry> out = new HashMap<>();
        for (LocalNodes.Local l : LocalNodes.list(tree)) {
            l.node().entries().forEach(e -> out.put(e.position(), e));
        }
        return out;
    }

    static CompletableFuture<JobReport> runAsync(Maintainer m) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return m.run(Maintainer.Job.SYNC);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Holds the tree's monitor, as a long write of the daemon would, until released. */
    static final class Writer implements AutoCloseable {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Void> done;

        Writer(LocalTree tree, List<Entry> writeWhileHeld) {
            done = CompletableFuture.runAsync(() -> {
                synchronized (tree) {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                        tree.insert(writeWhileHeld);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } catch (java.util.concurrent.ExecutionException
                    | java.util.concurrent.TimeoutException e) {
                throw new IOException(e);
            }
        }
    }

    @Test
    void syncWalksAndChoosesWhileTheTreeIsHeldAndNeverReplacesAnEntryWrittenMeanwhile()
            throws Exception {
        try (LocalTree self = LocalTree.open(
                        NodeStore.open(dir.resolve("self"), false), Clock.systemUTC());
                LocalTree other = LocalTree.open(
                        NodeStore.open(dir.resolve("peer"), false), Clock.systemUTC())) {
            self.insert(entries("self", 40));
            other.insert(entries("peer", 40));
            Peer peer = new Peer(other);
            Maintainer m = maintainer("self", "http://peer.test/index.html", self, peer);
            // The daemon writes, while it holds the tree, an own entry at a position the peer
            // also holds.
            Entry own = Entry.of("word0007", "https://e.org/peer/7", "Written here", "");
            CompletableFuture<JobReport> job;
            try (Writer w = new Writer(self, List.of(own))) {
                assertThat(w.held.await(10, TimeUnit.SECONDS)).isTrue();
                job = runAsync(m);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (peer.fetches.get() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                // The job walked the tree and the peer while the tree was held...
                assertThat(peer.fetches.get()).isGreaterThanOrEqualTo(2);
                // ...and waits only to write the copies.
                assertThat(job.isDone()).isFalse();
            }
            JobReport r = job.get(30, TimeUnit.SECONDS);
            assertThat(r.detail()).contains("39 entries copied");
            Map<Bound, Entry> held = held(self);
            for (Entry e : entries("peer", 40)) {
                assertThat(held).containsKey(e.position());
            }
            assertThat(held.get(own.position())).isEqualTo(own);
            assertThat(held.get(own.position()).extra()).doesNotContainKey(SyncJob.COPY);
        }
    }

    @Test
    void entriesWithRelativeLinksAndRecordEntriesAreNotCopied() throws Exception {
        try (LocalTree self = LocalTree.open(
                        NodeStore.open(dir.resolve("self"), false), Clock.systemUTC());
                LocalTree other = LocalTree.open(
                        NodeStore.open(dir.resolve("peer"), false), Clock.systemUTC())) {
            self.insert(entries("self", 10));
            List<Entry> absolute = entries("peer", 20);
            List<Entry> relative = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> Entry.of("rel" + i, "../../docs/" + i + ".html", "", ""))
                    .toList();
            List<Entry> records = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> Entry.record(
                            "rec" + i, org.distree.store.RecordFiles.link("r" + i), "r" + i))
                    .toList();
            other.insert(absolute);
            other.insert(relative);
            other.insert(records);
            Maintainer m = new Maintainer(
                    MaintainerConfig.of(
                            dir.resolve("self"),
                            Map.of(
                                    "base-url",
                                    "http://self.test/",
                                    "peers",
                                    "http://peer.test/index.html",
                                    "per-host-interval-ms",
                                    "0")),
                    self,
                    new Peer(other),
                    Clock.systemUTC());
            JobReport r = m.run(Maintainer.Job.SYNC);
            assertThat(r.detail()).contains("20 entries copied");
            Map<Bound, Entry> held = held(self);
            assertThat(held.keySet())
                    .containsAll(absolute.stream().map(Entry::position).toList())
                    .doesNotContainAnyElementsOf(
                            relative.stream().map(Entry::position).toList())
                    .doesNotContainAnyElementsOf(
                            records.stream().map(Entry::position).toList());
            assertThat(held.values()).noneMatch(e -> e.isRecord() || e.link().startsWith(".."));
        }
    }

    @Test
    void copiesTheirOwnMachineDeletedGoAndAreNotCopiedBackFromOthers() throws Exception {
        try (LocalTree self = LocalTree.open(
                        NodeStore.open(dir.resolve("self"), false), Clock.systemUTC());
                LocalTree third = LocalTree.open(
                        NodeStore.open(dir.resolve("third"), false), Clock.systemUTC());
                LocalTree other = LocalTree.open(
                        NodeStore.open(dir.resolve("peer"), false), Clock.systemUTC())) {
            self.insert(entries("self", 40));
            third.insert(entries("third", 40));
            other.insert(entries("peer", 40));
            Peer net = new Peer(other);
            net.trees.put("third.test", third);
            net.trees.put("self.test", self);
            Maintainer m = maintainer(
                    "self", "http://peer.test/index.html,http://third.test/index.html", self, net);
            Maintainer t = maintainer("third", "http://peer.test/index.html", third, net);
            m.run(Maintainer.Job.SYNC);
            t.run(Maintainer.Job.SYNC);
            List<Entry> peers = entries("peer", 40);
            assertThat(held(self).keySet())
                    .containsAll(peers.stream().map(Entry::position).toList());

            // The peer deletes five of its own entries; the third machine still has copies.
            List<Bound> gone = peers.subList(0, 5).stream().map(Entry::position).toList();
            other.delete(gone);
            // The peer does not take its deleted entries back from the others' copies.
            Maintainer p = maintainer("peer", "http://self.test/index.html", other, net);
            p.run(Maintainer.Job.SYNC);
            assertThat(held(other).keySet()).doesNotContainAnyElementsOf(gone);
            JobReport r = m.run(Maintainer.Job.SYNC);
            assertThat(r.detail()).contains("5 copies removed", "0 entries copied");
            assertThat(held(self).keySet())
                    .doesNotContainAnyElementsOf(gone)
                    .containsAll(
                            peers.subList(5, 40).stream().map(Entry::position).toList())
                    .containsAll(
                            entries("self", 40).stream().map(Entry::position).toList());
            assertThat(t.run(Maintainer.Job.SYNC).detail()).contains("5 copies removed");
            assertThat(held(third).keySet()).doesNotContainAnyElementsOf(gone);
            assertThat(org.distree.tree.Trees.lint(self).violations()).isEmpty();
        }
    }

    @Test
    void aSyncWithNothingToWriteFinishesWhileTheTreeIsHeld() throws Exception {
        try (LocalTree self = LocalTree.open(
                        NodeStore.open(dir.resolve("self"), false), Clock.systemUTC());
                LocalTree other = LocalTree.open(
                        NodeStore.open(dir.resolve("peer"), false), Clock.systemUTC())) {
            // Enough entries for internal nodes on both sides, so adoption runs too.
            self.insert(entries("self", 600));
            other.insert(entries("peer", 600));
            Maintainer m = new Maintainer(
                    MaintainerConfig.of(
                            dir.resolve("self"),
                            Map.of(
                                    "base-url",
                                    "http://self.test/",
                                    "peers",
                                    "http://peer.test/index.html",
                                    "per-host-interval-ms",
                                    "0",
                                    "accept",
                                    "none")),
                    self,
                    new Peer(other),
                    Clock.systemUTC());
            JobReport first = m.run(Maintainer.Job.SYNC);
            assertThat(first.detail()).contains("0 entries copied");
            assertThat(first.changes()).isPositive(); // adopted links to the peer's leaves
            try (Writer w = new Writer(self, List.of())) {
                assertThat(w.held.await(10, TimeUnit.SECONDS)).isTrue();
                JobReport again = runAsync(m).get(20, TimeUnit.SECONDS);
                assertThat(again.changes()).isZero();
            }
        }
    }

    @Test
    void theAllowlistAcceptsAnOriginByHostOrByHostAndPort() {
        MaintainerConfig c = MaintainerConfig.of(
                Path.of("unused"),
                Map.of(
                        "accept",
                        "allowlist",
                        "accept-hosts",
                        "b.example, c.example:8080, d_1.example"));
        assertThat(SyncJob.accepts(c, "http://b.example")).isTrue();
        assertThat(SyncJob.accepts(c, "https://b.example:8443")).isTrue();
        assertThat(SyncJob.accepts(c, "http://c.example:8080")).isTrue();
        assertThat(SyncJob.accepts(c, "http://c.example")).isFalse();
        assertThat(SyncJob.accepts(c, "http://c.example:80")).isFalse();
        // A host with '_', which java.net.URI does not parse as a host, is compared as written.
        assertThat(SyncJob.accepts(c, "http://d_1.example")).isTrue();
        assertThat(SyncJob.accepts(c, "http://e_1.example")).isFalse();
        assertThat(SyncJob.accepts(c, "http://[::1]:8080")).isFalse();
        assertThat(SyncJob.accepts(c, "file:")).isFalse();
        MaintainerConfig all = MaintainerConfig.of(Path.of("unused"), Map.of());
        assertThat(SyncJob.accepts(all, "http://e_1.example")).isTrue();
    }
}
