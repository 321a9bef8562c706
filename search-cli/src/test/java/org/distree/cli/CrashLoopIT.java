package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.tree.LocalTree;
import org.distree.tree.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash loops (issue 16): real {@code distree} processes killed with SIGKILL ({@link
 * Process#destroyForcibly} on Linux) at seeded random moments, again and again. After each kill
 * the tree is read as the next start finds it: every write the process acknowledged is there,
 * and the tree is lint-clean.
 *
 * <p>How many kills: system properties, so that {@code bench/crash-loop.sh} runs the 50
 * where the build runs fewer; {@code distree.crash.kills} (daemon, default 10), {@code
 * distree.crash.add-kills} (default 6), {@code distree.crash.site-kills} (default 3) and {@code
 * distree.crash.seed} (default 16). Each test prints one line of figures (in failsafe's {@code
 * target/failsafe-reports/org.distree.cli.CrashLoopIT-output.txt}).
 */
class CrashLoopIT {
    private static final int DAEMON_KILLS = Integer.getInteger("distree.crash.kills", 10);
    private static final int ADD_KILLS = Integer.getInteger("distree.crash.add-kills", 6);
    private static final int SITE_KILLS = Integer.getInteger("distree.crash.site-kills", 3);
    private static final long SEED = Long.getLong("distree.crash.seed", 16);
    /** Entries in one {@code POST /entries}. */
    private static final int PER_REQUEST = 100;

    @TempDir
    Path dir;

    /**
     * A daemon with its maintenance jobs on 200 ms intervals, under a stream of {@code POST
     * /entries} from a client thread, killed 50 to 800 ms after the first request it answers
     * (so that requests are flowing), and started again.
     * After each kill a copy of its folder is recovered as a start recovers it (the write-ahead
     * log replayed, then the entry log applied) and read whole: it holds every acknowledged entry and lints clean. Each
     * restart is timed from the JVM's start to its "listening" line, and answers a search for
     * entries acknowledged before the kill.
     */
    @Test
    void aDaemonKilledUnderLoadAgainAndAgainLosesNoAcknowledgedEntry() throws Exception {
        Random random = new Random(SEED);
        Path data = Files.createDirectories(dir.resolve("tree"));
        Path logs = dir.resolve("logs");
        Files.writeString(data.resolve("maintainer.properties"), """
                sync-interval-ms=200
                submit-interval-ms=200
                link-check-interval-ms=200
                rules-interval-ms=200
                """, StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Set<String> acked = new HashSet<>();
        List<String> lastRound = List.of();
        List<Long> restartMillis = new ArrayList<>();
        int refused = 0;
        for (int kill = 0; kill < DAEMON_KILLS; kill++) {
            long started = System.nanoTime();
            try (ChildDaemon d = ChildDaemon.start(data, logs)) {
                restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertFound(client, d, lastRound, kill);
                Poster poster = new Poster(
                        client, d, ChildDaemon.token(data), new Random(random.nextLong()), kill);
                poster.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (poster.acked.isEmpty() && poster.isAlive() && System.nanoTime() < deadline) {
                    poster.join(5);
                }
                assertThat(poster.acked)
                        .as("a first ack after restart %d", kill)
                        .isNotEmpty();
                // The point of the test: a kill at a random moment, not a wait for something.
                Thread.sleep(50 + random.nextInt(751));
                d.killHard();
                poster.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(poster.isAlive()).isFalse();
                acked.addAll(poster.acked);
                lastRound = List.copyOf(poster.acked);
                refused += poster.refused.get();
            }
            Path copy = dir.resolve("copy");
            copyFolder(data, copy);
            // As the daemon's start does: the entries acknowledged and not yet applied are in
            // its entry log, and opening the tree puts them in before anything else.
            LocalTree.open(copy).close();
            assertThat(Trees.lint(copy).violations())
                    .as("lint after kill %d", kill + 1)
                    .isEmpty();
            assertThat(keysAndLinks(copy)).as("after kill %d", kill + 1).containsAll(acked);
        }
        try (ChildDaemon last = ChildDaemon.start(data, logs)) {
            assertFound(client, last, lastRound, DAEMON_KILLS);
            // The JVM exits with 128 + 15 after its shutdown hook ran on SIGTERM.
            assertThat(last.stop()).isIn(0, 143);
        }
        assertThat(Trees.lint(data).violations()).isEmpty();
        assertThat(keysAndLinks(data)).containsAll(acked);
        // Most kills land while requests flow (the rest before the first is answered).
        assertThat(acked).hasSizeGreaterThan(DAEMON_KILLS * PER_REQUEST);
        assertThat(refused).as("requests answered other than 200").isZero();
        Collections.sort(restartMillis);
        System.out.printf(
                Locale.ROOT,
                "crash loop, daemon: %d of %d kills survived, %,d entries acknowledged, 0 lost;"
                        + " restart median %d ms (min %d, max %d)%n",
                DAEMON_KILLS,
                DAEMON_KILLS,
                acked.size(),
                restartMillis.get(restartMillis.size() / 2),
                restartMillis.get(0),
                restartMillis.get(restartMillis.size() - 1));
    }

    /**
     * {@code distree add --in FILE --ack} killed 50 to 800 ms after its first acknowledgement,
     * again and again on the same tree: after each kill the tree lints clean, holds every entry
     * acknowledged so far, and nothing that is not the input's; a run left alone then completes
     * it (entries already there are replaced, not repeated).
     */
    @Test
    void addKilledMidRunKeepsWhatItAcknowledgedAndARerunCompletesIt() throws Exception {
        Random random = new Random(SEED + 1);
        Path input = dir.resolve("entries.tsv");
        Set<String> all = new HashSet<>();
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            Entry e = Trees.entry(random);
            String link = e.link() + "-" + i;
            all.add(e.key() + "\t" + link);
            tsv.append(e.key())
                    .append('\t')
                    .append(link)
                    .append("\t\t")
                    .append(e.comment())
                    .append('\n');
        }
        Files.writeString(input, tsv, StandardCharsets.UTF_8);
        Path tree = dir.resolve("tree");
        Set<String> acked = Collections.synchronizedSet(new HashSet<>());
        int killedMidRun = 0;
        for (int kill = 0; kill < ADD_KILLS; kill++) {
            Process p = new ProcessBuilder(ChildDaemon.command(
                            "add",
                            tree.toString(),
                            "--in",
                            input.toString(),
                            "--batch",
                            "400",
                            "--ack",
                            "-q"))
                    .redirectError(dir.resolve("add-" + kill + ".err").toFile())
                    .start();
            AtomicBoolean first = new AtomicBoolean();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader acks = new BufferedReader(new InputStreamReader(
                                p.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = acks.readLine()) != null) {
                                // Printed only once durable: a line read is an ack, even if it
                                // is read after the kill.
                                acked.add(line);
                                first.set(true);
                            }
                        } catch (IOException e) {
                            // The pipe closed with the process.
                        }
                    },
                    "acks");
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!first.get() && p.isAlive() && System.nanoTime() < deadline) {
                p.waitFor(10, TimeUnit.MILLISECONDS);
            }
            assertThat(first.get()).as("a first ack in round %d", kill).isTrue();
            Thread.sleep(50 + random.nextInt(751));
            killedMidRun += p.isAlive() ? 1 : 0;
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(Trees.lint(tree).violations())
                    .as("lint after kill %d", kill + 1)
                    .isEmpty();
            Set<String> present = keysAndLinks(tree);
            assertThat(present).as("after kill %d", kill + 1).containsAll(acked);
            assertThat(all).as("after kill %d", kill + 1).containsAll(present);
        }
        assertThat(killedMidRun).as("kills that found add still running").isPositive();

        Process rerun = new ProcessBuilder(
                        ChildDaemon.command("add", tree.toString(), "--in", input.toString(), "-q"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("add-rerun.err").toFile())
                .start();
        assertThat(rerun.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(rerun.exitValue()).isZero();
        assertThat(Trees.lint(tree).violations()).isEmpty();
        assertThat(keysAndLinks(tree)).isEqualTo(all);
        System.out.printf(
                Locale.ROOT,
                "crash loop, add: %d kills (%d mid-run), %,d entries acknowledged, 0 lost; the"
                        + " rerun completed all %,d%n",
                ADD_KILLS,
                killedMidRun,
                acked.size(),
                all.size());
    }

    /**
     * {@code distree index-site} updating a tree after a third of the pages changed, killed at a
     * random moment of the run (0.3 to 2.5 s after its start): the tree it leaves lints clean,
     * and the next run completes the update: to the entries of a fresh build of the same pages
     * (each word leads to the same pages; record names aside, as an update numbers new pages
     * after the old ones, and scores aside: an update rescores only what changed, and the run
     * after a stopped one, which finds the manifest stale, rescores from a scan of the tree,
     * SITE.md). Each round updates the tree the last round left.
     */
    @Test
    void indexSiteUpdateKilledMidRunIsCompletedByTheNextRun() throws Exception {
        Random random = new Random(SEED + 2);
        Path site = Files.createDirectories(dir.resolve("site"));
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            vocabulary.add(Trees.word(random));
        }
        for (int i = 0; i < 400; i++) {
            writePage(site, "page" + i + ".html", random, vocabulary);
        }
        Path out = dir.resolve("out");
        Cli first = Cli.run(
                "index-site",
                site.toString(),
                "--base-url",
                "https://site.example/",
                "--out",
                out.toString(),
                "-q");
        assertThat(first.code()).as(first.err()).isZero();
        int killedMidRun = 0;
        int next = 400;
        for (int kill = 0; kill < SITE_KILLS; kill++) {
            // A third of the pages rewritten, a few removed, a few new.
            try (Stream<Path> pages = Files.list(site)) {
                for (Path p : pages.sorted().toList()) {
                    int r = random.nextInt(30);
                    if (r < 10) {
                        writePage(site, p.getFileName().toString(), random, vocabulary);
                    } else if (r == 10) {
                        Files.delete(p);
                    }
                }
            }
            for (int i = 0; i < 15; i++) {
                writePage(site, "page" + next++ + ".html", random, vocabulary);
            }
            Process p = new ProcessBuilder(ChildDaemon.command(
                            "index-site",
                            site.toString(),
                            "--base-url",
                            "https://site.example/",
                            "--out",
                            out.toString(),
                            "--threads",
                            "1",
                            "-q"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(dir.resolve("site-" + kill + ".err").toFile())
                    .start();
            // Killed from 0.3 s (the JVM is starting) to 2.5 s (the update is writing).
            p.waitFor(300 + random.nextInt(2_201), TimeUnit.MILLISECONDS);
            killedMidRun += p.isAlive() ? 1 : 0;
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Trees.lint(out).violations())
                    .as("lint after kill %d", kill + 1)
                    .isEmpty();

            Cli rerun = Cli.run(
                    "index-site",
                    site.toString(),
                    "--base-url",
                    "https://site.example/",
                    "--out",
                    out.toString(),
                    "-q");
            assertThat(rerun.code()).as(rerun.err()).isZero();
            assertThat(Trees.lint(out).violations()).isEmpty();
            Path fresh = dir.resolve("fresh");
            Trees.deleteTree(fresh);
            Cli build = Cli.run(
                    "index-site",
                    site.toString(),
                    "--base-url",
                    "https://site.example/",
                    "--out",
                    fresh.toString(),
                    "-q");
            assertThat(build.code()).as(build.err()).isZero();
            Set<String> updated = pageEntries(out);
            Set<String> built = pageEntries(fresh);
            assertThat(minus(updated, built))
                    .as("after kill %d and a rerun: only in the updated tree", kill + 1)
                    .isEmpty();
            assertThat(minus(built, updated))
                    .as("after kill %d and a rerun: only in a fresh build", kill + 1)
                    .isEmpty();
        }
        assertThat(killedMidRun).as("kills that found index-site still running").isPositive();
        System.out.printf(
                Locale.ROOT,
                "crash loop, index-site: %d kills (%d mid-run); each rerun equal to a fresh"
                        + " build%n",
                SITE_KILLS,
                killedMidRun);
    }

    /** Posts batches of new entries until the daemon is gone; keeps each acknowledged one. */
    private static final class Poster extends Thread {
        private final HttpClient client;
        private final ChildDaemon daemon;
        private final String token;
        private final Random random;
        private final int round;
        final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger refused =
                new java.util.concurrent.atomic.AtomicInteger();

        Poster(HttpClient client, ChildDaemon daemon, String token, Random random, int round) {
            super("poster-" + round);
            this.client = client;
            this.daemon = daemon;
            this.token = token;
            this.random = random;
            this.round = round;
        }

        @Override
        public void run() {
            for (int i = 0; ; i++) {
                StringBuilder tsv = new StringBuilder();
                List<String> batch = new ArrayList<>();
                for (int j = 0; j < PER_REQUEST; j++) {
                    String key = Trees.word(random);
                    String link = "https://crash.example/" + round + "/" + i + "/" + j;
                    tsv.append(key).append('\t').append(link).append('\n');
                    batch.add(key + "\t" + link);
                }
                HttpResponse<String> r;
                try {
                    r = daemon.postEntries(client, token, tsv.toString(), false);
                } catch (IOException | InterruptedException e) {
                    return; // The daemon was killed.
                }
                if (r.statusCode() == 200) {
                    acked.addAll(batch);
                } else {
                    refused.incrementAndGet();
                }
            }
        }
    }

    /** Searches the daemon for a few of {@code entries} by their keys (exact). */
    private static void assertFound(HttpClient client, ChildDaemon d, List<String> entries, int n)
            throws Exception {
        for (int i = 0; i < entries.size(); i += Math.max(1, entries.size() / 5)) {
            String entry = entries.get(i);
            String key = entry.substring(0, entry.indexOf('\t'));
            HttpResponse<String> r = d.get(
                    client,
                    "/search?mode=exact&limit=100&q="
                            + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .as("restart %d: %s", n, entry)
                    .contains(entry.substring(entry.indexOf('\t') + 1));
        }
    }

    /** Every entry of the tree in {@code dir}, as key TAB link. */
    private static Set<String> keysAndLinks(Path dir) {
        Set<String> out = new HashSet<>();
        for (Entry e : Trees.all(dir)) {
            out.add(e.key() + "\t" + e.link());
        }
        return out;
    }

    /**
     * The entries of a site's tree with each record link replaced by the page it names: key and
     * page link, one string each, sorted (the label is the record's name).
     */
    private static Set<String> pageEntries(Path out) throws Exception {
        Set<String> result = new TreeSet<>();
        for (Entry e : Trees.all(out)) {
            String link = e.link();
            String name = link.substring(link.lastIndexOf('/') + 1);
            Path record = out.resolve("p").resolve(name);
            String page =
                    RecordFile.read(Files.readAllBytes(record), "p/" + name).link();
            result.add(e.key() + "\t" + page);
        }
        return result;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    /** A page of 30 to 200 words from the vocabulary. */
    private static void writePage(Path site, String name, Random random, List<String> vocabulary)
            throws IOException {
        StringBuilder body = new StringBuilder();
        int words = 30 + random.nextInt(171);
        for (int i = 0; i < words; i++) {
            body.append(vocabulary.get(random.nextInt(vocabulary.size()))).append(' ');
        }
        Files.writeString(
                site.resolve(name),
                "<!doctype html><html><head><title>" + name + "</title></head><body><p>" + body
                        + "</p></body></html>",
                StandardCharsets.UTF_8);
    }

    /** Copies a folder (as the killed process left it) over {@code to}. */
    private static void copyFolder(Path from, Path to) throws IOException {
        Trees.deleteTree(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
