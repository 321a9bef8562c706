package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.model.ChildRef;
import org.distree.testing.StubServer;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Servers that misbehave on purpose. Each case is bounded in time (assertTimeoutPreemptively)
 * and in memory (the bodies sent are counted on the server: far below what was offered). The
 * search must return what it could, say what it skipped and why, and never hang.
 *
 * <p>Most cases hide the bad node behind a root on a good machine that also links a good copy
 * of the same range; the bad one is preferred (it claims a larger subtree), so the walk meets it
 * first and must route around it.
 */
class HostileServersIT {
    static final Duration BOUND = Duration.ofSeconds(20);
    static StubServer good;
    static StubServer bad;
    static Searcher searcher;
    static final AtomicBoolean closing = new AtomicBoolean();
    static final AtomicLong sent = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        good = new StubServer("127.0.0.2");
        bad = new StubServer("127.0.0.3");
        good.html("/leaf.html", leaf(null, null, "apple", "https://example.org/apple"));
        searcher = new Searcher(CrawlConfig.defaults()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() {
        closing.set(true);
        searcher.close();
        good.close();
        bad.close();
    }

    /** A root on the good machine: the bad child first in preference, then the good leaf. */
    static URI rootAround(String name, URI badChild) {
        good.html(
                "/" + name + ".html",
                internal(
                        1,
                        null,
                        null,
                        child(badChild.toString(), null, null, 0, 100),
                        child("leaf.html", null, null, 0, 1)));
        return good.url("/" + name + ".html");
    }

    static SearchResult apple(URI root) {
        return searcher.search(SearchRequest.words(List.of(root), List.of("apple"))
                .withBudgets(1_000, 64L << 20, Duration.ofSeconds(10)));
    }

    static void assertRoutedAround(SearchResult r, URI badChild, String reason) {
        assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
        assertThat(r.skipped()).anySatisfy(s -> {
            assertThat(s.url()).isEqualTo(badChild.toString());
            assertThat(s.reason()).contains(reason);
        });
    }

    @Test
    void cycleOfLinksEnds() {
        assertTimeoutPreemptively(BOUND, () -> {
            // a -> b -> a, both claiming height 1: the link back does not descend.
            bad.html(
                    "/cycle-a.html",
                    internal(2, null, null, child("cycle-b.html", null, null, 1, 10)));
            bad.html(
                    "/cycle-b.html",
                    internal(
                            1,
                            null,
                            null,
                            child("cycle-a.html", null, null, 0, 10),
                            child(good.url("/leaf.html").toString(), null, null, 0, 1)));
            SearchResult r = apple(bad.url("/cycle-a.html"));
            assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
            assertThat(r.skipped())
                    .anySatisfy(s -> assertThat(s.reason()).contains("does not fall below"));
            assertThat(bad.hits("/cycle-a.html")).isEqualTo(1);
        });
    }

    @Test
    void childWhoseHeightDoesNotFallIsIgnoredAndReported() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.html("/tall.html", internal(1, null, null, child("x.html", null, null, 0, 1)));
            URI tall = bad.url("/tall.html");
            SearchResult r = apple(rootAround("tall-root", tall));
            assertRoutedAround(r, tall, "height 1 does not fall below its parent's 1");
        });
    }

    @Test
    void endlessBodyIsCutAtTheCap() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.route("/endless.html", (req, res, out) -> {
                res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
                byte[] chunk = new byte[16 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 1_000_000 && !closing.get(); i++) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            });
            URI endless = bad.url("/endless.html");
            sent.set(0);
            SearchResult r = apple(rootAround("endless-root", endless));
            assertRoutedAround(r, endless, "over the 262,144 byte limit");
        });
        assertThat(sent.get()).isLessThan(64L << 20);
    }

    @Test
    void oneGigabyteBodyIsRefusedFromItsHeaders() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.route("/huge.html", (req, res, out) -> {
                res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
                res.getHeaders().put(HttpHeader.CONTENT_LENGTH, 1L << 30);
                byte[] chunk = new byte[64 * 1024];
                for (long n = 0; n < 1L << 30 && !closing.get(); n += chunk.length) {
                    out.write(chunk);
                }
            });
            URI huge = bad.url("/huge.html");
            SearchResult r = apple(rootAround("huge-root", huge));
            assertRoutedAround(r, huge, "declares 1,073,741,824 bytes");
        });
    }

    @Test
    void serverSendingOneByteASecondIsAbandoned() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.route("/slow.html", (req, res, out) -> {
                res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
                for (int i = 0; i < 30 && !closing.get(); i++) {
                    out.write('<');
                    out.flush();
                    Thread.sleep(1000);
                }
            });
            URI slow = bad.url("/slow.html");
            long t0 = System.nanoTime();
            SearchResult r = apple(rootAround("slow-root", slow));
            assertRoutedAround(r, slow, "no complete response within 3,000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        });
    }

    @Test
    void redirectLoopIsCut() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.redirect("/loop1.html", "/loop2.html").redirect("/loop2.html", "/loop1.html");
            URI loop = bad.url("/loop1.html");
            SearchResult r = apple(rootAround("loop-root", loop));
            assertRoutedAround(r, loop, "redirect");
            assertThat(bad.hits("/loop1.html") + bad.hits("/loop2.html")).isLessThanOrEqualTo(4);
        });
    }

    @Test
    void responseThatIsNotHtmlIsRefused() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.bytes("/image.html", "image/png", new byte[2048]);
            URI image = bad.url("/image.html");
            assertRoutedAround(
                    apple(rootAround("image-root", image)),
                    image,
                    "content type 'image/png' is not HTML");
        });
    }

    @Test
    void nodeWithOneHundredThousandChildrenIsRefusedBySize() {
        assertTimeoutPreemptively(BOUND, () -> {
            StringBuilder sb = new StringBuilder("<distree version=1 height=1 size=100000"
                    + " updated=2026-11-22T10:00:00Z><ol>");
            for (int i = 0; i < 100_000; i++) {
                sb.append("<li><a href=c")
                        .append(i)
                        .append(".html data-height=0 data-size=1" + " data-low=a data-high=b></a>");
            }
            sb.append("</ol></distree>");
            bad.html("/wide.html", sb.toString());
            URI wide = bad.url("/wide.html");
            assertRoutedAround(apple(rootAround("wide-root", wide)), wide, "byte limit");
        });
    }

    @Test
    void wideNodeWithinTheCapIsStoppedByTheNodeBudget() {
        assertTimeoutPreemptively(BOUND, () -> {
            ChildRef[] kids = new ChildRef[3_000];
            for (int i = 0; i < kids.length; i++) {
                String lo = String.format(Locale.ROOT, "k%05d", i);
                String hi = String.format(Locale.ROOT, "k%05d", i + 1);
                kids[i] = child("w/" + i + ".html", lo, hi, 0, 1);
            }
            bad.html("/wide-ok.html", internal(1, null, null, kids));
            try (Searcher big =
                    new Searcher(CrawlConfig.defaults().withMaxResponseBytes(1 << 20))) {
                SearchResult r = big.search(
                        SearchRequest.range(List.of(bad.url("/wide-ok.html")), null, null)
                                .withBudgets(200, 64L << 20, Duration.ofSeconds(10)));
                assertThat(r.stats().fetches()).isLessThanOrEqualTo(200);
                assertThat(r.stats().complete()).isFalse();
                assertThat(r.skipped())
                        .anySatisfy(
                                s -> assertThat(s.reason()).contains("node budget of 200 spent"));
            }
        });
    }

    @Test
    void chainAThousandLevelsDeepEndsWhereHeightsStopFalling() {
        assertTimeoutPreemptively(BOUND, () -> {
            for (int i = 0; i < 1_000; i++) {
                int h = Math.max(1, 64 - i);
                bad.html(
                        "/chain/" + i + ".html",
                        internal(h, null, null, child((i + 1) + ".html", null, null, h - 1, 1)));
            }
            SearchResult r = apple(bad.url("/chain/0.html"));
            assertThat(r.hits()).isEmpty();
            assertThat(r.stats().fetches()).isLessThanOrEqualTo(66);
            assertThat(r.skipped())
                    .anySatisfy(s -> assertThat(s.reason()).contains("does not fall below"));
        });
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertTimeoutPreemptively(BOUND, () -> {
            byte[] body = leaf(null, null, "apple", "https://example.org/evil")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] broken = Arrays.copyOf(body, body.length + 2);
            broken[body.length] = (byte) 0xC3;
            broken[body.length + 1] = (byte) 0x28;
            bad.bytes("/latin.html", "text/html", broken);
            URI latin = bad.url("/latin.html");
            assertRoutedAround(apple(rootAround("latin-root", latin)), latin, "not UTF-8");
        });
    }

    @Test
    void serverThatResetsConnectionsIsRoutedAround() throws Exception {
        try (ServerSocket resetting = new ServerSocket()) {
            resetting.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 0));
            Thread t = new Thread(
                    () -> {
                        while (!resetting.isClosed()) {
                            try (Socket s = resetting.accept()) {
                                InputStream in = s.getInputStream();
                                in.read(new byte[512]);
                                s.setSoLinger(true, 0); // close with RST
                            } catch (Exception e) {
                                // closed by the test, or the client went away first
                            }
                        }
                    },
                    "resetting-server");
            t.setDaemon(true);
            t.start();
            URI reset = URI.create("http://127.0.0.4:" + resetting.getLocalPort() + "/n.html");
            assertTimeoutPreemptively(BOUND, () -> {
                SearchResult r = apple(rootAround("reset-root", reset));
                assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
                assertThat(r.skipped())
                        .anySatisfy(s -> assertThat(s.url()).isEqualTo(reset.toString()));
            });
        }
    }

    @Test
    void timeBudgetReturnsWhatWasFound() {
        assertTimeoutPreemptively(BOUND, () -> {
            bad.route("/stall.html", (req, res, out) -> {
                for (int i = 0; i < 10 && !closing.get(); i++) {
                    Thread.sleep(500);
                }
            });
            SearchResult r = searcher.search(SearchRequest.words(
                            List.of(good.url("/leaf.html"), bad.url("/stall.html")),
                            List.of("apple"))
                    .withBudgets(1_000, 64L << 20, Duration.ofMillis(800)));
            assertThat(r.stats().complete()).isFalse();
            assertThat(r.stats().millis()).isLessThan(3_000);
            assertThat(r.hits()).extracting(h -> h.entry().key()).containsExactly("apple");
        });
    }
}
