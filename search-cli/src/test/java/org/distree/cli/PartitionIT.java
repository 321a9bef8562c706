package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real daemons, each in its own network namespace ({@link NetLab}), each told only the
 * next one's root, maintaining themselves every 2 s. Two of them are cut off from the other
 * three for 60 s (their links move to another bridge: packets across are lost) while {@code POST
 * /entries} and searches go on on both sides, then the network heals. What must hold (issue 16):
 * no acknowledged entry is lost; every search started during the cut answers within its time
 * limit (and a margin for the way back) with what it could reach, and once every machine of its
 * side has synced {@value #SETTLED_AFTER_ROUNDS} times since the cut, that is everything its side
 * held before the cut; every root finds every acknowledged entry within {@value #ROUNDS} sync runs of a
 * daemon after the heal; every tree lints clean.
 */
class PartitionIT {
    static final int MACHINES = 5;
    static final int ROUNDS = 5;
    static final int SYNC_MS = 2_000;
    static final int FETCH_TIMEOUT_MS = 2_000;
    static final int SEARCH_TIMEOUT_MS = 5_000;
    /** Time a search may take beyond its limit: the answer's way back, on 2 shared cores. */
    static final int SEARCH_MARGIN_MS = 3_000;
    /**
     * Sync runs of every machine of a side, completed after the cut, by which its ring has let
     * the other side's machines go and its roots link what the side holds: a machine stays on
     * the ring while its root was read in the run or one of the 2 before (PROTOCOL.md), and the
     * first run counted may have started before the cut and read the other side's roots, so the
     * ring drops them in run 4 at the latest; a run walks the ranges the run before held, so the
     * nodes of the ranges that came with the drop (those only the other side held, where the
     * side's machines have only their own entries, in partial leaves) are read and linked in run
     * 5. (The test asserted from run 4 until 2026-12-07, when two CI runs in seven saw searches
     * at 4 runs miss entries: RELIABILITY.md.)
     */
    static final int SETTLED_AFTER_ROUNDS = 5;

    private static final Duration CUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path dir;

    @Test
    void twoOfFiveCutOffForAMinuteLoseNothingAndAllIsFoundWithinFiveRoundsOfTheHeal()
            throws Exception {
        assumeTrue(NetLab.available(), "network namespaces cannot be made here (root, ip)");
        try (NetLab lab = new NetLab(MACHINES, NetLab.logsOf("PartitionIT"))) {
            start(lab, dir, false, FETCH_TIMEOUT_MS, SEARCH_TIMEOUT_MS);
            List<NetLab.Machine> ms = lab.machines;
            Acked acked = new Acked();
            Random r = new Random(16);
            for (NetLab.Machine m : ms) {
                acked.post(m, words(r, m, 0, 20));
            }
            long t0 = System.nanoTime();
            assertThat(awaitRecall(ms, acked.all(), Duration.ofSeconds(90)))
                    .as("full recall before the cut")
                    .isTrue();
            System.out.printf(
                    Locale.ROOT,
                    "partition: %d entries found from every root %.1f s after the start%n",
                    acked.all().size(),
                    (System.nanoTime() - t0) / 1e9);

            List<NetLab.Machine> cut = ms.subList(3, 5);
            List<NetLab.Machine> majority = ms.subList(0, 3);
            Map<Integer, Double> runsAtCut = new TreeMap<>();
            for (NetLab.Machine m : ms) {
                runsAtCut.put(m.index, syncRuns(m));
            }
            Set<String> beforeCut = acked.all();
            // What each side held before the cut: every entry for the three (they hold at least
            // one of the three replicas of every key), their own for the two cut off.
            Set<String> cutOwn = new HashSet<>();
            cut.forEach(m -> cutOwn.addAll(acked.on(m)));
            cutOwn.retainAll(beforeCut);
            Path evidence = NetLab.logsOf("PartitionIT").resolve("missed");
            org.distree.tree.Trees.deleteTree(evidence);
            lab.partition(cut);
            long cutAt = System.nanoTime();
            List<CutSearch> searches = new CopyOnWriteArrayList<>();
            List<Thread> load = new ArrayList<>();
            for (NetLab.Machine m : ms) {
                Random mr = new Random(100 + m.index);
                load.add(loop(cutAt, () -> {
                    int batch = 1 + (int) ((System.nanoTime() - cutAt) / 1_000_000_000L);
                    acked.post(m, words(mr, m, batch, 4));
                    Thread.sleep(1_000);
                }));
                load.add(loop(cutAt, () -> {
                    List<NetLab.Machine> side = cut.contains(m) ? cut : majority;
                    double runs = Double.MAX_VALUE;
                    for (NetLab.Machine x : side) {
                        runs = Math.min(runs, syncRuns(x) - runsAtCut.get(x.index));
                    }
                    Searched s = Searched.run(m);
                    searches.add(new CutSearch(s, (int) runs));
                    if (runs >= SETTLED_AFTER_ROUNDS
                            && !s.found.containsAll(cut.contains(m) ? cutOwn : beforeCut)) {
                        keepEvidence(evidence, m, s, (System.nanoTime() - cutAt) / 1e9);
                    }
                    Thread.sleep(2_000);
                }));
            }
            for (Thread t : load) {
                t.join(CUT.toMillis() + 60_000);
            }
            lab.heal();
            long healAt = System.nanoTime();
            System.out.println(
                    "partition: healed at " + java.time.LocalTime.now(java.time.ZoneOffset.UTC));
            Map<Integer, Double> runsAtHeal = new TreeMap<>();
            Map<Integer, Double> okDuringCut = new TreeMap<>();
            for (NetLab.Machine m : ms) {
                runsAtHeal.put(m.index, syncRuns(m));
                okDuringCut.put(m.index, runsAtHeal.get(m.index) - runsAtCut.get(m.index));
            }
            System.out.printf(
                    Locale.ROOT,
                    "partition: sync runs of each daemon during the %d s cut (one every %d ms"
                            + " asked): %s%n",
                    CUT.toSeconds(),
                    SYNC_MS,
                    okDuringCut.values().stream().map(Double::intValue).toList());

            long slowest = 0;
            double lastMiss = -1;
            int mostMissed = 0;
            int budgetSpent = 0;
            List<String> unsettled = new ArrayList<>();
            for (CutSearch c : searches) {
                Searched s = c.search;
                boolean minority = s.machine >= 3;
                Set<String> missed = new HashSet<>(minority ? cutOwn : beforeCut);
                missed.removeAll(s.found);
                double at = (s.started - cutAt) / 1e9;
                slowest = Math.max(slowest, s.millis);
                budgetSpent += s.skipped.stream().anyMatch(k -> k.contains("time budget")) ? 1 : 0;
                if (missed.isEmpty()
                        && c.sideRuns >= SETTLED_AFTER_ROUNDS
                        && !s.skipped.isEmpty()) {
                    // Found all it should, but past files it could not read: stale links of its
                    // side's roots (404s of files renamed since), or links across the cut.
                    System.out.printf(
                            Locale.ROOT,
                            "partition: a search on m%d %.1f s into the cut (%d sync runs of its"
                                    + " side) found all, skipping %s%n",
                            s.machine,
                            at,
                            c.sideRuns,
                            s.skipped);
                }
                if (!missed.isEmpty()) {
                    lastMiss = Math.max(lastMiss, at);
                    mostMissed = Math.max(mostMissed, missed.size());
                    System.out.printf(
                            Locale.ROOT,
                            "partition: a search on m%d %.1f s into the cut (%d sync runs of its"
                                    + " side) took %d ms, found %d entries, missed %d its side"
                                    + " held before the cut; %s%n",
                            s.machine,
                            at,
                            c.sideRuns,
                            s.millis,
                            s.found.size(),
                            missed.size(),
                            s.skipped.stream().limit(3).toList());
                }
                assertThat(s.status).as("search on m" + s.machine).isEqualTo(200);
                assertThat(s.millis)
                        .as("search on m" + s.machine + " during the cut")
                        .isLessThanOrEqualTo(SEARCH_TIMEOUT_MS + SEARCH_MARGIN_MS);
                if (c.sideRuns >= SETTLED_AFTER_ROUNDS && !missed.isEmpty()) {
                    unsettled.add("m" + s.machine + " " + at + " s and " + c.sideRuns
                            + " runs into the cut missed " + missed + "; skipped " + s.skipped
                            + " (its answer and root: " + evidence + ")");
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "partition: %d entries acknowledged during the %d s cut; %d searches, the"
                            + " slowest %d ms (limit %d ms), %d stopped by their time budget;"
                            + " the last to miss an entry its side held started %.1f s into the"
                            + " cut and missed %d at most%n",
                    acked.all().size() - beforeCut.size(),
                    CUT.toSeconds(),
                    searches.size(),
                    slowest,
                    SEARCH_TIMEOUT_MS,
                    budgetSpent,
                    lastMiss,
                    mostMissed);
            assertThat(searches).hasSizeGreaterThanOrEqualTo(MACHINES * 5);
            for (List<NetLab.Machine> side : List.of(majority, cut)) {
                assertThat(searches.stream()
                                .filter(c ->
                                        side.stream().anyMatch(x -> x.index == c.search.machine))
                                .filter(c -> c.sideRuns >= SETTLED_AFTER_ROUNDS))
                        .as("searches on a side that had settled")
                        .hasSizeGreaterThanOrEqualTo(side.size() * 3);
            }

            boolean recalled = awaitRecall(ms, acked.all(), Duration.ofSeconds(60), true);
            double seconds = (System.nanoTime() - healAt) / 1e9;
            double runs = 0;
            for (NetLab.Machine m : ms) {
                runs = Math.max(runs, syncRuns(m) - runsAtHeal.get(m.index));
            }
            double rounds = seconds * 1000 / SYNC_MS;
            System.out.printf(
                    Locale.ROOT,
                    "partition: every root finds all %d entries %.1f s after the heal: %.1f sync"
                            + " intervals of %d ms (at most %.0f sync runs of a daemon, runs held"
                            + " back during the cut included)%n",
                    acked.all().size(),
                    seconds,
                    rounds,
                    SYNC_MS,
                    runs);
            if (!recalled) {
                keepTrees(dir, NetLab.logsOf("PartitionIT").resolve("trees"));
            }
            assertThat(recalled).as("full recall after the heal").isTrue();
            assertThat(rounds).as("sync intervals until full recall").isLessThanOrEqualTo(ROUNDS);

            for (NetLab.Machine m : ms) {
                NetLab.stop(m);
            }
            assertTreesKeepWhatTheyAcknowledged(dir, ms, acked);
            assertThat(unsettled)
                    .as("searches that missed what their side held before the cut, started once"
                            + " every machine of the side had synced " + SETTLED_AFTER_ROUNDS
                            + " times since")
                    .isEmpty();
        }
    }

    /**
     * Starts a daemon in every machine of the lab, each told the next one's root, syncing every
     * {@value #SYNC_MS} ms; with {@code proxied} every address a daemon gives or is given is the
     * delay proxy's.
     */
    static void start(
            NetLab lab, Path dir, boolean proxied, int fetchTimeoutMs, int searchTimeoutMs)
            throws Exception {
        for (NetLab.Machine m : lab.machines) {
            NetLab.Machine next = lab.machines.get((m.index + 1) % lab.machines.size());
            Path data = dir.resolve("m" + m.index);
            Files.createDirectories(data);
            Files.writeString(
                    data.resolve("maintainer.properties"),
                    "peers=" + (proxied ? next.proxied() : next.direct()) + "\n"
                            + "copy-budget=-1\n"
                            + "sync-interval-ms=" + SYNC_MS + "\n"
                            + "submit-interval-ms=1000\n"
                            + "link-check-interval-ms=" + SYNC_MS + "\n"
                            + "rules-interval-ms=1000\n"
                            + "per-host-interval-ms=0\n"
                            + "submit-retry-ms=1000\n");
            lab.startDaemon(
                    m,
                    data,
                    Map.of(
                            "base-url", proxied ? m.proxied() : m.direct(),
                            "allow-private", "true",
                            "rate-limit", "0",
                            "fetch-timeout-ms", Integer.toString(fetchTimeoutMs),
                            "search-timeout-ms", Integer.toString(searchTimeoutMs),
                            "search-limit", "100000",
                            "search-max-nodes", "20000"));
        }
    }

    /** {@code n} new entries for machine {@code m}: random words, tagged so they never repeat. */
    static List<String> words(Random r, NetLab.Machine m, int batch, int n) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            StringBuilder w = new StringBuilder();
            for (int j = 0, len = 3 + r.nextInt(6); j < len; j++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            String key = w + "-" + m.index + "-" + batch + "-" + k;
            out.add(key + "\nhttps://m" + m.index + ".example/" + key);
        }
        return out;
    }

    /** Polls (every second) until every root finds every entry, or the deadline passes. */
    static boolean awaitRecall(List<NetLab.Machine> roots, Set<String> all, Duration within)
            throws Exception {
        return awaitRecall(roots, all, within, false);
    }

    /**
     * As {@link #awaitRecall(List, Set, Duration)}; with {@code trace}, prints each try that
     * fell short (its time since the call, the root, what it missed, why it skipped files).
     */
    static boolean awaitRecall(
            List<NetLab.Machine> roots, Set<String> all, Duration within, boolean trace)
            throws Exception {
        long start = System.nanoTime();
        long end = start + within.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            boolean every = true;
            for (NetLab.Machine m : roots) {
                Searched s = Searched.run(m);
                if (!s.found.containsAll(all)) {
                    Set<String> missed = new HashSet<>(all);
                    missed.removeAll(s.found);
                    last = "m" + m.index + " (status " + s.status + ", " + s.millis + " ms) missed "
                            + missed.size() + ", e.g. "
                            + missed.stream().sorted().limit(3).toList()
                            + "; skipped " + s.skipped;
                    every = false;
                    if (trace) {
                        System.out.printf(
                                Locale.ROOT,
                                "partition: %.1f s after the heal: %s%n",
                                (System.nanoTime() - start) / 1e9,
                                last.replace('\n', ' '));
                    }
                    break;
                }
            }
            if (every) {
                return true;
            }
            Thread.sleep(1_000);
        }
        // What the last try saw, for the record when recall does not come.
        System.out.println("partition: recall not reached; the last try: " + last);
        return false;
    }

    /** Copies the daemons' folders (as they are now) beside their logs, for a failure's record. */
    static void keepTrees(Path dir, Path to) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Keeps, for a search that missed what its side held once it had settled, the search's
     * answer and the root it started from (read right after), so that a failure can be traced.
     */
    static void keepEvidence(Path to, NetLab.Machine m, Searched s, double at) throws Exception {
        Files.createDirectories(to);
        String name = String.format(Locale.ROOT, "m%d-%05.1fs", m.index, at);
        Files.writeString(to.resolve(name + "-answer.json"), s.body);
        HttpResponse<String> root = HTTP.send(
                HttpRequest.newBuilder(m.url().resolve("/index.html"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Files.writeString(to.resolve(name + "-root.html"), root.body());
    }

    /** Sync runs of the daemon so far, whatever their outcome. */
    static double syncRuns(NetLab.Machine m) throws Exception {
        return NetLab.metric(m, "distree_maintenance_runs_total", "job=\"sync\"");
    }

    /**
     * With the daemons stopped: every tree folder lints clean, and holds every entry its daemon
     * acknowledged (as its own, read from disk).
     */
    static void assertTreesKeepWhatTheyAcknowledged(Path dir, List<NetLab.Machine> ms, Acked acked)
            throws Exception {
        for (NetLab.Machine m : ms) {
            Path data = dir.resolve("m" + m.index);
            try (NodeStore store = NodeStore.open(data)) {
                Linter.Report report = Linter.lintFolder(new FileSource(), data, store.nodeNames());
                assertThat(report.violations()).as("lint of m" + m.index).isEmpty();
            }
            Set<String> stored = new HashSet<>();
            for (Walk.Hit h : Walk.run(
                            new FileSource(),
                            data.resolve("index.html").toUri(),
                            Query.range(null, null),
                            1_000_000)
                    .hits()) {
                stored.add(h.entry().key() + "\n" + h.entry().link());
            }
            assertThat(stored).as("entries on m" + m.index).containsAll(acked.on(m));
        }
    }

    /** A search during the cut, and the fewest sync runs a machine of its side had made since. */
    record CutSearch(Searched search, int sideRuns) {}

    /** A step of the load during the cut. */
    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} over and over until the cut that began at {@code from} ends. */
    private static Thread loop(long from, Step step) {
        Thread t = new Thread(() -> {
            while (System.nanoTime() - from < CUT.toNanos()) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("partition: load step failed: " + e);
                }
            }
        });
        t.start();
        return t;
    }

    /** The entries each daemon acknowledged ({@code key\nlink}). */
    static final class Acked {
        private final Map<Integer, Set<String>> by = new ConcurrentHashMap<>();

        /** Posts the entries to the daemon; those acknowledged (200) are recorded. */
        void post(NetLab.Machine m, List<String> entries) throws Exception {
            StringBuilder tsv = new StringBuilder();
            for (String e : entries) {
                tsv.append(e.replace('\n', '\t')).append('\n');
            }
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(m.url().resolve("/entries?wait=applied"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "text/tab-separated-values")
                            .header("Authorization", "Bearer " + m.token)
                            .POST(HttpRequest.BodyPublishers.ofString(tsv.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                by.computeIfAbsent(m.index, k -> ConcurrentHashMap.newKeySet()).addAll(entries);
            } else {
                System.out.println("partition: m" + m.index + " refused entries: " + r.statusCode()
                        + " " + r.body());
            }
        }

        Set<String> on(NetLab.Machine m) {
            return Set.copyOf(by.getOrDefault(m.index, Set.of()));
        }

        Set<String> all() {
            Set<String> out = new HashSet<>();
            by.values().forEach(out::addAll);
            return out;
        }
    }

    /** One range search over every key from a daemon's root, timed by the client. */
    record Searched(
            int machine,
            long started,
            int status,
            long millis,
            Set<String> found,
            List<String> skipped,
            String body) {
        static Searched run(NetLab.Machine m) throws Exception {
            long t = System.nanoTime();
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(
                                    m.url().resolve("/search?q=..&mode=range&format=json&trace=1"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            Set<String> found = new HashSet<>();
            List<String> skipped = new ArrayList<>();
            if (r.statusCode() == 200) {
                JsonNode body = JSON.readTree(r.body());
                for (JsonNode h : body.get("results")) {
                    found.add(h.get("key").asText() + "\n" + h.get("link").asText());
                }
                body.get("skipped").forEach(k -> skipped.add(k.asText()));
            }
            return new Searched(m.index, t, r.statusCode(), millis, found, skipped, r.body());
        }
    }
}
