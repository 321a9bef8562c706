package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distree.model.Entry;
import org.distree.tree.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only folder (issue 16), on real small file systems: a tmpfs of 2 MB
 * filled by {@code distree add} and by {@code POST /entries}, and a tmpfs remounted read-only
 * (root ignores permission bits, a read-only mount does not). Each gives one clear line (the
 * CLI exits 1) or a 5xx with a message (the daemon, which keeps serving), loses nothing already
 * stored, and works again once there is room or the folder is writable.
 *
 * <p>Needs {@code mount} (root, as in CI); skipped where it is not allowed. Every file system a
 * test mounts is unmounted in its {@code finally}, and any left over in {@link #unmountAll}.
 */
class DiskFailuresIT {
    @TempDir
    static Path dir;

    private static final List<Path> MOUNTED = new ArrayList<>();

    @BeforeAll
    static void mountIsAllowed() throws Exception {
        Path probe = Files.createDirectories(dir.resolve("probe"));
        int mounted;
        try {
            mounted = sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.toString());
        } catch (IOException e) {
            mounted = -1; // no mount command
        }
        assumeTrue(mounted == 0, "mount is not allowed here (not root, or no CAP_SYS_ADMIN)");
        assertThat(sh("umount", probe.toString())).isZero();
    }

    @AfterAll
    static void unmountAll() throws Exception {
        for (int i = MOUNTED.size() - 1; i >= 0; i--) {
            sh("umount", "-l", MOUNTED.get(i).toString());
        }
        MOUNTED.clear();
    }

    /**
     * {@code distree add} until the disk is full: a run then fails with one line naming the
     * tree's folder and "no space", every entry acknowledged before is still there in a
     * lint-clean tree, and once space is freed the next add works.
     */
    @Test
    void addOnAFullDiskSaysNoSpaceLosesNothingAndWorksOnceThereIsRoom() throws Exception {
        Path disk = mount("add-full", "2m");
        try {
            Path tree = disk.resolve("tree");
            Path ballast = disk.resolve("ballast");
            Files.write(ballast, new byte[512 << 10]);
            Random random = new Random(16);
            Set<String> acked = new HashSet<>();
            Set<String> given = new HashSet<>();
            Cli run = null;
            for (int i = 0; i < 500; i++) {
                Path input = entries(random, 1_000, "add" + i, given);
                run = Cli.run(
                        "add",
                        tree.toString(),
                        "--in",
                        input.toString(),
                        "--batch",
                        "200",
                        "--ack",
                        "-q");
                acked.addAll(run.out().lines().toList());
                if (run.code() != 0) {
                    break;
                }
            }
            assertThat(run).isNotNull();
            assertThat(run.code()).as(run.err()).isEqualTo(Distree.EXIT_FAILURE);
            assertOneLine(run.err(), tree.toString(), "no space left on device");
            assertThat(acked).hasSizeGreaterThan(1_000);

            // Room first: a change whose log record was written but not all its files needs it
            // to be put in place when the tree is next opened (here by the linter).
            Files.delete(ballast);
            assertThat(Trees.lint(tree).violations()).isEmpty();
            Set<String> present = keysAndLinks(tree);
            assertThat(present).containsAll(acked);
            assertThat(given).containsAll(present);
            // A transaction needs room for its files twice (the log, then beside their places):
            // small ones, where random keys touch a leaf each.
            Path more = entries(random, 100, "after", given);
            Cli after = Cli.run(
                    "add", tree.toString(), "--in", more.toString(), "--batch", "5", "--ack", "-q");
            assertThat(after.code()).as(after.err()).isZero();
            assertThat(after.out().lines()).hasSize(100);
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(keysAndLinks(tree))
                    .containsAll(acked)
                    .containsAll(after.out().lines().toList());
        } finally {
            unmount(disk);
        }
    }

    /**
     * {@code POST /entries} until the daemon's disk is full: the request that does not fit gets
     * a 5xx whose message names the folder and "no space", the daemon keeps serving, every
     * entry acknowledged before is there, and once space is freed the next request is stored.
     */
    @Test
    void postEntriesOnAFullDiskAnswers5xxAndTheDaemonKeepsServing() throws Exception {
        Path disk = mount("serve-full", "2m");
        try {
            Path data = disk.resolve("tree");
            Path ballast = disk.resolve("ballast");
            Files.write(ballast, new byte[256 << 10]);
            Random random = new Random(17);
            Set<String> acked = new HashSet<>();
            HttpClient client = client();
            try (ChildDaemon d = ChildDaemon.start(data, dir.resolve("logs-full"))) {
                String token = ChildDaemon.token(data);
                HttpResponse<String> r = null;
                for (int i = 0; i < 2_000; i++) {
                    List<String> batch = batch(random, "full" + i);
                    r = d.postEntries(client, token, String.join("\n", batch) + "\n");
                    if (r.statusCode() != 200) {
                        break;
                    }
                    acked.addAll(batch);
                }
                assertThat(r).isNotNull();
                assertThat(r.statusCode()).as(r.body()).isBetween(500, 599);
                assertOneLine(r.body(), data.toString(), "no space left on device");
                assertThat(d.get(client, "/healthz").statusCode()).isEqualTo(200);
                assertThat(acked).hasSizeGreaterThan(1_000);

                Files.delete(ballast);
                List<String> later = batch(random, "later");
                HttpResponse<String> after =
                        d.postEntries(client, token, String.join("\n", later) + "\n");
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                acked.addAll(later);
                assertThat(d.stop()).isIn(0, 143);
            }
            assertThat(Trees.lint(data).violations()).isEmpty();
            assertThat(keysAndLinks(data)).containsAll(acked);
        } finally {
            unmount(disk);
        }
    }

    /**
     * A tree and a site's tree on a file system remounted read-only: {@code add}, {@code
     * index-site} and {@code serve} each exit 1 with one line that names the folder and says it
     * is read-only, and no file changes.
     */
    @Test
    void aReadOnlyFolderIsRefusedInOneLineAndNothingChanges() throws Exception {
        Path disk = mount("read-only", "4m");
        try {
            Random random = new Random(18);
            Path tree = disk.resolve("tree");
            Set<String> given = new HashSet<>();
            Cli add = Cli.run(
                    "add",
                    tree.toString(),
                    "--in",
                    entries(random, 500, "ro", given).toString(),
                    "-q");
            assertThat(add.code()).as(add.err()).isZero();
            Path site = Files.createDirectories(dir.resolve("ro-site"));
            for (int i = 0; i < 20; i++) {
                Files.writeString(
                        site.resolve("page" + i + ".html"),
                        "<html><head><title>Page " + i + "</title></head><body><p>"
                                + Trees.word(random) + " " + Trees.word(random)
                                + "</p></body></html>",
                        StandardCharsets.UTF_8);
            }
            Path out = disk.resolve("search");
            Cli index = Cli.run(
                    "index-site",
                    site.toString(),
                    "--base-url",
                    "https://ro.example/",
                    "--out",
                    out.toString(),
                    "-q");
            assertThat(index.code()).as(index.err()).isZero();
            Files.writeString(
                    site.resolve("page0.html"),
                    "<html><body><p>changed</p></body></html>",
                    StandardCharsets.UTF_8);
            Map<String, String> before = files(disk);
            assertThat(sh("mount", "-o", "remount,ro", disk.toString())).isZero();

            Cli addRo = Cli.run("add", tree.toString(), "one", "https://ro.example/one", "-q");
            assertThat(addRo.code()).isEqualTo(Distree.EXIT_FAILURE);
            assertOneLine(addRo.err(), tree.toString(), "read-only");

            Cli indexRo = Cli.run(
                    "index-site",
                    site.toString(),
                    "--base-url",
                    "https://ro.example/",
                    "--out",
                    out.toString(),
                    "-q");
            assertThat(indexRo.code()).isEqualTo(Distree.EXIT_FAILURE);
            assertOneLine(indexRo.err(), out.toString(), "read-only");

            Path err = dir.resolve("serve-ro.err");
            Process serve = new ProcessBuilder(ChildDaemon.command(
                            "serve",
                            "--data",
                            tree.toString(),
                            "--base-url",
                            "http://127.0.0.1/",
                            "--port",
                            "0",
                            "--bind",
                            "127.0.0.1"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile())
                    .start();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).isEqualTo(Distree.EXIT_FAILURE);
            // The daemon may log before it fails; its error is the one line the command prints.
            List<String> said = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("distree: "))
                    .toList();
            assertThat(said).hasSize(1);
            assertOneLine(said.get(0), tree.toString(), "read-only");

            assertThat(files(disk)).isEqualTo(before);
            assertThat(sh("mount", "-o", "remount,rw", disk.toString())).isZero();
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(keysAndLinks(tree)).isEqualTo(given);
        } finally {
            unmount(disk);
        }
    }

    /**
     * The daemon's node folder made read-only under it (a read-only bind mount: the daemon holds
     * its log open for writing, which a remount of the whole file system would wait for):
     * {@code POST /entries} gets a 5xx with a message saying so, the daemon keeps serving
     * searches, and once the folder is writable again the next request is stored; nothing
     * acknowledged is lost.
     */
    @Test
    void aNodeFolderGoneReadOnlyUnderTheDaemonGets5xxAndHeals() throws Exception {
        Path disk = mount("serve-ro", "8m");
        Path nodes = null;
        try {
            Path data = disk.resolve("tree");
            Random random = new Random(19);
            Set<String> acked = new HashSet<>();
            HttpClient client = client();
            try (ChildDaemon d = ChildDaemon.start(data, dir.resolve("logs-ro"))) {
                String token = ChildDaemon.token(data);
                for (int i = 0; i < 5; i++) {
                    List<String> batch = batch(random, "rw" + i);
                    HttpResponse<String> r =
                            d.postEntries(client, token, String.join("\n", batch) + "\n");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    acked.addAll(batch);
                }
                nodes = readOnly(data.resolve("n"));

                HttpResponse<String> refused =
                        d.postEntries(client, token, String.join("\n", batch(random, "ro")) + "\n");
                assertThat(refused.statusCode()).as(refused.body()).isBetween(500, 599);
                assertOneLine(refused.body(), data.toString(), "read-only");
                // Again: the earlier change is still not in place.
                HttpResponse<String> again = d.postEntries(
                        client, token, String.join("\n", batch(random, "ro2")) + "\n");
                assertThat(again.statusCode()).as(again.body()).isBetween(500, 599);
                assertThat(d.get(client, "/healthz").statusCode()).isEqualTo(200);
                String known = acked.iterator().next();
                HttpResponse<String> search = d.get(
                        client,
                        "/search?mode=exact&limit=100&q="
                                + known.substring(0, known.indexOf('\t')));
                assertThat(search.statusCode()).isEqualTo(200);
                assertThat(search.body()).contains(known.substring(known.indexOf('\t') + 1));

                unmount(nodes);
                nodes = null;
                List<String> later = batch(random, "healed");
                HttpResponse<String> after =
                        d.postEntries(client, token, String.join("\n", later) + "\n");
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                acked.addAll(later);
                assertThat(d.stop()).isIn(0, 143);
            }
            assertThat(Trees.lint(data).violations()).isEmpty();
            assertThat(keysAndLinks(data)).containsAll(acked);
        } finally {
            if (nodes != null) {
                unmount(nodes);
            }
            unmount(disk);
        }
    }

    /**
     * Entries acknowledged while the node folder is read-only wait in the entry log; once the
     * backlog is full, a new request is refused at once (one line naming the folder and saying
     * it is read-only) rather than held; once the folder is writable again everything
     * acknowledged goes in.
     */
    @Test
    void aFullBacklogForATreeThatCannotBeWrittenRefusesNewRequestsAtOnce() throws Exception {
        Path disk = mount("serve-backlog", "8m");
        Path nodes = null;
        try {
            Path data = disk.resolve("tree");
            Random random = new Random(23);
            Set<String> acked = new HashSet<>();
            HttpClient client = client();
            try (ChildDaemon d = ChildDaemon.start(
                    data, dir.resolve("logs-backlog"), "--apply-backlog", "300")) {
                String token = ChildDaemon.token(data);
                List<String> first = batch(random, "first");
                assertThat(d.postEntries(client, token, String.join("\n", first) + "\n")
                                .statusCode())
                        .isEqualTo(200);
                acked.addAll(first);
                nodes = readOnly(data.resolve("n"));

                // Durable only: answered from the log while the tree refuses them.
                HttpResponse<String> r = null;
                for (int i = 0; i < 10; i++) {
                    List<String> batch = batch(random, "waiting" + i);
                    long t0 = System.nanoTime();
                    r = d.postEntries(client, token, String.join("\n", batch) + "\n", false);
                    assertThat(System.nanoTime() - t0)
                            .as("answered, not held")
                            .isLessThan(TimeUnit.SECONDS.toNanos(20));
                    if (r.statusCode() != 200) {
                        break;
                    }
                    acked.addAll(batch);
                }
                assertThat(r).isNotNull();
                assertThat(r.statusCode()).as(r.body()).isBetween(500, 599);
                assertOneLine(r.body(), data.toString(), "read-only");
                assertThat(r.body()).contains("wait in the entry log");
                assertThat(acked).hasSizeBetween(200, 400);
                assertThat(d.get(client, "/healthz").statusCode()).isEqualTo(200);

                unmount(nodes);
                nodes = null;
                // Refused until the writer's next try finds the tree writable (at most 30 s
                // apart), then taken.
                List<String> later = batch(random, "healed");
                HttpResponse<String> after = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    after = d.postEntries(client, token, String.join("\n", later) + "\n");
                    if (after.statusCode() == 200) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertThat(after).isNotNull();
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                acked.addAll(later);
                assertThat(d.stop()).isIn(0, 143);
            }
            assertThat(Trees.lint(data).violations()).isEmpty();
            assertThat(keysAndLinks(data)).containsAll(acked);
        } finally {
            if (nodes != null) {
                unmount(nodes);
            }
            unmount(disk);
        }
    }

    private static void assertOneLine(String message, String folder, String says) {
        String m = message.strip();
        assertThat(m).doesNotContain("\n").contains(folder);
        assertThat(m.toLowerCase(java.util.Locale.ROOT)).contains(says);
        assertThat(m).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A tmpfs of {@code size} mounted on a new folder under {@link #dir}. */
    private static Path mount(String name, String size) throws Exception {
        Path at = Files.createDirectories(dir.resolve(name));
        assertThat(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()))
                .isZero();
        MOUNTED.add(at);
        return at;
    }

    /**
     * Makes {@code folder} read-only under whoever holds files open there (a read-only bind
     * mount of itself: a remount of the whole file system would wait for the daemon's open log);
     * returns it, to {@link #unmount}.
     */
    private static Path readOnly(Path folder) throws Exception {
        assertThat(sh("mount", "--bind", folder.toString(), folder.toString())).isZero();
        MOUNTED.add(folder);
        assertThat(sh("mount", "-o", "remount,ro,bind", folder.toString())).isZero();
        return folder;
    }

    private static void unmount(Path at) throws Exception {
        if (MOUNTED.remove(at)) {
            // Lazily if a process still holds a file there (it then goes when they close).
            if (sh("umount", at.toString()) != 0) {
                assertThat(sh("umount", "-l", at.toString())).as("umount " + at).isZero();
            }
        }
    }

    /** Runs a command, its output to the test's; returns its exit code. */
    private static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** 100 new entries as key TAB link lines. */
    private static List<String> batch(Random random, String tag) {
        List<String> batch = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
            batch.add(Trees.word(random) + "\t" + "https://disk.example/" + tag + "/" + j);
        }
        return batch;
    }

    /** A TSV file of {@code n} new entries outside the mounts; adds their key TAB link. */
    private static Path entries(Random random, int n, String tag, Set<String> given)
            throws IOException {
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Entry e = Trees.entry(random);
            String link = e.link() + "-" + tag + "-" + i;
            given.add(e.key() + "\t" + link);
            tsv.append(e.key())
                    .append('\t')
                    .append(link)
                    .append("\t\t")
                    .append(e.comment())
                    .append('\n');
        }
        Path f = dir.resolve("in-" + tag + ".tsv");
        Files.writeString(f, tsv, StandardCharsets.UTF_8);
        return f;
    }

    private static Set<String> keysAndLinks(Path tree) {
        Set<String> out = new HashSet<>();
        for (Entry e : Trees.all(tree)) {
            out.add(e.key() + "\t" + e.link());
        }
        return out;
    }

    /** Every file under {@code root} by its relative path, with its bytes. */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(
                        root.relativize(p).toString(),
                        new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
