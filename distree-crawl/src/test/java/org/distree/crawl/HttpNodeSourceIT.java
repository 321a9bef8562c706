package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.distree.html.NodeFormatException;
import org.distree.query.NodeSource;
import org.distree.testing.StubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpNodeSourceIT {
    static StubServer server;
    static HttpNodeSource source;

    @BeforeAll
    static void start() throws Exception {
        server = new StubServer("127.0.0.1");
        source = new HttpNodeSource(CrawlConfig.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        server.close();
    }

    @Test
    void fetchesAndParsesANode() throws Exception {
        server.html("/leaf.html", TestNodes.leaf("a", "z", "apple", "https://e.org/a"));
        NodeSource.Fetched f = source.fetch(server.url("/leaf.html#frag"));
        assertThat(f.file().node().entries()).extracting(e -> e.key()).containsExactly("apple");
        assertThat(f.url()).isEqualTo(server.url("/leaf.html"));
        assertThat(f.bytes()).isPositive();
    }

    @Test
    void reportsTheStatusOfAFailedFetch() {
        assertThatThrownBy(() -> source.fetch(server.url("/missing.html")))
                .isInstanceOfSatisfying(NodeFetchException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.url()).endsWith("/missing.html");
                });
        // Asked once: a refused answer is not asked again (HttpClient's retries would).
        assertThat(server.hits("/missing.html")).isEqualTo(1);
    }

    @Test
    void refusesAResponseThatIsNotHtml() {
        server.bytes("/img.html", "image/png", new byte[100]);
        assertThatThrownBy(() -> source.fetch(server.url("/img.html")))
                .isInstanceOf(NodeFetchException.class)
                .hasMessageContaining("not HTML");
    }

    @Test
    void refusesABodyOverTheCap() {
        server.bytes("/big.html", "text/html", new byte[300 * 1024]);
        assertThatThrownBy(() -> source.fetch(server.url("/big.html")))
                .isInstanceOf(NodeFetchException.class)
                .hasMessageContaining("byte limit");
        assertThat(server.hits("/big.html")).isEqualTo(1);
    }

    @Test
    void followsRedirectsAndResolvesAgainstTheFinalUrl() throws Exception {
        server.html("/moved/leaf.html", TestNodes.leaf(null, null, "k", "https://e.org/k"));
        server.redirect("/old.html", "/moved/leaf.html");
        NodeSource.Fetched f = source.fetch(server.url("/old.html"));
        assertThat(f.url().getPath()).isEqualTo("/moved/leaf.html");
    }

    @Test
    void readsTheCharsetFromTheHeader() throws Exception {
        String html = TestNodes.leaf(null, null, "caf\u00e9", "https://e.org/c");
        server.bytes(
                "/latin1.html",
                "text/html; charset=ISO-8859-1",
                html.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(source.fetch(server.url("/latin1.html"))
                        .file()
                        .node()
                        .entries()
                        .get(0)
                        .key())
                .isEqualTo("caf\u00e9");
    }

    @Test
    void refusesAFileUrl() {
        assertThatThrownBy(() -> source.fetch(URI.create("file:///etc/passwd")))
                .isInstanceOf(NodeFetchException.class)
                .hasMessageContaining("not an http");
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        server.bytes(
                "/bad.html", "text/html", new byte[] {'<', 'p', '>', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> source.fetch(server.url("/bad.html")))
                .isInstanceOf(NodeFormatException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void obeysRobotsTxt() throws Exception {
        try (StubServer s = new StubServer("127.0.0.1")) {
            s.bytes(
                    "/robots.txt",
                    "text/plain",
                    "User-agent: distree\nDisallow: /private/\n".getBytes(StandardCharsets.UTF_8));
            s.html("/private/leaf.html", TestNodes.leaf(null, null, "k", "https://e.org/k"));
            s.html("/public/leaf.html", TestNodes.leaf(null, null, "k", "https://e.org/k"));
            assertThat(source.fetch(s.url("/public/leaf.html")).bytes()).isPositive();
            assertThatThrownBy(() -> source.fetch(s.url("/private/leaf.html")))
                    .hasMessageContaining("robots.txt");
            assertThat(s.hits("/robots.txt")).isEqualTo(1);
            assertThat(s.hits("/private/leaf.html")).isZero();
        }
    }

    @Test
    void refusesLoopbackWhenPrivateAddressesAreOff() throws Exception {
        server.html("/leaf2.html", TestNodes.leaf(null, null, "k", "https://e.org/k"));
        try (HttpNodeSource strict =
                new HttpNodeSource(CrawlConfig.defaults().withPrivateAddresses(false))) {
            assertThatThrownBy(() -> strict.fetch(server.url("/leaf2.html")))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("private or local address");
        }
    }
}
