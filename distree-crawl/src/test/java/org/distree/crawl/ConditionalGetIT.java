package org.distree.crawl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
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

    HttpServer server;
    URI base;
    final AtomicInteger bodies = new AtomicInteger();
    final byte[] node = NodeWriter.write(NodeFile.of(Node.leaf(
            Range.ALL,
            List.of(Entry.of("apple", "https://e.org/a", "Apples", "")),
            Instant.parse("2026-12-03T07:00:00Z"))));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/n/1.html", x -> {
            x.getResponseHeaders().add("Last-Modified", MODIFIED);
            if (MODIFIED.equals(x.getRequestHeaders().getFirst("If-Modified-Since"))) {
                x.sendResponseHeaders(304, -1);
            } else {
                bodies.incrementAndGet();
                x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                x.sendResponseHeaders(200, node.length);
                x.getResponseBody().write(node);
            }
            x.close();
        });
        server.createContext("/big.html", x -> {
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, 0); // chunked: the size is known only while it streams
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 8; i++) {
                    x.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException e) {
                // The client stopped reading: what the test wants.
            }
            x.close();
        });
        server.createContext("/304.html", x -> {
            x.sendResponseHeaders(304, -1);
            x.close();
        });
        server.createContext("/robots.txt", x -> {
            byte[] robots = "User-agent: *\nDisallow: /private/\n".getBytes(UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(200, robots.length);
            x.getResponseBody().write(robots);
            x.close();
        });
        server.createContext("/private/1.html", x -> {
            bodies.incrementAndGet();
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, node.length);
            x.getResponseBody().write(node);
            x.close();
        });
        server.createContext("/plain.txt", x -> {
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(200, node.length);
            x.getResponseBody().write(node);
            x.close();
        });
        server.start();
        base = URI.create("http://127.0.0.2:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
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
