package org.distree.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.HttpNodeSource;
import org.distree.maintain.MaintainerConfig;
import org.distree.rules.Linter;
import org.distree.testing.Ports;

/**
 * Real daemons on 127.0.0.2 and up, each told only the next one's root, maintaining themselves
 * on the intervals given; for the rings of the integration tests.
 */
final class DaemonRing implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<TestDaemon> daemons = new ArrayList<>();
    final Set<String> all = new TreeSet<>();

    /**
     * Starts {@code own.size()} daemons; daemon {@code i} gets the entries {@code own.get(i)}
     * (TSV lines {@code key<TAB>link}) through {@code POST /entries}.
     *
     * @param maintainer lines of {@code maintainer.properties} besides {@code peers}
     */
    DaemonRing(Path dir, List<List<String[]>> own, String maintainer) throws Exception {
        int n = own.size();
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = Ports.free(host(i));
        }
        try {
            for (int i = 0; i < n; i++) {
                int next = (i + 1) % n;
                Path data = dir.resolve("m" + i);
                Files.createDirectories(data);
                Files.writeString(
                        data.resolve(MaintainerConfig.FILE),
                        "peers=http://" + host(next) + ":" + ports[next] + "/\n" + maintainer);
                Map<String, String> s = new HashMap<>();
                s.put("bind", host(i));
                s.put("port", Integer.toString(ports[i]));
                s.put("base-url", "http://" + host(i) + ":" + ports[i] + "/");
                s.put("allow-private", "true");
                s.put("maintain", "true");
                s.put("fetch-timeout-ms", "5000");
                s.put("search-limit", "100000");
                s.put("search-max-nodes", "20000");
                TestDaemon d = TestDaemon.start(data, s);
                daemons.add(d);
                StringBuilder tsv = new StringBuilder();
                for (String[] e : own.get(i)) {
                    all.add(e[0]);
                    tsv.append(e[0]).append('\t').append(e[1]).append('\n');
                }
                if (d.postEntries(tsv.toString()).statusCode() != 200) {
                    throw new IOException("entries refused by " + d.url);
                }
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    static String host(int i) {
        return "127.0.0." + (i + 2);
    }

    /** The smallest share of {@link #all} that a range search from one of these roots finds. */
    static double minRecall(List<TestDaemon> roots, Set<String> wanted) throws Exception {
        double min = 1;
        for (TestDaemon d : roots) {
            Set<String> f = found(d);
            f.retainAll(wanted);
            min = Math.min(min, (double) f.size() / wanted.size());
        }
        return min;
    }

    /** The keys a range search over every key from the daemon's root finds. */
    static Set<String> found(TestDaemon d) throws Exception {
        return keys(searchAll(d));
    }

    /** The answer of a range search over every key from the daemon's root, as JSON. */
    static JsonNode searchAll(TestDaemon d) throws Exception {
        return JSON.readTree(d.get("/search?q=..&mode=range&format=json").body());
    }

    /** The keys of a search answer's results. */
    static Set<String> keys(JsonNode answer) {
        Set<String> out = new TreeSet<>();
        answer.get("results").forEach(h -> out.add(h.get("key").asText()));
        return out;
    }

    /**
     * Asserts that every daemon's tree lints clean over HTTP. The daemons keep running, and a
     * lint fetches file by file, so it can see a commit half made (a parent fetched before it,
     * its child after: a stale item, seen once in CI); a tree is taken as broken only when three
     * lints a second apart all find something.
     */
    static void assertLintsClean(List<TestDaemon> daemons)
            throws IOException, InterruptedException {
        try (HttpNodeSource http = new HttpNodeSource(CrawlConfig.defaults())) {
            for (TestDaemon d : daemons) {
                Linter.Report r = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    if (attempt > 0) {
                        Thread.sleep(1000);
                    }
                    r = Linter.lint(http, d.url.resolve("/index.html"), d.url, false, null);
                    if (r.violations().isEmpty()) {
                        break;
                    }
                }
                org.assertj.core.api.Assertions.assertThat(
                                java.util.Objects.requireNonNull(r).violations())
                        .as("lint of " + d.url + ", three times")
                        .isEmpty();
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (TestDaemon d : daemons) {
            d.close();
        }
    }
}
