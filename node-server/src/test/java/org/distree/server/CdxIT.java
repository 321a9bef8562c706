package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            String path = switch (r.nextInt(5)) {
                case 0 -> "/";
                case 1 -> "/docs/p" + r.nextInt(40) + ".html";
                case 2 ->
                    "/docs/guide/" + "long-section-name-".repeat(2 + r.nextInt(3)) + r.nextInt(9);
                // Long captures (ARCHIVE.md): record entries and page records.
                case 3 -> "/track?id=" + r.nextInt(10) + "&t=" + "x".repeat(500 + r.nextInt(2500));
                default -> "/search?q=" + r.nextInt(20) + "&lang=en";
            };
            urls.add("http://" + host + path);
        }
        List<Entry> entries = new ArrayList<>();
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve(NodeStore.RECORD_DIR));
        int records = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) {
            String url = urls.get(r.nextInt(urls.size()));
            String ts = TS.format(LocalDateTime.ofEpochSecond(
                    1_400_000_000L + r.nextInt(300_000_000), 0, ZoneOffset.UTC));
            // Statuses and types vary with i, so that filters have something to tell apart.
            String status = i % 7 == 0 ? "404" : i % 5 == 0 ? "301" : "200";
            String mime = i % 3 == 0 ? "image/png" : "text/html";
            Capture c = CdxjReader.parse(Surt.of(url) + " " + ts + " {\"url\":\"" + url
                    + "\",\"mime\":\"" + mime + "\",\"status\":\"" + status
                    + "\",\"length\":\"" + i + "\"}");
            if (seen.add(c.key() + " " + url)) {
                captures.add(c);
                Capture.Indexed m = c.indexed(ReplayTemplate.defaults());
                entries.add(m.entry());
                byte[] record = m.record();
                if (record != null) {
                    Files.write(
                            data.resolve(java.util.Objects.requireNonNull(m.recordFile())), record);
                    records++;
                }
            }
        }
        assertThat(records).isGreaterThan(100);
        captures.sort(Comparator.comparing(Capture::line, Keys.ORDER));
        entries.sort(null);
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

    /** A field of a capture as pywb names it, from the JSON block ({@code ""} when absent). */
    private static String field(Capture c, String name) {
        try {
            return switch (name) {
                case "urlkey" -> c.surt();
                case "timestamp" -> c.timestamp();
                default -> {
                    JsonNode v = JSON.readTree(c.json()).get(name);
                    yield v == null ? "" : v.asText();
                }
            };
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void filterCollapseAndFlAnswerAsFilteringTheCdxjByHand() throws Exception {
        // Each filter as the parameter gives it, and the same test written out by hand.
        List<Map.Entry<String, Predicate<Capture>>> filters = List.of(
                Map.entry("=status:200", c -> field(c, "status").equals("200")),
                Map.entry("!=status:200", c -> !field(c, "status").equals("200")),
                Map.entry("mime:png", c -> field(c, "mime").contains("png")),
                Map.entry("!mimetype:png", c -> !field(c, "mime").contains("png")),
                Map.entry("~url:http://docs", c -> field(c, "url").startsWith("http://docs")),
                Map.entry("!~statuscode:[34]", c -> !field(c, "status").matches("[34].*")),
                Map.entry("=digest:", c -> field(c, "digest").isEmpty()),
                Map.entry("guide", c -> c.line().contains("guide")));
        List<String> collapses = List.of("", "urlkey", "timestamp:4", "status", "url:25");
        List<String> fls = List.of("", "url,status", "timestamp,urlkey,length", "m,s");
        Random r = new Random(11);
        int nonEmpty = 0;
        for (int q = 0; q < 120; q++) {
            String url = urls.get(r.nextInt(urls.size()));
            String host = hostOf(Surt.of(url)) + ")/";
            var f1 = filters.get(r.nextInt(filters.size()));
            var f2 = q % 3 == 0 ? filters.get(r.nextInt(filters.size())) : null;
            String collapse = collapses.get(r.nextInt(collapses.size()));
            String fl = fls.get(r.nextInt(fls.size()));
            boolean json = r.nextBoolean();
            List<Capture> kept = new ArrayList<>();
            String last = null;
            for (Capture c : captures) {
                if (!c.surt().startsWith(host) || !f1.getValue().test(c)) {
                    continue;
                }
                if (f2 != null && !f2.getValue().test(c)) {
                    continue;
                }
                if (!collapse.isEmpty()) {
                    String[] p = collapse.split(":", -1);
                    String v = field(c, p[0]);
                    String t = p.length > 1
                            ? v.substring(0, Math.min(v.length(), Integer.parseInt(p[1])))
                            : v;
                    if (t.equals(last)) {
                        continue;
                    }
                    last = t;
                }
                kept.add(c);
            }
            List<String> expected = new ArrayList<>();
            for (Capture c : kept) {
                if (fl.isEmpty()) {
                    expected.add(json ? null : c.line());
                    continue;
                }
                StringBuilder o = new StringBuilder("{");
                for (String name : fl.split(",", -1)) {
                    String full = name.equals("m") ? "mime" : name.equals("s") ? "length" : name;
                    if (!json && (full.equals("urlkey") || full.equals("timestamp"))) {
                        continue;
                    }
                    o.append(o.length() > 1 ? "," : "")
                            .append('"')
                            .append(full)
                            .append("\":\"")
                            .append(field(c, full))
                            .append('"');
                }
                o.append('}');
                expected.add(json ? o.toString() : c.surt() + " " + c.timestamp() + " " + o);
            }
            String query = "url=" + enc(url) + "&matchType=host&filter=" + enc(f1.getKey())
                    + (f2 == null ? "" : "&filter=" + enc(f2.getKey()))
                    + (collapse.isEmpty() ? "" : "&collapse=" + enc(collapse))
                    + (fl.isEmpty() ? "" : "&fl=" + enc(fl))
                    + (json ? "&output=json" : "");
            List<String> got = cdx(query);
            if (json && fl.isEmpty()) {
                // Whole objects: compare what they hold.
                assertThat(got).as(query).hasSize(kept.size());
                for (int i = 0; i < got.size(); i++) {
                    JsonNode o = JSON.readTree(got.get(i));
                    assertThat(o.get("urlkey").asText()).isEqualTo(kept.get(i).surt());
                    assertThat(o.get("timestamp").asText())
                            .isEqualTo(kept.get(i).timestamp());
                    assertThat(o.get("url").asText()).isEqualTo(kept.get(i).url());
                }
            } else {
                assertThat(got).as(query).isEqualTo(expected);
            }
            nonEmpty += kept.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).isGreaterThan(60);
    }

    @Test
    void collapseTimeKeepsTheFirstOfEachPeriodAndStatus() throws Exception {
        // The URL with the most captures.
        Map<String, Long> counts = captures.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        Capture::surt, java.util.stream.Collectors.counting()));
        String most = counts.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
        List<Capture> same =
                captures.stream().filter(x -> x.surt().equals(most)).toList();
        Capture c = same.get(0);
        List<String> expected = new ArrayList<>();
        String last = null;
        for (Capture x : same) {
            String t = x.timestamp().substring(0, 4) + " " + field(x, "status");
            if (!t.equals(last)) {
                expected.add(x.line());
            }
            last = t;
        }
        assertThat(expected.size()).isLessThan(same.size());
        assertThat(cdx("url=" + enc(c.url()) + "&collapseTime=4")).isEqualTo(expected);
    }

    @Test
    void badQueriesAre400sAndNoCaptureIsAnEmpty200() throws Exception {
        assertThat(daemon.get("/cdx").statusCode()).isEqualTo(400);
        assertThat(daemon.get("/cdx?url=example.com&matchType=regex").body()).contains("matchType");
        assertThat(daemon.get("/cdx?url=example.com&output=xml").statusCode()).isEqualTo(400);
        assertThat(daemon.get("/cdx?url=example.com&from=20x").statusCode()).isEqualTo(400);
        assertThat(daemon.get("/cdx?url=example.com&filter=~url:(").body()).contains("filter");
        assertThat(daemon.get("/cdx?url=example.com&collapse=url:x").body()).contains("collapse");
        assertThat(daemon.get("/cdx?url=example.com&collapseTime=15").statusCode())
                .isEqualTo(400);
        HttpResponse<String> none = daemon.get("/cdx?url=nothing.example/");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
    }
}
