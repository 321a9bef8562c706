package org.distree.crawl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.html.NodeWriter;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.testing.StubServer;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The crawler's fetcher's conditional GET ({@link HttpNodeSource#fetchIfChanged}) against a real
 * JDK HTTP server on 127.0.0.2 that sends Last-Modified only, under the fetcher's limits and
 * robots.txt.
 */
class ConditionalGetIT {
    static final String MODIFIED = "Thu, 03 Dec 2026 07:00:00 GMT";

    StubServer server;
    URI base;
    final AtomicInteger bodies = new AtomicInteger();
    final byte[] node = NodeWriter.write(NodeFile.of(Node.leaf(
            Range.ALL,
            List.of(Entry.of("apple", "https://e.org/a", "Apples", "")),
            Instant.parse("2026-12-03T07:00:00Z"))));

    @BeforeEach
    void start() throws Exception {
        server = new StubServer("127.0.0.2");
        server.route("/n/1.html", (req, res, out) -> {
            res.getHeaders().put(HttpHeader.LAST_MODIFIED, MODIFIED);
            if (MODIFIED.equals(req.getHeaders().get(HttpHeader.IF_MODIFIED_SINCE))) {
                res.setStatus(304);
            } else {
                bodies.incrementAndGet();
                res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                res.getHeaders().put(HttpHeader.CONTENT_LENGTH, node.length);
                out.write(node);
            }
        });
        server.route("/big.html", (req, res, out) -> {
            // No length: chunked, the size is known only while it streams.
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 8; i++) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                // The client stopped reading: what the test wants.
            }
        });
        server.route("/304.html", (req, res, out) -> res.setStatus(304));
        server.bytes(
                "/robots.txt",
                "text/plain",
                "User-agent: *\nDisallow: /private/\n".getBytes(UTF_8));
        server.route("/private/1.html", (req, res, out) -> {
            bodies.incrementAndGet();
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
            res.getHeaders().put(HttpHeader.CONTENT_LENGTH, node.length);
            out.write(node);
        });
        server.bytes("/plain.txt", "text/plain", node);
        base = server.url("/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The fetcher as the maintainer makes it: its limits, a 10 s exchange. */
    private static HttpNodeSource source(boolean allowPrivate) {
        Duration t = Duration.ofSeconds(10);
        return new HttpNodeSource(CrawlConfig.defaults()
                .withPrivateAddresses(allowPrivate)
                .withTimeouts(Duration.ofSeconds(5), t, t));
    }

    @Test
    void aFileUnchangedSinceItsLastModifiedIsAnswered304WithNoBody() throws Exception {
        try (HttpNodeSource f = source(true)) {
            Revalidated first = f.fetchIfChanged(base.resolve("n/1.html"), Validators.NONE);
            assertThat(first.notModified()).isFalse();
            assertThat(first.fetched().bytes()).isEqualTo(node.length);
            assertThat(first.fetched().file().node().entries()).hasSize(1);
            assertThat(first.validators()).isEqualTo(new Validators(null, MODIFIED));

            Revalidated second = f.fetchIfChanged(base.resolve("n/1.html"), first.validators());
            assertThat(second.notModified()).isTrue();
            assertThat(second.validators()).isEqualTo(first.validators());
            assertThat(bodies.get()).isEqualTo(1);
        }
    }

    @Test
    void a304IsAnAnswerOnlyToValidatorsSent() throws Exception {
        try (HttpNodeSource f = source(true)) {
            assertThatThrownBy(() -> f.fetchIfChanged(base.resolve("304.html"), Validators.NONE))
                    .isInstanceOfSatisfying(
                            NodeFetchException.class,
                            e -> assertThat(e.status()).isEqualTo(304));
            assertThatThrownBy(() -> f.fetch(base.resolve("304.html")))
                    .isInstanceOf(NodeFetchException.class);

            Validators etag = new Validators("\"v1\"", null);
            Revalidated r = f.fetchIfChanged(base.resolve("304.html"), etag);

            assertThat(r.notModified()).isTrue();
            assertThat(r.validators()).isEqualTo(etag);
        }
    }

    @Test
    void robotsTxtHolds() throws Exception {
        try (HttpNodeSource f = source(true)) {
            assertThatThrownBy(
                            () -> f.fetchIfChanged(base.resolve("private/1.html"), Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("disallowed by robots.txt");
            assertThat(bodies.get()).isZero();
        }
    }

    @Test
    void theCrawlersLimitsHold() throws Exception {
        try (HttpNodeSource f = source(true)) {
            assertThatThrownBy(() -> f.fetchIfChanged(base.resolve("big.html"), Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("byte limit");
            assertThatThrownBy(() -> f.fetchIfChanged(base.resolve("plain.txt"), Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("is not HTML");
        }
        try (HttpNodeSource f = source(false)) {
            assertThatThrownBy(() -> f.fetchIfChanged(base.resolve("n/1.html"), Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("private or local address");
            assertThat(bodies.get()).isZero();
        }
    }
}
