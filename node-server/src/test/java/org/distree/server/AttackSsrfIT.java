package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.distree.crawl.Addresses;
import org.distree.html.NodeWriter;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.testing.StubServer;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side request forgery through {@code POST /submit} (issue 16, attack matrix): no
 * submission makes the daemon connect to a loopback, private or link-local address, however the
 * address is written, reached by name, by redirect, or by a name that changes its answer (DNS
 * rebinding).
 *
 * <p>The private target is a listening socket on 127.0.0.1 that counts the connections it
 * accepts: every case asserts it accepted none. Tests bind to loopback only, so a public server
 * is simulated: the daemon's fetcher is given a lookup of the test's (names such as {@code
 * public.example}) and counts 127.0.0.2 as public; every other address is judged by {@link
 * Addresses#isPublic}, as in {@code distree serve}.
 */
class AttackSsrfIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final InetAddress PUBLIC_STAND_IN = address("127.0.0.2");
    private static final InetAddress PRIVATE = address("127.0.0.1");

    @TempDir
    Path dir;

    ServerSocket target;
    final AtomicInteger connections = new AtomicInteger();
    StubServer outside;

    @BeforeEach
    void start() throws Exception {
        target = new ServerSocket(0, 50, PRIVATE);
        Thread t = new Thread(
                () -> {
                    while (!target.isClosed()) {
                        try (Socket s = target.accept()) {
                            connections.incrementAndGet();
                            s.shutdownOutput();
                        } catch (Exception e) {
                            // closed by the test
                        }
                    }
                },
                "private-target");
        t.setDaemon(true);
        t.start();
        outside = new StubServer(PUBLIC_STAND_IN.getHostAddress());
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
        outside.close();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How each private or local address may be written in a URL's host, with its port. */
    private List<String> privateHosts() {
        int p = target.getLocalPort();
        List<String> hosts = new ArrayList<>();
        for (String h : List.of(
                "127.0.0.1",
                "127.0.0.2",
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "169.254.169.254",
                "0.0.0.0",
                "[::1]",
                "[::]",
                "[fc00::1]",
                "[fd12:3456::1]",
                "[fe80::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:7f00:1]",
                "[::127.0.0.1]",
                "[64:ff9b::7f00:1]",
                "[2002:7f00:1::]",
                "2130706433",
                "0177.0.0.1",
                "0x7f.1",
                "0x7f000001",
                "127.1",
                "0",
                "localhost",
                "a.localhost")) {
            hosts.add(h + ":" + p);
        }
        return hosts;
    }

    private static String form(List<String> urls) {
        StringBuilder b = new StringBuilder();
        for (String u : urls) {
            b.append(b.length() == 0 ? "" : "&")
                    .append("url=")
                    .append(URLEncoder.encode(u, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static long queued(TestDaemon d) throws Exception {
        try (Stream<Path> files = Files.list(d.data.resolve(SubmissionQueue.FOLDER))) {
            return files.count();
        }
    }

    @Test
    void aPrivateAddressInAnyFormIsRefusedAtOnceWith400() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir.resolve("d"), Map.of())) {
            for (String host : privateHosts()) {
                HttpResponse<String> r =
                        d.post("/submit", FORM, form(List.of("http://" + host + "/n/1.html")));
                assertThat(r.statusCode()).as(host + ": " + r.body()).isEqualTo(400);
            }
            assertThat(queued(d)).isZero();
        }
        assertThat(connections.get()).isZero();
    }

    @Test
    void aNameThatResolvesToAPrivateAddressIsNotFetched() throws Exception {
        Addresses.Lookup lookup = host -> switch (host) {
            case "evil.example" -> new InetAddress[] {PRIVATE};
            case "mixed.example" -> new InetAddress[] {PUBLIC_STAND_IN, PRIVATE};
            case "v6.example" -> new InetAddress[] {address("::1")};
            default -> Addresses.SYSTEM.resolve(host);
        };
        try (TestDaemon d =
                TestDaemon.start(dir.resolve("d"), Map.of(), lookup, AttackSsrfIT::allowed)) {
            int p = target.getLocalPort();
            JsonNode status = submitAndAwait(
                    d,
                    List.of(
                            "http://evil.example:" + p + "/n/1.html",
                            "http://mixed.example:" + p + "/n/1.html",
                            "http://v6.example:" + p + "/n/1.html"));
            for (JsonNode item : status.get("urls")) {
                assertThat(item.get("state").asText()).as(item.toString()).isEqualTo("rejected");
                assertThat(item.get("detail").asText())
                        .as(item.toString())
                        .contains("a private or local address");
            }
            assertThat(queued(d)).isZero();
        }
        assertThat(connections.get()).isZero();
    }

    @Test
    void aRedirectFromAPublicServerToAPrivateAddressIsNotFollowed() throws Exception {
        List<String> urls = new ArrayList<>();
        List<String> hosts = privateHosts();
        hosts.add("evil.example:" + target.getLocalPort());
        for (int i = 0; i < hosts.size(); i++) {
            outside.redirect("/r" + i + ".html", "http://" + hosts.get(i) + "/n/1.html");
            urls.add("http://public.example:" + outside.port() + "/r" + i + ".html");
        }
        try (TestDaemon d = TestDaemon.start(
                dir.resolve("d"),
                Map.of("max-submit-urls", "64"),
                AttackSsrfIT::publicLookup,
                AttackSsrfIT::allowed)) {
            JsonNode status = submitAndAwait(d, urls);
            JsonNode items = status.get("urls");
            assertThat(items.size()).isEqualTo(urls.size());
            for (JsonNode item : items) {
                assertThat(item.get("state").asText()).as(item.toString()).isEqualTo("rejected");
            }
            assertThat(queued(d)).isZero();
        }
        // The public server was asked, and sent the daemon on; the daemon did not follow.
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(outside.hits("/r" + i + ".html")).as(hosts.get(i)).isPositive();
        }
        assertThat(connections.get()).isZero();
    }

    @Test
    void aNameThatResolvesPublicThenPrivateIsRefusedAtConnectTime() throws Exception {
        // The outside server closes each connection, so every fetch connects (and resolves)
        // anew, as fetches hours apart would.
        byte[] node = NodeWriter.write(NodeFile.of(leaf()));
        outside.route("/n/a.html", (req, res, out) -> {
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            res.getHeaders().put(HttpHeader.CONNECTION, "close");
            out.write(node);
        });
        AtomicInteger lookups = new AtomicInteger();
        Addresses.Lookup rebinding = host -> {
            if (!host.equals("rebind.example")) {
                return Addresses.SYSTEM.resolve(host);
            }
            // The first answer is public; every later one is the private target.
            return new InetAddress[] {lookups.getAndIncrement() == 0 ? PUBLIC_STAND_IN : PRIVATE};
        };
        // The private target listens on the outside server's port too, as the rebinding
        // attacker would arrange.
        try (ServerSocket samePort = new ServerSocket(outside.port(), 50, PRIVATE);
                TestDaemon d = TestDaemon.start(
                        dir.resolve("d"), Map.of(), rebinding, AttackSsrfIT::allowed)) {
            Thread t = new Thread(() -> {
                try (Socket s = samePort.accept()) {
                    connections.incrementAndGet();
                    s.shutdownOutput();
                } catch (Exception e) {
                    // closed by the test
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "http://rebind.example:" + outside.port() + "/n/a.html";
            JsonNode first = submitAndAwait(d, List.of(url)).get("urls").get(0);
            assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("accepted");
            JsonNode second =
                    submitAndAwait(d, List.of(url + "#again")).get("urls").get(0);
            assertThat(second.get("state").asText()).as(second.toString()).isEqualTo("rejected");
            assertThat(second.get("detail").asText()).contains("a private or local address");
            assertThat(lookups.get()).isGreaterThanOrEqualTo(2);
            assertThat(queued(d)).isEqualTo(1);
        }
        assertThat(outside.hits("/n/a.html")).isEqualTo(1);
        assertThat(connections.get()).isZero();
    }

    /** Counts the test's stand-in as public; everything else as {@code distree serve} does. */
    private static boolean allowed(InetAddress a) {
        return a.equals(PUBLIC_STAND_IN) || Addresses.isPublic(a);
    }

    /** {@code public.example} is the outside server; other names as the system says. */
    private static InetAddress[] publicLookup(String host) throws UnknownHostException {
        return switch (host) {
            case "public.example" -> new InetAddress[] {PUBLIC_STAND_IN};
            case "evil.example" -> new InetAddress[] {PRIVATE};
            default -> Addresses.SYSTEM.resolve(host);
        };
    }

    private static JsonNode submitAndAwait(TestDaemon d, List<String> urls) throws Exception {
        HttpResponse<String> r = d.post("/submit", FORM, form(urls));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = JSON.readTree(r.body()).get("receipt").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode status = JSON.readTree(d.get("/submit/" + id).body());
            boolean pending = false;
            for (JsonNode i : status.get("urls")) {
                pending |= i.get("state").asText().equals("pending");
            }
            if (!pending) {
                return status;
            }
            assertThat(System.nanoTime()).as("checks done within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Node leaf() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(Entry.of("apple" + i, "https://a.example/" + i, "Apple " + i, ""));
        }
        return Node.leaf(Range.ALL, entries, Instant.parse("2026-01-01T00:00:00Z"));
    }
}
