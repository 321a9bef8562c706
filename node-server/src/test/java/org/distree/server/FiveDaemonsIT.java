package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.HttpNodeSource;
import org.distree.maintain.MaintainerConfig;
import org.distree.rules.Linter;
import org.distree.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real daemons on 127.0.0.2 to 127.0.0.6, each with 12 own entries, each told only the
 * next one's root, maintaining themselves on millisecond intervals. Every root finds every entry
 * through {@code /search}; every tree lints clean over HTTP; after two daemons stop, each
 * survivor still finds every entry the survivors hold.
 */
class FiveDaemonsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MACHINES = 5;
    private static final int OWN = 12;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void everyRootFindsEveryEntryAndSurvivorsStillDoAfterTwoStop() throws Exception {
        int[] ports = new int[MACHINES];
        for (int i = 0; i < MACHINES; i++) {
            ports[i] = Ports.free(host(i));
        }
        List<TestDaemon> daemons = new ArrayList<>();
        try {
            Set<String> all = new TreeSet<>();
            for (int i = 0; i < MACHINES; i++) {
                int next = (i + 1) % MACHINES;
                Path data = dir.resolve("m" + i);
                Files.createDirectories(data);
                Files.writeString(
                        data.resolve(MaintainerConfig.FILE),
                        "peers=http://"
                                + host(next) + ":" + ports[next] + "/\ncopy-budget=-1\n"
                                + "sync-interval-ms=50\nsubmit-interval-ms=50\n"
                                + "link-check-interval-ms=200\nrules-interval-ms=50\n"
                                + "per-host-interval-ms=0\nsubmit-retry-ms=50\n");
                Map<String, String> s = new HashMap<>();
                s.put("bind", host(i));
                s.put("port", Integer.toString(ports[i]));
                s.put("base-url", "http://" + host(i) + ":" + ports[i] + "/");
                s.put("allow-private", "true");
                s.put("maintain", "true");
                s.put("fetch-timeout-ms", "5000");
                TestDaemon d = TestDaemon.start(data, s);
                daemons.add(d);
                StringBuilder tsv = new StringBuilder();
                for (int k = 0; k < OWN; k++) {
                    String key = "m" + i + "k" + k;
                    all.add(key);
                    tsv.append(key)
                            .append("\thttps://m")
                            .append(i)
                            .append(".example/")
                            .append(k)
                            .append('\n');
                }
                assertThat(d.postEntries(tsv.toString()).statusCode()).isEqualTo(200);
            }

            long t0 = System.nanoTime();
            long end = t0 + DEADLINE.toNanos();
            double recall = 0;
            while (System.nanoTime() < end) {
                recall = recall(daemons, all);
                if (recall == 1.0) {
                    break;
                }
                pause();
            }
            long syncs = 0;
            for (TestDaemon d : daemons) {
                syncs = Math.max(syncs, (long) d.server
                        .metrics()
                        .value("distree_maintenance_runs_total", "job=\"sync\",outcome=\"ok\""));
            }
            System.out.printf(
                    Locale.ROOT,
                    "full recall after %.1f s, at most %d sync runs per daemon%n",
                    (System.nanoTime() - t0) / 1e9,
                    syncs);
            assertThat(recall).as("recall within " + DEADLINE).isEqualTo(1.0);

            try (HttpNodeSource http = new HttpNodeSource(CrawlConfig.defaults())) {
                for (TestDaemon d : daemons) {
                    Linter.Report r =
                            Linter.lint(http, d.url.resolve("/index.html"), d.url, false, null);
                    assertThat(r.violations()).as("lint of " + d.url).isEmpty();
                }
            }

            daemons.get(1).close();
            daemons.get(3).close();
            List<TestDaemon> survivors = List.of(daemons.get(0), daemons.get(2), daemons.get(4));
            for (TestDaemon d : survivors) {
                assertThat(found(d)).as("found from " + d.url).containsAll(all);
            }
            System.out.println("recall after stopping 2 of 5: " + recall(survivors, all));
        } finally {
            for (TestDaemon d : daemons) {
                d.close();
            }
        }
    }

    /** The mean share of all entries that a /search from each daemon's root finds. */
    private static double recall(List<TestDaemon> daemons, Set<String> all) throws Exception {
        double sum = 0;
        for (TestDaemon d : daemons) {
            Set<String> f = found(d);
            f.retainAll(all);
            sum += (double) f.size() / all.size();
        }
        return sum / daemons.size();
    }

    private static Set<String> found(TestDaemon d) throws Exception {
        JsonNode r = JSON.readTree(d.get("/search?q=..&mode=range&format=json").body());
        Set<String> out = new TreeSet<>();
        r.get("results").forEach(h -> out.add(h.get("key").asText()));
        return out;
    }

    private static String host(int i) {
        return "127.0.0." + (i + 2);
    }

    /** Between two polls: leaves the two shared cores to the daemons. */
    private static void pause() throws InterruptedException {
        Thread.sleep(50);
    }
}
