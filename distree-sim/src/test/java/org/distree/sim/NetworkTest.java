package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.crawl.Validators;
import org.distree.html.RootPointerException;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkTest {
    static final URI A = URI.create("http://m0001.sim/");
    static final URI B = URI.create("http://m0002.sim/");

    @TempDir
    Path tmp;

    SimClock clock = new SimClock(Simulation.START);
    LocalTree a;
    LocalTree b;

    @BeforeEach
    void trees() throws Exception {
        a = LocalTree.open(NodeStore.open(tmp.resolve("a"), false), clock);
        b = LocalTree.open(NodeStore.open(tmp.resolve("b"), false), clock);
        a.insert(List.of(Entry.of("apple", "https://example.org/apple", "", "")));
    }

    @AfterEach
    void close() throws Exception {
        a.close();
        b.close();
    }

    Network network(Network.Mode mode) throws Exception {
        Network n = new Network(mode, clock);
        n.add(A, a);
        n.add(B, b);
        n.barrier();
        return n;
    }

    @Test
    void aMatchingEtagGets304AndAChangeGets200AfterTheBarrier() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        URI root = A.resolve(a.rootName());
        Revalidated first = net.fetchIfChanged(root, Validators.NONE);
        assertThat(first.notModified()).isFalse();
        assertThat(first.fetched().file().node().entries()).hasSize(1);
        String etag = first.validators().etag();
        assertThat(etag).matches("\"[0-9a-f]{24}\"");
        assertThat(first.validators().lastModified()).isNotNull();

        Revalidated again = net.fetchIfChanged(root, first.validators());
        assertThat(again.notModified()).isTrue();
        assertThat(again.validators()).isEqualTo(first.validators());

        clock.advance(Duration.ofMinutes(5));
        a.insert(List.of(Entry.of("banana", "https://example.org/banana", "", "")));
        // Until the barrier, the other machines see the round's starting state.
        assertThat(net.fetchIfChanged(root, first.validators()).notModified()).isTrue();
        net.barrier();
        Revalidated changed = net.fetchIfChanged(root, first.validators());
        assertThat(changed.notModified()).isFalse();
        assertThat(changed.fetched().file().node().entries()).hasSize(2);
        assertThat(changed.validators().etag()).isNotEqualTo(etag);

        Network.Counts c = net.counts(A);
        assertThat(c.requests()).isEqualTo(4);
        assertThat(c.conditional()).isEqualTo(4);
        assertThat(c.notModified()).isEqualTo(2);
        assertThat(c.bytes())
                .isEqualTo(first.fetched().bytes() + changed.fetched().bytes())
                .isPositive();
        assertThat(net.counts(B)).isEqualTo(Network.Counts.ZERO);
        assertThat(net.total()).isEqualTo(c);
    }

    @Test
    void ifModifiedSinceDecidesWhenNoEtagIsSent() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        URI root = A.resolve(a.rootName());
        String lastModified =
                net.fetchIfChanged(root, Validators.NONE).validators().lastModified();
        assertThat(net.fetchIfChanged(root, new Validators(null, lastModified)).notModified())
                .isTrue();
        assertThat(net.fetchIfChanged(root, new Validators(null, "Thu, 1 Jan 2015 00:00:00 GMT"))
                        .notModified())
                .isFalse();
        assertThat(net.fetchIfChanged(root, new Validators(null, "yesterday")).notModified())
                .isFalse();
        // If-None-Match decides over If-Modified-Since.
        assertThat(net.fetchIfChanged(root, new Validators("\"other\"", lastModified))
                        .notModified())
                .isFalse();
    }

    @Test
    void aStoppedMachineRefusesUntilStarted() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        URI root = A.resolve(a.rootName());
        net.stop(A);
        assertThat(net.running(A)).isFalse();
        assertThatThrownBy(() -> net.fetch(root))
                .isInstanceOf(NodeFetchException.class)
                .hasMessageContaining("connection refused");
        assertThatThrownBy(() -> net.submit(A, List.of(B.resolve(b.rootName()))))
                .isInstanceOf(NodeFetchException.class);
        assertThat(net.counts(A).requests()).isZero();
        net.start(A);
        assertThat(net.fetch(root).file().node().entries()).hasSize(1);
        assertThatThrownBy(() -> net.fetch(URI.create("http://m0009.sim/index.html")))
                .isInstanceOf(NodeFetchException.class);
    }

    @Test
    void servesOnlyTheTreesFiles() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        assertThatThrownBy(() -> net.fetch(A.resolve("n/ffff.html")))
                .isInstanceOfSatisfying(
                        NodeFetchException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> net.fetch(A.resolve(".distree/lock")))
                .isInstanceOfSatisfying(
                        NodeFetchException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> net.fetch(A)).isInstanceOf(RootPointerException.class);
        assertThatThrownBy(() -> net.add(URI.create("http://m0001.sim/other/"), b))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.add(URI.create("ftp://m0003.sim/"), b))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void submissionsLandInTheQueueAtTheBarrier() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        URI leaf = B.resolve(b.rootName());
        net.submit(A, List.of(leaf));
        assertThat(SubmissionQueue.oldest(a.store().dir(), 10)).isEmpty();
        net.barrier();
        List<Path> queued = SubmissionQueue.oldest(a.store().dir(), 10);
        assertThat(queued).hasSize(1);
        assertThat(SubmissionQueue.url(queued.get(0))).isEqualTo(leaf);
        assertThat(net.counts(A).submitted()).isEqualTo(1);
    }

    @Test
    void liveModeShowsChangesAndQueuesAtOnce() throws Exception {
        Network net = network(Network.Mode.LIVE);
        URI root = A.resolve(a.rootName());
        Revalidated first = net.fetchIfChanged(root, Validators.NONE);
        a.insert(List.of(Entry.of("banana", "https://example.org/banana", "", "")));
        assertThat(net.fetchIfChanged(root, first.validators()).notModified()).isFalse();
        net.submit(A, List.of(B.resolve(b.rootName())));
        assertThat(SubmissionQueue.oldest(a.store().dir(), 10)).hasSize(1);
    }

    @Test
    void theSearcherWalksTheNetwork() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        Searcher searcher = Searcher.over(net, CrawlConfig.defaults());
        SearchResult r = searcher.search(
                SearchRequest.range(List.of(A.resolve(NodeStore.INDEX)), null, null));
        assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
        assertThat(net.counts(A).requests()).isEqualTo(2); // the entry page, then the root
        assertThat(net.counts(A).conditional()).isZero();
    }

    @Test
    void aStoppedMachineIsNotPublishedAndServesWhatItHadOnceStarted() throws Exception {
        Network net = network(Network.Mode.ROUNDS);
        URI root = A.resolve(a.rootName());
        net.stop(A);
        clock.advance(Duration.ofMinutes(5));
        a.insert(List.of(Entry.of("banana", "https://example.org/banana", "", "")));
        net.barrier();
        net.start(A);
        assertThat(net.fetch(root).file().node().entries()).hasSize(1);
        net.barrier();
        assertThat(net.fetch(root).file().node().entries()).hasSize(2);
    }
}
