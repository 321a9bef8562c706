package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.distree.html.NodeReader;
import org.distree.model.Node;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ring of ten real daemons on 127.0.0.2 to 127.0.0.11 (docs/PROTOCOL.md, "Who holds what"):
 * each has 100 own entries spread over the whole key space, is told only the next one's root,
 * holds ranges ({@code positions=8}, the default, 3 replicas) under a copy budget of four machines' share.
 * Every root finds every entry, by a range over every key and by exact lookups of other
 * machines' keys; no machine stores more than 6 shares; after two daemons stop, the survivors
 * find at once at least 99% of every entry, their own and the stopped ones' (held as copies),
 * and all of it after the ring has moved their ranges.
 */
class TenDaemonsIT {
    private static final int MACHINES = 10;
    private static final int OWN = 100;
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String word(Random r) {
        StringBuilder b = new StringBuilder();
        for (int j = 0, n = 3 + r.nextInt(8); j < n; j++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    @Test
    void everyRootFindsEveryEntryWithAFewSharesEachAndSurvivesTwoStopping() throws Exception {
        Random r = new Random(10);
        List<List<String[]>> own = new ArrayList<>();
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < MACHINES; i++) {
            List<String[]> es = new ArrayList<>();
            while (es.size() < OWN) {
                String w = word(r);
                if (keys.add(w)) {
                    es.add(new String[] {w, "https://m" + i + ".example/" + w});
                }
            }
            own.add(es);
        }
        String maintainer = """
                positions=8
                replicas=3
                copy-budget=400
                sync-interval-ms=1000
                submit-interval-ms=1000
                link-check-interval-ms=1000
                rules-interval-ms=500
                per-host-interval-ms=0
                submit-retry-ms=500
                """;
        try (DaemonRing ring = new DaemonRing(dir, own, maintainer)) {
            List<TestDaemon> daemons = ring.daemons;
            long t0 = System.nanoTime();
            double recall = await(daemons, ring.all, t0);
            System.out.printf(
                    Locale.ROOT,
                    "ring of %d: full recall after %.1f s%n",
                    MACHINES,
                    (System.nanoTime() - t0) / 1e9);
            if (recall < 1.0) {
                explain(daemons, ring.all);
            }
            assertThat(recall).as("recall within " + DEADLINE).isEqualTo(1.0);

            // Exact lookups of other machines' keys, from every root.
            for (int i = 0; i < MACHINES; i++) {
                for (int k = 0; k < 3; k++) {
                    String[] e = own.get((i + 1 + k * 3) % MACHINES).get(k * 31 % OWN);
                    assertThat(lookup(daemons.get(i), e[0]))
                            .as(e[0] + " from " + daemons.get(i).url)
                            .contains(e[1]);
                }
            }

            // Bounded storage: entries in each tree's leaves, in shares of the index.
            double share = MACHINES * OWN / (double) MACHINES;
            double most = 0;
            double sum = 0;
            for (int i = 0; i < MACHINES; i++) {
                double s = stored(dir.resolve("m" + i)) / share;
                most = Math.max(most, s);
                sum += s;
            }
            System.out.printf(
                    Locale.ROOT,
                    "storage: %.2f shares on average, %.2f at most%n",
                    sum / MACHINES,
                    most);
            assertThat(most).isLessThanOrEqualTo(6.0);

            DaemonRing.assertLintsClean(daemons);

            // Full recall comes with the first chain of routing; the others, which a stop needs,
            // come in the runs after: the ring is stopped in once every daemon has synced twice
            // more and a run of all changed nothing (a stop right at full recall measured 0.873
            // once in CI).
            settle(daemons, 2);
            quiet(daemons);
            // Both stopped together, as a failure takes them (a close waits for the daemon's
            // running jobs, about 2 s: one after the other, the survivors had that long to
            // reroute round the first before the second went).
            long s0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<Void> a = stop(daemons.get(2));
            java.util.concurrent.CompletableFuture<Void> b = stop(daemons.get(7));
            a.join();
            b.join();
            System.out.printf(
                    Locale.ROOT, "2 of 10 stopped in %.2f s%n", (System.nanoTime() - s0) / 1e9);
            List<TestDaemon> survivors = new ArrayList<>(daemons);
            survivors.remove(7);
            survivors.remove(2);
            // Each root's search, and what it skipped when it missed keys (the survivors route
            // round the stopped machines within a second or two, so a search later says less).
            // Runs that miss keys here still happen (1 of 10 since the routing chains are drawn
            // together and the root's trim keeps machines, 0.885; 0.884 and 0.913 in CI
            // before): docs/SCALE.md.
            double atOnce = 1;
            for (TestDaemon d : survivors) {
                JsonNode res = DaemonRing.searchAll(d);
                Set<String> found = DaemonRing.keys(res);
                found.retainAll(ring.all);
                double got = (double) found.size() / ring.all.size();
                atOnce = Math.min(atOnce, got);
                if (got < 0.99) {
                    System.out.println("at once, " + d.url + " found " + got + "; skipped: "
                            + res.get("skipped"));
                    Set<String> missing = new TreeSet<>(ring.all);
                    missing.removeAll(found);
                    explainMissing(missing, own, dir, List.of(2, 7));
                }
            }
            System.out.printf(Locale.ROOT, "2 of 10 stopped: recall %.4f at once%n", atOnce);
            assertThat(atOnce).isGreaterThanOrEqualTo(0.99);
            long t1 = System.nanoTime();
            double repaired = await(survivors, ring.all, t1);
            System.out.printf(
                    Locale.ROOT,
                    "2 of 10 stopped: recall %.4f after %.1f s%n",
                    repaired,
                    (System.nanoTime() - t1) / 1e9);
            assertThat(repaired).isEqualTo(1.0);
        }
    }

    /** Closes the daemon on a thread of its own. */
    private static java.util.concurrent.CompletableFuture<Void> stop(TestDaemon d) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                d.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Waits until every daemon has finished {@code runs} more sync runs than now (within the
     * deadline).
     */
    private static void settle(List<TestDaemon> daemons, int runs) throws Exception {
        List<Double> from = new ArrayList<>();
        for (TestDaemon d : daemons) {
            from.add(syncs(d));
        }
        long end = System.nanoTime() + DEADLINE.toNanos();
        for (int i = 0; i < daemons.size(); i++) {
            while (syncs(daemons.get(i)) < from.get(i) + runs && System.nanoTime() < end) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * Waits, for at most 8 sync runs of every daemon, until one such run changes nothing on any
     * daemon: the ring has settled (on a loaded machine the chains of routing that a stop needs
     * may come some runs after full recall: 0.945 at once was measured once at load 18, after two
     * runs).
     */
    private static void quiet(List<TestDaemon> daemons) throws Exception {
        for (int run = 0; run < 8; run++) {
            double before = syncChanges(daemons);
            settle(daemons, 1);
            if (syncChanges(daemons) == before) {
                return;
            }
        }
    }

    private static double syncChanges(List<TestDaemon> daemons) {
        double sum = 0;
        for (TestDaemon d : daemons) {
            sum += d.server.metrics().value(HostedMaintenance.CHANGES, "job=\"sync\"");
        }
        return sum;
    }

    private static double syncs(TestDaemon d) {
        return d.server
                .metrics()
                .value("distree_maintenance_runs_total", "job=\"sync\",outcome=\"ok\"");
    }

    /** Polls until every root finds every key, or the deadline; the lowest recall last seen. */
    private static double await(List<TestDaemon> roots, Set<String> all, long t0) throws Exception {
        long end = t0 + DEADLINE.toNanos();
        double recall = 0;
        while (System.nanoTime() < end) {
            recall = DaemonRing.minRecall(roots, all);
            if (recall == 1.0) {
                break;
            }
            Thread.sleep(1000); // leaves the two shared cores to the daemons
        }
        return recall;
    }

    /** What a range search from each root that misses keys skipped, for the test's output. */
    private static void explain(List<TestDaemon> roots, Set<String> all) throws Exception {
        for (TestDaemon d : roots) {
            JsonNode res = DaemonRing.searchAll(d);
            Set<String> found = DaemonRing.keys(res);
            Set<String> missing = new TreeSet<>(all);
            missing.removeAll(found);
            if (!missing.isEmpty()) {
                System.out.println(d.url + " misses " + missing.size() + ", such as "
                        + missing.stream().limit(5).toList() + "; skipped: " + res.get("skipped"));
                String index = d.get("/index.html").body();
                String rootHref = org.distree.html.IndexPage.rootHref(index);
                String root = d.get("/" + rootHref).body();
                Node rn = NodeReader.read(root.getBytes(StandardCharsets.UTF_8), rootHref)
                        .node();
                for (org.distree.model.ChildRef c : rn.children()) {
                    System.out.println("  root child " + c.href() + " " + c.range() + " partial="
                            + c.partial() + " routing=" + c.routing() + " size=" + c.size());
                    if (c.routing()) {
                        Node g = NodeReader.read(
                                        d.get("/n/" + c.href())
                                                .body()
                                                .getBytes(StandardCharsets.UTF_8),
                                        c.href())
                                .node();
                        System.out.println("    routing over " + g.children().size() + " links, "
                                + g.children().get(0).range().low() + " .. "
                                + g.children()
                                        .get(g.children().size() - 1)
                                        .range()
                                        .high());
                    }
                }
            }
        }
    }

    /**
     * For a failure's output: some keys a search missed, each with the machine that owns it and
     * the leaves of the running machines' trees that hold it (orphan copies by their id; partial
     * or not, and their range), read from the files as they are.
     */
    private static void explainMissing(
            Set<String> missing, List<List<String[]>> own, Path dir, List<Integer> stopped)
            throws Exception {
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < own.size(); i++) {
            for (String[] e : own.get(i)) {
                owner.put(e[0], i);
            }
        }
        Map<String, StringBuilder> holders = new TreeMap<>();
        List<String> shown = missing.stream().limit(20).toList();
        for (int i = 0; i < MACHINES; i++) {
            if (stopped.contains(i)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files =
                    java.nio.file.Files.list(dir.resolve("m" + i).resolve(NodeStore.NODE_DIR))) {
                for (Path f : files.toList()) {
                    org.distree.model.NodeFile file;
                    try {
                        file = NodeReader.read(java.nio.file.Files.readAllBytes(f), f.toString());
                    } catch (java.io.IOException | org.distree.html.NodeFormatException gone) {
                        continue; // changed or removed by the daemon since the listing
                    }
                    List<Node> nodes = new ArrayList<>(file.orphans());
                    nodes.add(0, file.node());
                    for (Node node : nodes) {
                        if (!node.isLeaf()) {
                            continue;
                        }
                        for (String k : shown) {
                            if (node.entries().stream().anyMatch(e -> e.key().equals(k))) {
                                holders.computeIfAbsent(k, x -> new StringBuilder())
                                        .append(" m")
                                        .append(i)
                                        .append('/')
                                        .append(f.getFileName())
                                        .append(node.id() == null ? "" : "#" + node.id())
                                        .append(node.partial() ? " (partial) " : " ")
                                        .append(node.range());
                            }
                        }
                    }
                }
            }
        }
        for (String k : shown) {
            System.out.println("  missed " + k + " (own on m" + owner.get(k) + "), held by"
                    + holders.getOrDefault(k, new StringBuilder(" no running machine")));
        }
    }

    /** The links an exact lookup of {@code key} from the daemon's root finds. */
    private static Set<String> lookup(TestDaemon d, String key) throws Exception {
        JsonNode res = JSON.readTree(d.get("/search?q="
                        + URLEncoder.encode(key, StandardCharsets.UTF_8)
                        + "&format=json")
                .body());
        Set<String> out = new TreeSet<>();
        res.get("results").forEach(h -> out.add(h.get("link").asText()));
        return out;
    }

    /**
     * The entries in the leaves of the tree in {@code data} (own and copies), read from the
     * files as they are (the daemon holds the tree).
     */
    private static long stored(Path data) throws Exception {
        long n = 0;
        try (java.util.stream.Stream<Path> files =
                java.nio.file.Files.list(data.resolve(NodeStore.NODE_DIR))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                Node node;
                try {
                    node = NodeReader.read(java.nio.file.Files.readAllBytes(f), f.toString())
                            .node();
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed by the daemon since the listing
                }
                n += node.isLeaf() ? node.entries().size() : 0;
            }
        }
        return n;
    }
}
