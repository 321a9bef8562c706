package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.model.ChildRef;
import org.distree.testing.StubServer;
import org.junit.jupiter.api.Test;

/**
 * Server-side request forgery through child links (issue 16, attack matrix): a node on a public
 * machine links children at private and local addresses, in every spelling, and at a name that
 * resolves to one; a search (the daemon's {@code /search}, and the same fetcher serves the
 * maintainer's sync) routes around them without connecting. The private target is a socket on
 * 127.0.0.1 that counts connections; 127.0.0.2 stands in for a public machine (see {@code
 * AttackSsrfIT} in node-server).
 */
class PrivateChildLinksIT {
    @Test
    void childLinksToPrivateAddressesAreNotFollowed() throws Exception {
        InetAddress standIn = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket target = new ServerSocket(
                        0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
                StubServer outside = new StubServer(standIn.getHostAddress())) {
            Thread t = new Thread(() -> {
                while (!target.isClosed()) {
                    try (Socket s = target.accept()) {
                        connections.incrementAndGet();
                        s.shutdownOutput();
                    } catch (Exception e) {
                        // closed by the test
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            int p = target.getLocalPort();
            List<String> hosts = List.of(
                    "127.0.0.1",
                    "10.0.0.1",
                    "172.16.0.1",
                    "192.168.1.1",
                    "169.254.169.254",
                    "0.0.0.0",
                    "[::1]",
                    "[fc00::1]",
                    "[fe80::1]",
                    "[::ffff:127.0.0.1]",
                    "[::127.0.0.1]",
                    "[64:ff9b::7f00:1]",
                    "2130706433",
                    "0x7f.1",
                    "127.1",
                    "0",
                    "localhost",
                    "evil.example");
            List<ChildRef> kids = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                // Each claims more than the good leaf, so each is tried before it.
                kids.add(child(
                        "http://" + hosts.get(i) + ":" + p + "/n/" + i + ".html",
                        null,
                        null,
                        0,
                        1_000 - i));
            }
            kids.add(child("leaf.html", null, null, 0, 1));
            outside.html("/leaf.html", leaf(null, null, "apple", "https://example.org/apple"));
            outside.html("/root.html", internal(1, null, null, kids.toArray(new ChildRef[0])));
            Addresses.Lookup lookup = host -> {
                if (host.equals("public.example")) {
                    return new InetAddress[] {standIn};
                }
                if (host.equals("evil.example")) {
                    return new InetAddress[] {InetAddress.getByAddress(new byte[] {127, 0, 0, 1})};
                }
                return Addresses.SYSTEM.resolve(host);
            };
            try (Searcher searcher = new Searcher(
                    CrawlConfig.defaults()
                            .withRobots(false)
                            .withTimeouts(
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(3)),
                    lookup,
                    a -> a.equals(standIn) || Addresses.isPublic(a))) {
                SearchResult r = searcher.search(SearchRequest.words(
                                List.of(java.net.URI.create(
                                        "http://public.example:" + outside.port() + "/root.html")),
                                List.of("apple"))
                        .withBudgets(1_000, 64L << 20, Duration.ofSeconds(20)));
                assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
                assertThat(r.skipped()).hasSizeGreaterThanOrEqualTo(hosts.size());
            }
        }
        assertThat(connections.get()).isZero();
    }
}
