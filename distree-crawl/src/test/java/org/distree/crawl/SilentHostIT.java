package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leafOfRow;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.distree.model.ChildRef;
import org.distree.testing.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A machine that takes connections and never answers (127.0.0.3) holds the preferred copy of
 * three leaves whose alternates are on the root's machine (127.0.0.2): a search waits for it
 * once, then asks it nothing more and reads the alternates.
 */
class SilentHostIT {
    private static final Duration FETCH_TIMEOUT = Duration.ofMillis(1500);
    private static final String[][] LEAVES = {
        {null, "h", "apple", "banana", "cherry"},
        {"h", "p", "kiwi", "lemon", "mango"},
        {"p", null, "pear", "quince", "zucchini"},
    };

    private StubServer machine;
    private ServerSocket silent;
    private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        machine = new StubServer("127.0.0.2");
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.3"));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(silent.accept());
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        List<ChildRef> children = new ArrayList<>();
        for (int l = 0; l < LEAVES.length; l++) {
            String[] spec = LEAVES[l];
            machine.html("/n/leaf" + l + ".html", leafOfRow(spec));
            // The silent machine's copy claims the larger subtree, so the walk prefers it.
            children.add(child(
                    "http://127.0.0.3:" + silent.getLocalPort() + "/n/leaf" + l + ".html",
                    spec[0],
                    spec[1],
                    0,
                    5));
            children.add(child("n/leaf" + l + ".html", spec[0], spec[1], 0, 3));
        }
        machine.html("/root.html", internal(1, null, null, children.toArray(ChildRef[]::new)));
    }

    @AfterEach
    void stop() throws IOException {
        machine.close();
        silent.close();
        synchronized (held) {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aSilentMachineCostsOneTimeoutPerSearchNotOnePerFile() {
        CrawlConfig config = CrawlConfig.defaults()
                .withConcurrency(16, 1)
                .withTimeouts(FETCH_TIMEOUT, FETCH_TIMEOUT, FETCH_TIMEOUT);
        try (Searcher searcher = new Searcher(config)) {
            long t0 = System.nanoTime();
            SearchResult r = searcher.search(
                    SearchRequest.range(List.of(machine.url("/root.html")), null, null));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.hits()).hasSize(9);
            List<String> reasons =
                    r.skipped().stream().map(SearchResult.Skip::reason).toList();
            // One request to the silent machine waited; the two after it were not sent.
            assertThat(reasons)
                    .filteredOn(s -> s.contains("did not answer earlier"))
                    .hasSize(2);
            assertThat(reasons)
                    .filteredOn(s -> s.startsWith("no complete response"))
                    .hasSize(1);
            // Each of the three would have waited the fetch timeout in turn: 4.5 s at least.
            assertThat(ms).isLessThan(3 * FETCH_TIMEOUT.toMillis());
        }
    }
}
