package org.distree.maintain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.crawl.NodeFetchException;
import org.distree.html.NodeWriter;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conditional GET against a real JDK HTTP server on 127.0.0.2 that sends Last-Modified only. */
class ConditionalFetcherIT {
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

    @Test
    void aFileUnchangedSinceItsLastModifiedIsAnswered304WithNoBody() throws Exception {
        try (ConditionalFetcher f = new ConditionalFetcher(Duration.ofSeconds(10), true)) {
            Transport.Revalidated first =
                    f.fetch(base.resolve("n/1.html"), Transport.Validators.NONE);
            assertThat(first.notModified()).isFalse();
            assertThat(first.fetched().bytes()).isEqualTo(node.length);
            assertThat(first.fetched().file().node().entries()).hasSize(1);
            assertThat(first.validators()).isEqualTo(new Transport.Validators(null, MODIFIED));

            Transport.Revalidated second = f.fetch(base.resolve("n/1.html"), first.validators());
            assertThat(second.notModified()).isTrue();
            assertThat(second.validators()).isEqualTo(first.validators());
            assertThat(bodies.get()).isEqualTo(1);
        }
    }

    @Test
    void theCrawlersLimitsHold() throws Exception {
        try (ConditionalFetcher f = new ConditionalFetcher(Duration.ofSeconds(10), true)) {
            assertThatThrownBy(() -> f.fetch(base.resolve("big.html"), Transport.Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("byte limit");
            assertThatThrownBy(() -> f.fetch(base.resolve("plain.txt"), Transport.Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("is not HTML");
        }
        try (ConditionalFetcher f = new ConditionalFetcher(Duration.ofSeconds(10), false)) {
            assertThatThrownBy(() -> f.fetch(base.resolve("n/1.html"), Transport.Validators.NONE))
                    .isInstanceOf(NodeFetchException.class)
                    .hasMessageContaining("private or local address");
            assertThat(bodies.get()).isZero();
        }
    }
}
