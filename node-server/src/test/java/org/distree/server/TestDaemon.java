package org.distree.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.distree.crawl.Addresses;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.HttpNodeSource;
import org.distree.server.search.CrawlSearcher;
import org.jspecify.annotations.Nullable;

/**
 * A daemon on a loopback address (127.0.0.1 unless {@code bind} is set) with a free port, over a
 * folder, and a client for it. It searches with the crawler, as {@code distree serve} does.
 */
final class TestDaemon implements AutoCloseable {
    final Path data;
    final NodeServer server;
    final URI url;
    final HttpNodeSource remote;
    final CrawlSearcher searcher;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestDaemon(
            Path data, NodeServer server, HttpNodeSource remote, CrawlSearcher searcher) {
        this.data = data;
        this.server = server;
        this.url = server.url();
        this.remote = remote;
        this.searcher = searcher;
    }

    /** Starts a daemon over {@code data} with these settings over the test defaults. */
    static TestDaemon start(Path data, Map<String, String> settings) throws IOException {
        return start(data, settings, null, null);
    }

    /**
     * Starts a daemon whose submissions are fetched with names looked up by {@code lookup} and
     * connections allowed only to addresses that pass {@code allowed}: a test stands a loopback
     * address of its own for a public one. Null for both: the settings' {@code allow-private}.
     */
    static TestDaemon start(
            Path data,
            Map<String, String> settings,
            Addresses.@Nullable Lookup lookup,
            @Nullable Predicate<InetAddress> allowed)
            throws IOException {
        Map<String, String> all = new HashMap<>();
        all.put("data", data.toString());
        all.put("base-url", "http://127.0.0.1/");
        all.put("port", "0");
        all.put("rate-limit", "0");
        // Maintenance is off unless a test asks for it, so its jobs never race a test's checks.
        all.put("maintain", "false");
        all.putAll(settings);
        ServerConfig config = ServerConfig.of(all);
        // Short timeouts for the tests' submissions, unless a test sets the daemon's own: then
        // the daemon's (AttackConnectionsIT needs checks that outlive a flood of several
        // seconds; with a 2 s timeout a check ended early and freed its slot for another).
        CrawlConfig crawl = settings.containsKey("fetch-timeout-ms")
                ? NodeServer.crawlConfig(config).withRobots(false)
                : CrawlConfig.defaults()
                        .withPrivateAddresses(config.allowPrivate())
                        .withRobots(false)
                        .withTimeouts(
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(4));
        HttpNodeSource remote = lookup != null && allowed != null
                ? new HttpNodeSource(crawl, lookup, allowed)
                : new HttpNodeSource(crawl);
        CrawlSearcher searcher = NodeServer.searcher(config);
        try {
            return new TestDaemon(
                    data, NodeServer.start(config, remote, searcher), remote, searcher);
        } catch (IOException | RuntimeException e) {
            remote.close();
            searcher.close();
            throw e;
        }
    }

    String token() throws IOException {
        return Files.readString(data.resolve(".distree/token")).strip();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType);
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpRequest request = b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // A pooled keep-alive connection the server had just closed: the request never
            // reached the server (no response bytes at all), so sending it again is safe.
            if (String.valueOf(e.getMessage()).contains("received no bytes")) {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            throw e;
        }
    }

    /** {@code POST /entries?wait=applied}: answered once the entries are in the tree. */
    HttpResponse<String> postEntries(String tsv) throws Exception {
        return post(
                "/entries?wait=applied",
                "text/tab-separated-values",
                tsv,
                "Authorization",
                "Bearer " + token());
    }

    /**
     * The value of one series of {@code /metrics}, as {@code name} or {@code name{labels}} is
     * written there; fails the test when the series is not there.
     */
    double metric(String series) throws Exception {
        String body = get("/metrics").body();
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no series " + series + " in /metrics:\n" + body);
    }

    /**
     * Sends {@code requestHead} (request line and headers, without the blank line) exactly as
     * given over a socket, so no client normalizes the path; returns the status line.
     */
    String raw(String requestHead) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(url.getHost(), server.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((requestHead + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
            int eol = response.indexOf("\r\n");
            return eol < 0 ? response : response.substring(0, eol);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        remote.close();
        searcher.close();
    }
}
