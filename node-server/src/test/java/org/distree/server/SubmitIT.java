package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distree.html.IndexPage;
import org.distree.html.NodeWriter;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submissions end to end: one daemon submits its nodes to another over loopback. */
class SubmitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    Path dir;

    @Test
    void aGoodNodeIsQueuedAndBadOnesAreRejectedWithTheReason() throws Exception {
        try (TestDaemon a = TestDaemon.start(dir.resolve("a"), Map.of());
                TestDaemon b =
                        TestDaemon.start(dir.resolve("b"), Map.of("allow-private", "true"))) {
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                tsv.append("apple")
                        .append(i)
                        .append("\thttps://a.example/")
                        .append(i)
                        .append('\n');
            }
            assertThat(a.postEntries(tsv.toString()).statusCode()).isEqualTo(200);
            String leaf = IndexPage.rootHref(Files.readString(a.data.resolve("index.html")));
            Files.write(a.data.resolve("n/fff.html"), NodeWriter.write(NodeFile.of(tooBig())));

            URI good = a.url.resolve("/" + leaf);
            List<URI> urls = List.of(
                    good,
                    a.url.resolve("/n/fff.html"),
                    a.url.resolve("/n/eee.html"),
                    a.url.resolve("/"));
            StringBuilder form = new StringBuilder();
            for (URI u : urls) {
                form.append(form.length() == 0 ? "" : "&")
                        .append("url=")
                        .append(URLEncoder.encode(u.toString(), StandardCharsets.UTF_8));
            }
            HttpResponse<String> r = b.post("/submit", FORM, form.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode receipt = JSON.readTree(r.body());
            String id = receipt.get("receipt").asText();
            assertThat(r.headers().firstValue("Location"))
                    .hasValue("http://127.0.0.1/submit/" + id);

            JsonNode status = awaitChecked(b, id);
            JsonNode items = status.get("urls");
            assertThat(items.get(0).get("state").asText()).isEqualTo("accepted");
            assertThat(items.get(1).get("state").asText()).isEqualTo("rejected");
            assertThat(items.get(1).get("detail").asText()).startsWith("10KB");
            assertThat(items.get(2).get("state").asText()).isEqualTo("rejected");
            assertThat(items.get(2).get("detail").asText()).contains("404");
            assertThat(items.get(3).get("state").asText()).isEqualTo("rejected");

            List<Path> queued;
            try (Stream<Path> files = Files.list(b.data.resolve(SubmissionQueue.FOLDER))) {
                queued = files.toList();
            }
            assertThat(queued).hasSize(1);
            JsonNode q = JSON.readTree(queued.get(0).toFile());
            assertThat(q.get("format").asText()).isEqualTo(SubmissionQueue.FORMAT);
            assertThat(q.get("receipt").asText()).isEqualTo(id);
            assertThat(q.get("url").asText()).isEqualTo(good.toString());
            assertThat(q.get("from").asText()).isEqualTo("127.0.0.1");
            assertThat(q.get("node").get("height").asInt()).isZero();
            assertThat(q.get("node").get("size").asInt()).isEqualTo(40);
            assertThat(q.get("node").has("low")).isFalse();
            assertThat(b.get("/metrics").body())
                    .contains("distree_submissions_total{outcome=\"accepted\"} 1")
                    .contains("distree_submissions_total{outcome=\"rejected\"} 3")
                    .contains("distree_submissions_queued 1");
        }
    }

    @Test
    void tooManyPendingSubmissionsGet503WithRetryAfter() throws Exception {
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TestDaemon b = TestDaemon.start(
                        dir.resolve("b"),
                        Map.of(
                                "allow-private",
                                "true",
                                "max-pending-submissions",
                                "1",
                                "shutdown-timeout-ms",
                                "500"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (held.size() < 10) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // The test is over.
                }
            });
            acceptor.start();
            String url = "url="
                    + URLEncoder.encode(
                            "http://127.0.0.1:" + silent.getLocalPort() + "/n/1.html",
                            StandardCharsets.UTF_8);
            assertThat(b.post("/submit", FORM, url).statusCode()).isEqualTo(202);
            HttpResponse<String> busy = b.post("/submit", FORM, url);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static JsonNode awaitChecked(TestDaemon b, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode status = JSON.readTree(b.get("/submit/" + id).body());
            boolean pending = false;
            for (JsonNode i : status.get("urls")) {
                pending |= i.get("state").asText().equals("pending");
            }
            if (!pending) {
                return status;
            }
            assertThat(System.nanoTime()).as("checks done within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** A leaf of about 20 KB: it breaks the 10 KB rule. */
    private static Node tooBig() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(Entry.of(
                    String.format(Locale.ROOT, "k%04d", i),
                    "https://big.example/" + i,
                    "A title long enough",
                    "a comment ".repeat(8)));
        }
        return Node.leaf(Range.ALL, entries, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
