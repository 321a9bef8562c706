package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.distree.html.IndexPage;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon over real HTTP on loopback: files, limits, entries, submissions, pages. */
class NodeServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = TestDaemon.start(
                dir.resolve("tree"), Map.of("max-body-bytes", "65536", "max-submit-urls", "4"));
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            tsv.append("key")
                    .append(i)
                    .append("\thttps://example.org/")
                    .append(i)
                    .append("\tTitle ")
                    .append(i)
                    .append("\tcomment ")
                    .append(i)
                    .append('\n');
        }
        assertThat(d.postEntries(tsv.toString()).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    private String rootPath() throws Exception {
        return "/" + IndexPage.rootHref(Files.readString(d.data.resolve("index.html")));
    }

    private long storedEntries() throws Exception {
        return Walk.run(
                        new FileSource(),
                        d.data.resolve("index.html").toUri(),
                        Query.range(null, null),
                        100_000)
                .hits()
                .size();
    }

    @Test
    void conditionalGetReturns304() throws Exception {
        HttpResponse<String> first = d.get(rootPath());
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control").orElseThrow())
                .contains("max-age=60");

        HttpResponse<String> byEtag = d.get(rootPath(), "If-None-Match", etag);
        assertThat(byEtag.statusCode()).isEqualTo(304);
        assertThat(byEtag.body()).isEmpty();
        assertThat(d.get(rootPath(), "If-Modified-Since", modified).statusCode())
                .isEqualTo(304);
        assertThat(d.get(rootPath(), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        // An unreadable date is ignored: the client gets the file, not an empty 304.
        HttpResponse<String> badDate = d.get(rootPath(), "If-Modified-Since", "yesterday");
        assertThat(badDate.statusCode()).isEqualTo(200);
        assertThat(badDate.body()).isEqualTo(first.body());
    }

    @Test
    void gzipWorksAndKeepsConditionalGets() throws Exception {
        byte[] plain = Files.readAllBytes(d.data.resolve(rootPath().substring(1)));
        HttpResponse<byte[]> gz = d.getBytes(rootPath(), "Accept-Encoding", "gzip");
        assertThat(gz.statusCode()).isEqualTo(200);
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
        assertThat(unzipped).isEqualTo(plain);
        assertThat(gz.body().length).isLessThan(plain.length);

        String etag = gz.headers().firstValue("ETag").orElseThrow();
        assertThat(d.getBytes(rootPath(), "Accept-Encoding", "gzip", "If-None-Match", etag)
                        .statusCode())
                .isEqualTo(304);
    }

    @Test
    void headAnswersWithoutBody() throws Exception {
        HttpResponse<String> head = d.client.send(
                java.net.http.HttpRequest.newBuilder(d.url.resolve(rootPath()))
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).isPresent();
        assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(Files.size(d.data.resolve(rootPath().substring(1)))));
    }

    @Test
    void aNodeFileChangedByAWriteIsServedWithItsNewContentAndANewEtag() throws Exception {
        // As if the tree had been written long ago, so the daemon keeps its files in memory.
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
        try (var files = Files.list(d.data.resolve("n"))) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, old);
            }
        }
        String root = rootPath();
        HttpResponse<String> before = d.get(root);
        String etag = before.headers().firstValue("ETag").orElseThrow();
        assertThat(d.get(root, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> gzBefore = d.getBytes(root, "Accept-Encoding", "gzip");

        assertThat(d.postEntries("kiwi\thttps://example.org/kiwi\tKiwis\n").statusCode())
                .isEqualTo(200);
        assertThat(rootPath()).isEqualTo(root);
        String onDisk = Files.readString(d.data.resolve(root.substring(1)));
        HttpResponse<String> after = d.get(root);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body())
                .isEqualTo(onDisk)
                .contains("301 entries")
                .isNotEqualTo(before.body());
        String newEtag = after.headers().firstValue("ETag").orElseThrow();
        assertThat(newEtag).isNotEqualTo(etag);
        assertThat(d.get(root, "If-None-Match", etag).statusCode()).isEqualTo(200);
        assertThat(d.get(root, "If-None-Match", newEtag).statusCode()).isEqualTo(304);

        HttpResponse<byte[]> gzAfter = d.getBytes(root, "Accept-Encoding", "gzip");
        assertThat(gzAfter.headers().firstValue("ETag"))
                .isNotEqualTo(gzBefore.headers().firstValue("ETag"));
        assertThat(new String(
                        new GZIPInputStream(new ByteArrayInputStream(gzAfter.body()))
                                .readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(onDisk);
    }

    @Test
    void nodeFilesAnswerRangesPreconditionsAndOnlyReads() throws Exception {
        String root = rootPath();
        byte[] plain = Files.readAllBytes(d.data.resolve(root.substring(1)));
        HttpResponse<String> part = d.get(root, "Range", "bytes=0-9");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body())
                .isEqualTo(new String(plain, 0, 10, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(part.headers().firstValue("Content-Range"))
                .hasValue("bytes 0-9/" + plain.length);
        HttpResponse<String> beyond = d.get(root, "Range", "bytes=" + plain.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range"))
                .hasValue("bytes */" + plain.length);
        // If-Range with another version's ETag: the whole file.
        assertThat(d.get(root, "Range", "bytes=0-9", "If-Range", "\"old\"").statusCode())
                .isEqualTo(200);

        String etag = d.get(root).headers().firstValue("ETag").orElseThrow();
        assertThat(d.get(root, "If-Match", etag).statusCode()).isEqualTo(200);
        assertThat(d.get(root, "If-Match", "\"old\"").statusCode()).isEqualTo(412);

        HttpResponse<String> post = d.post(root, "text/html", "<p>");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(Files.readAllBytes(d.data.resolve(root.substring(1)))).isEqualTo(plain);
    }

    @Test
    void noHandlerBlocksASelectorThread() throws Exception {
        // Node files are answered on Jetty's selector threads only while every handler before
        // them says it never blocks; a blocking one would send each request through the pool.
        assertThat(d.server.handlersBlock()).isFalse();
        // The blocking handlers still work, on the pool.
        assertThat(d.get("/search?q=key1", "Accept", "application/json").statusCode())
                .isEqualTo(200);
        assertThat(d.get("/n/").statusCode()).isEqualTo(404);
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        Files.writeString(dir.resolve("secret.html"), "secret");
        List<String> attempts = List.of(
                "/../secret.html",
                "/n/../../secret.html",
                "/%2e%2e/secret.html",
                "/n/%2e%2e/%2e%2e/secret.html",
                "/n/..%2f..%2fsecret.html",
                "/n/%2E%2E%2F%2E%2E%2Fsecret.html",
                "/%252e%252e/secret.html",
                "/n/%252e%252e%252fsecret.html",
                "/.distree/token",
                "/.distree/lock",
                "/n/../.distree/token",
                "/n/%2e%2e/.distree/token",
                "/%2edistree/token",
                "/.distree/submissions/",
                "/n/",
                "/n",
                "/n/../../",
                "/index.html/..%2f..%2fsecret",
                "/n/..\\..\\secret.html",
                "/n/%5c..%5csecret.html");
        for (String path : attempts) {
            String status = d.raw("GET " + path + " HTTP/1.1");
            assertThat(status).as(path).matches("HTTP/1\\.1 4\\d\\d .*");
        }
        assertThat(d.raw("GET /index.html HTTP/1.1")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aSiteIndexsRecordsSearchPageAndScriptAreServedAndNothingBeside() throws Exception {
        // As index-site leaves them beside the tree (the daemon holds the tree itself).
        for (String name :
                List.of(org.distree.site.SearchAssets.PAGE, org.distree.site.SearchAssets.SCRIPT)) {
            try (java.io.InputStream in =
                    org.distree.site.SearchAssets.class.getResourceAsStream(name)) {
                Files.write(
                        d.data.resolve(name),
                        java.util.Objects.requireNonNull(in).readAllBytes());
            }
        }
        Files.createDirectories(d.data.resolve("p"));
        Files.writeString(d.data.resolve("p/1z.html"), "<!doctype html><title>record</title>");
        Files.writeString(d.data.resolve("p/notes.txt"), "not served");

        HttpResponse<String> page = d.get("/search.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        HttpResponse<String> script = d.get("/distree-search.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValue("text/javascript;charset=utf-8");
        HttpResponse<String> record = d.get("/p/1z.html");
        assertThat(record.statusCode()).isEqualTo(200);
        assertThat(record.body()).contains("record");
        String etag = record.headers().firstValue("ETag").orElseThrow();
        assertThat(d.get("/p/1z.html", "If-None-Match", etag).statusCode()).isEqualTo(304);

        for (String path : List.of("/p/notes.txt", "/p/1Z.html", "/p/", "/p/../search.html")) {
            assertThat(d.raw("GET " + path + " HTTP/1.1"))
                    .as(path)
                    .matches("HTTP/1\\.1 (4\\d\\d|200) .*");
        }
        assertThat(d.get("/p/notes.txt").statusCode()).isEqualTo(404);
        assertThat(d.get("/p/1Z.html").statusCode()).isEqualTo(404);
        assertThat(d.get("/p/").statusCode()).isEqualTo(404);
    }

    @Test
    void noFolderIsListed() throws Exception {
        assertThat(d.get("/n/").statusCode()).isEqualTo(404);
        assertThat(d.get("/n/").body()).doesNotContain(".html");
    }

    @Test
    void entriesWithoutTheTokenAreRefused() throws Exception {
        String tsv = "intruder\thttps://evil.example/\n";
        assertThat(d.post("/entries", "text/tab-separated-values", tsv).statusCode())
                .isEqualTo(401);
        assertThat(d.post(
                                "/entries",
                                "text/tab-separated-values",
                                tsv,
                                "Authorization",
                                "Bearer wrong-token-of-some-length")
                        .statusCode())
                .isEqualTo(401);
        assertThat(d.post(
                                "/entries",
                                "text/tab-separated-values",
                                tsv,
                                "Authorization",
                                "Basic " + d.token())
                        .statusCode())
                .isEqualTo(401);
        assertThat(storedEntries()).isEqualTo(300);
    }

    @Test
    void entriesAreDurableAndSearchable() throws Exception {
        HttpResponse<String> json = d.post(
                "/entries?wait=applied",
                "application/json",
                "[{\"key\":\"zeta\",\"link\":\"https://z.example/\",\"title\":\"Z\"},"
                        + "{\"key\":\"zeta\",\"link\":\"https://z2.example/\"}]",
                "Authorization",
                "Bearer " + d.token());
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(json.body()).get("added").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(json.body()).get("applied").asBoolean()).isTrue();
        assertThat(storedEntries()).isEqualTo(302);
        // Without waiting: answered once durable in the entry log, in the tree shortly after.
        HttpResponse<String> durable = d.post(
                "/entries",
                "text/tab-separated-values",
                "eta\thttps://eta.example/\n",
                "Authorization",
                "Bearer " + d.token());
        assertThat(durable.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(durable.body()).get("applied").asBoolean()).isFalse();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (storedEntries() < 303 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(storedEntries()).isEqualTo(303);

        HttpResponse<String> search =
                d.get("/search?q=zeta&mode=exact", "Accept", "application/json");
        JsonNode r = JSON.readTree(search.body());
        assertThat(r.get("total").asInt()).isEqualTo(2);
        assertThat(r.get("results").get(0).get("link").asText()).isEqualTo("https://z.example/");
        assertThat(d.get("/search?q=key1&mode=prefix").body()).contains("Title 10");
    }

    @Test
    void malformedEntriesGet400AndStoreNothing() throws Exception {
        String token = "Bearer " + d.token();
        List<HttpResponse<String>> bad = new ArrayList<>();
        bad.add(d.post(
                "/entries",
                "text/tab-separated-values",
                "good\thttps://g.example/\nbad line without tab\n",
                "Authorization",
                token));
        bad.add(d.post(
                "/entries",
                "text/tab-separated-values",
                "x".repeat(65) + "\thttps://g.example/\n",
                "Authorization",
                token));
        bad.add(d.post(
                "/entries", "application/json", "[{\"key\":\"a\"}]", "Authorization", token));
        bad.add(d.post("/entries", "application/json", "{not json", "Authorization", token));
        bad.add(d.post("/entries", "application/json", "[]", "Authorization", token));
        bad.add(d.post("/entries", "application/pdf", "a\tb\n", "Authorization", token));
        bad.add(d.post("/entries", "text/plain", "a\tb\u0001c\n", "Authorization", token));
        HttpResponse<String> badWait = d.post(
                "/entries?wait=soon",
                "text/plain",
                "w\thttps://w.example/\n",
                "Authorization",
                token);
        assertThat(badWait.body()).contains("wait must be durable (the default) or applied");
        bad.add(badWait);
        for (HttpResponse<String> r : bad) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.");
        }
        assertThat(bad.get(0).body()).contains("body:2");
        assertThat(storedEntries()).isEqualTo(300);
    }

    @Test
    void oversizedBodiesGet413AndStoreNothing() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() <= 70_000; i++) {
            big.append("big")
                    .append(i)
                    .append("\thttps://big.example/")
                    .append(i)
                    .append('\n');
        }
        HttpResponse<String> r = d.postEntries(big.toString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(storedEntries()).isEqualTo(300);

        HttpResponse<String> form = d.post(
                "/submit",
                "application/x-www-form-urlencoded",
                "url=" + "https://a.example/".repeat(4000));
        assertThat(form.statusCode()).isEqualTo(413);
    }

    @Test
    void badSubmissionsGet4xxAndQueueNothing() throws Exception {
        String form = "application/x-www-form-urlencoded";
        List<HttpResponse<String>> bad = new ArrayList<>();
        bad.add(d.post("/submit", form, "url=ftp://a.example/n/1.html"));
        bad.add(d.post("/submit", form, "url=javascript:alert(1)"));
        bad.add(d.post("/submit", form, "url=http://127.0.0.1:9/n/1.html"));
        bad.add(d.post("/submit", form, "url=http://2130706433/n/1.html"));
        bad.add(d.post("/submit", form, "url=http://[::1]/n/1.html"));
        bad.add(d.post("/submit", form, "url=http://localhost/n/1.html"));
        bad.add(d.post("/submit", form, "url=http://user:pw@a.example/n/1.html"));
        bad.add(d.post("/submit", form, "url=https://a.example/" + "x".repeat(3000)));
        bad.add(d.post("/submit", form, "url=a&url=b&url=c&url=d&url=e"));
        bad.add(d.post("/submit", form, "nourl=1"));
        bad.add(d.post("/submit", "application/json", "{\"url\":\"https://a.example/\"}"));
        bad.add(d.post("/submit", form, "url=%zz"));
        for (HttpResponse<String> r : bad) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        }
        assertThat(d.get("/submit").statusCode()).isEqualTo(405);
        try (var files = Files.list(d.data.resolve(SubmissionQueue.FOLDER))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void tooLargeHeadersAreRefused() throws Exception {
        String status = d.raw("GET /healthz HTTP/1.1\r\nX-Big: " + "a".repeat(20_000));
        assertThat(status).startsWith("HTTP/1.1 431");
    }

    @Test
    void healthMetricsAndRootRedirect() throws Exception {
        assertThat(d.get("/healthz").body()).isEqualTo("ok\n");
        HttpResponse<String> m = d.get("/metrics");
        assertThat(m.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/plain; version=0.0.4");
        assertThat(m.body())
                .contains("# TYPE distree_entries gauge\ndistree_entries 300\n")
                .contains("distree_entries_added_total 300\n")
                .containsPattern("distree_http_requests_total\\{code=\"2xx\"} [1-9]")
                .contains("distree_nodes ");
        for (String line : m.body().lines().toList()) {
            assertThat(line)
                    .matches("# (HELP|TYPE) distree_\\w+ .+|distree_\\w+(\\{\\w+=\"\\w+\"})?"
                            + " (-?[0-9.e+]+|NaN)");
        }
        HttpResponse<String> wk = d.get("/.well-known/distree");
        assertThat(wk.statusCode()).isEqualTo(302);
        assertThat(wk.headers().firstValue("Location").orElseThrow())
                .isEqualTo("http://127.0.0.1/" + rootPath().substring(1));
        HttpResponse<String> landing = d.get("/");
        assertThat(landing.body()).contains("300 entries").contains("rel=\"distree-root\"");
        assertThat(landing.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'");
        assertThat(d.get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void searchRefusesBadQueriesWithA400() throws Exception {
        assertThat(d.get("/search?q=a&mode=regex").statusCode()).isEqualTo(400);
        assertThat(d.get("/search?q=" + "a".repeat(300)).statusCode()).isEqualTo(400);
        assertThat(d.get("/search?q=b..a&mode=range").statusCode()).isEqualTo(400);
        assertThat(d.get("/search?q=a&limit=0").statusCode()).isEqualTo(400);
        assertThat(d.get("/search?q=", "Accept", "application/json").statusCode())
                .isEqualTo(400);
        assertThat(d.get("/search").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfter() throws Exception {
        try (TestDaemon limited = TestDaemon.start(
                dir.resolve("limited"), Map.of("rate-limit", "5", "rate-burst", "5"))) {
            int limitedCount = 0;
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = limited.get("/healthz");
                if (r.statusCode() == 429) {
                    limitedCount++;
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                }
            }
            assertThat(limitedCount).isGreaterThan(20);
            assertThat(limited.get("/metrics").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void stoppingFinishesWritesInFlightAndLosesNoAcknowledgedEntry() throws Exception {
        java.util.Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String token = d.token();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int id = c;
            Thread t = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    StringBuilder tsv = new StringBuilder();
                    List<String> batch = new ArrayList<>();
                    for (int j = 0; j < 20; j++) {
                        String key = "s" + id + "-" + i + "-" + j;
                        tsv.append(key)
                                .append("\thttps://s.example/")
                                .append(key)
                                .append('\n');
                        batch.add(key);
                    }
                    try {
                        HttpResponse<String> r = d.post(
                                "/entries",
                                "text/tab-separated-values",
                                tsv.toString(),
                                "Authorization",
                                "Bearer " + token);
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 200) {
                            acked.addAll(batch);
                        }
                    } catch (Exception e) {
                        return; // Refused once the daemon stopped listening.
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (acked.size() < 400 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        d.close();
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(statuses).isSubsetOf(200, 503);
        java.util.Set<String> stored = new java.util.HashSet<>();
        for (Walk.Hit h : Walk.run(
                        new FileSource(),
                        d.data.resolve("index.html").toUri(),
                        Query.range(null, null),
                        100_000)
                .hits()) {
            stored.add(h.entry().key());
        }
        assertThat(stored).containsAll(acked);
    }

    @Test
    void lintFindsNothingAfterWrites() throws Exception {
        d.close();
        try (NodeStore store = NodeStore.open(d.data)) {
            Linter.Report report = Linter.lintFolder(new FileSource(), d.data, store.nodeNames());
            assertThat(report.violations()).isEmpty();
            assertThat(report.stats().entries()).isEqualTo(300);
        }
    }
}
