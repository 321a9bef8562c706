package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.distree.archive.Capture;
import org.distree.archive.CdxjReader;
import org.distree.archive.ReplayTemplate;
import org.distree.archive.Surt;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /cdx} on a daemon serving a capture index of 3,000 captures over several hosts,
 * subdomains, ports and long URLs (cut keys): 200 sampled queries (exact, prefix, host, domain,
 * time ranges, closest) answer the same records, in the same order, as filtering the sorted
 * CDXJ lines by hand.
 */
class CdxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);
    private static final String[] HOSTS = {
        "example.com",
        "www.example.com",
        "docs.example.com",
        "a.docs.example.com",
        "example.com:8080",
        "example.org",
        "notexample.com"
    };

    @TempDir
    static Path dir;

    static TestDaemon daemon;
    static final List<String> urls = new ArrayList<>();
    static final List<Capture> captures = new ArrayList<>();

    @BeforeAll
    static void serveAnIndex() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 300; i++) {
            String host = HOSTS[r.nextInt(HOSTS.length)];
            String path = switch (r.nextInt(4)) {
                case 0 -> "/";
                case 1 -> "/docs/p" + r.nextInt(40) + ".html";
                case 2 ->
                    "/docs/guide/" + "long-section-name-".repeat(2 + r.nextInt(3)) + r.nextInt(9);
                default -> "/search?q=" + r.nextInt(20) + "&lang=en";
            };
            urls.add("http://" + host + path);
        }
        List<Entry> entries = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) {
            String url = urls.get(r.nextInt(urls.size()));
            String ts = TS.format(LocalDateTime.ofEpochSecond(
                    1_400_000_000L + r.nextInt(300_000_000), 0, ZoneOffset.UTC));
            Capture c = CdxjReader.parse(Surt.of(url) + " " + ts + " {\"url\":\"" + url
                    + "\",\"mime\":\"text/html\",\"status\":\"200\",\"length\":\"" + i + "\"}");
            if (seen.add(c.key() + " " + url)) {
                captures.add(c);
                entries.add(c.toEntry(ReplayTemplate.defaults()));
            }
        }
        captures.sort(Comparator.comparing(Capture::line, Keys.ORDER));
        entries.sort(null);
        Path data = dir.resolve("data");
        try (NodeStore store = NodeStore.open(data)) {
            new BulkBuilder(store, 0.9, null, Instant.now(), n -> {}).build(entries.iterator());
        }
        daemon = TestDaemon.start(data, Map.of("search-limit", "10000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static List<String> cdx(String query) throws Exception {
        HttpResponse<String> r = daemon.get("/cdx?" + query);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return r.body().lines().toList();
    }

    private static List<String> byHand(Predicate<Capture> p) {
        return captures.stream().filter(p).map(Capture::line).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hostOf(String surt) {
        int i = surt.indexOf(')');
        return surt.substring(0, i);
    }

    @Test
    void twoHundredSampledQueriesAnswerAsFilteringTheCdxjByHand() throws Exception {
        Random r = new Random(7);
        int nonEmpty = 0;
        for (int q = 0; q < 200; q++) {
            String url = urls.get(r.nextInt(urls.size()));
            String surt = Surt.of(url);
            List<String> expected;
            List<String> got;
            switch (q % 5) {
                case 0 -> {
                    expected = byHand(c -> c.surt().equals(surt));
                    got = cdx("url=" + enc(url));
                }
                case 1 -> {
                    // The URL cut somewhere in its path (before any query).
                    int hostEnd = url.indexOf('/', 8);
                    int q1 = url.indexOf('?');
                    int pathEnd = q1 < 0 ? url.length() : q1;
                    String asked = url.substring(0, hostEnd + 1 + r.nextInt(pathEnd - hostEnd));
                    String askedSurt = Surt.of(asked);
                    expected = byHand(c -> c.surt().startsWith(askedSurt));
                    got = cdx("url=" + enc(asked) + "&matchType=prefix");
                }
                case 2 -> {
                    String host = hostOf(surt) + ")/";
                    expected = byHand(c -> c.surt().startsWith(host));
                    got = cdx("url=" + enc(url) + "&matchType=host");
                }
                case 3 -> {
                    String h = hostOf(surt);
                    String d = h.contains(":") ? h.substring(0, h.indexOf(':')) : h;
                    String from = "20" + (14 + r.nextInt(5));
                    String to = "20" + (18 + r.nextInt(5));
                    expected = byHand(c -> {
                        String ch = hostOf(c.surt());
                        boolean in =
                                ch.equals(d) || ch.startsWith(d + ",") || ch.startsWith(d + ":");
                        return in
                                && c.timestamp().compareTo(from) >= 0
                                && c.timestamp().substring(0, 4).compareTo(to) <= 0;
                    });
                    got = cdx("url=" + enc(url) + "&matchType=domain&from=" + from + "&to=" + to);
                }
                default -> {
                    String closest = "20" + (14 + r.nextInt(9)) + "0601";
                    long target = LocalDateTime.parse(closest + "000000", TS)
                            .toEpochSecond(ZoneOffset.UTC);
                    List<Capture> same = new ArrayList<>(
                            captures.stream().filter(c -> c.surt().equals(surt)).toList());
                    same.sort(Comparator.<Capture>comparingLong(
                                    c -> Math.abs(LocalDateTime.parse(c.timestamp(), TS)
                                                    .toEpochSecond(ZoneOffset.UTC)
                                            - target))
                            .thenComparing(Capture::line, Keys.ORDER));
                    expected = same.stream().limit(3).map(Capture::line).toList();
                    got = cdx("url=" + enc(url) + "&closest=" + closest + "&sort=closest&limit=3");
                }
            }
            assertThat(got).as("query %d on %s", q, url).isEqualTo(expected);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).isGreaterThan(190);
    }

    @Test
    void jsonOutputIsOneObjectPerCaptureWithUrlkeyAndTimestamp() throws Exception {
        Capture c = captures.get(captures.size() / 2);
        HttpResponse<String> r =
                daemon.get("/cdx?url=" + enc(c.url()) + "&output=json&limit=1&sort=reverse");
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/x-ndjson");
        JsonNode o = JSON.readTree(r.body().lines().findFirst().orElseThrow());
        List<Capture> same =
                captures.stream().filter(x -> x.surt().equals(c.surt())).toList();
        Capture last = same.get(same.size() - 1);
        assertThat(o.get("urlkey").asText()).isEqualTo(c.surt());
        assertThat(o.get("timestamp").asText()).isEqualTo(last.timestamp());
        assertThat(o.get("url").asText()).isEqualTo(last.url());
    }

    @Test
    void badQueriesAre400sAndNoCaptureIsAnEmpty200() throws Exception {
        assertThat(daemon.get("/cdx").statusCode()).isEqualTo(400);
        assertThat(daemon.get("/cdx?url=example.com&matchType=regex").body()).contains("matchType");
        assertThat(daemon.get("/cdx?url=example.com&output=xml").statusCode()).isEqualTo(400);
        assertThat(daemon.get("/cdx?url=example.com&from=20x").statusCode()).isEqualTo(400);
        HttpResponse<String> none = daemon.get("/cdx?url=nothing.example/");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
    }
}
