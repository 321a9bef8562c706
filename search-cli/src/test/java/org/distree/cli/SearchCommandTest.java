package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distree search} on a tree folder on disk (the walk over HTTP is tested in *IT). */
class SearchCommandTest {
    @TempDir
    static Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Distree.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void build() throws Exception {
        Path in = dir.resolve("in.tsv");
        Files.writeString(in, """
                apple\thttps://e.org/apple\tApple pie\tsweet
                apricot\thttps://e.org/apricot\tApricot
                banana\thttps://e.org/banana\tBanana
                pie\thttps://e.org/apple\tApple pie
                """);
        assertThat(run("build", "--in", in.toString(), "--out", dir.resolve("t").toString())
                        .code())
                .isZero();
    }

    @Test
    void findsAnExactKeyInAFolderAsBefore() {
        Run r = run("search", dir.resolve("t").toString(), "apple");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("KEY").contains("Apple pie").contains("https://e.org/apple");
        assertThat(r.err()).contains("1 result;").contains("from 1 host");
    }

    @Test
    void severalWordsRankTheLinkBothFindFirst() {
        Run r = run("search", dir.resolve("t").toString(), "banana", "apple", "pie", "--json");
        String first = r.out().lines().findFirst().orElseThrow();
        assertThat(first)
                .contains("\"link\":\"https://e.org/apple\"")
                .contains("\"matched\":[\"apple\",\"pie\"]");
        assertThat(r.out().lines().count()).isEqualTo(2);
    }

    @Test
    void prefixRangeAndLimit() {
        assertThat(run("search", dir.resolve("t").toString(), "--prefix", "ap").out())
                .contains("apple")
                .contains("apricot")
                .doesNotContain("banana");
        assertThat(run("search", dir.resolve("t").toString(), "--range", "apricot..c")
                        .out())
                .contains("apricot")
                .contains("banana")
                .doesNotContain("https://e.org/apple");
        Run limited = run(
                "search", "--root", dir.resolve("t").toString(), "--range", "..", "--limit", "1");
        assertThat(limited.err()).contains("4 results (1 shown; --limit 0 for all)");
    }

    @Test
    void explainShowsTheWalk() {
        Run r = run("search", dir.resolve("t").toString(), "apple", "--explain");
        assertThat(r.err()).contains("walk (none analyzer; keys apple)").contains("root");
    }

    @Test
    void nothingFoundExitsOneAndUsageErrorsTwoWithoutStackTraces() {
        assertThat(run("search", dir.resolve("t").toString(), "zebra").code()).isEqualTo(1);
        Run usage = run("search", dir.resolve("t").toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).startsWith("distree: ").doesNotContain("Exception");
        Run badRange = run("search", dir.resolve("t").toString(), "--range", "b..a");
        assertThat(badRange.code()).isEqualTo(2);
        assertThat(badRange.err()).doesNotContain("\tat ");
        Run missing = run("search", dir.resolve("nope").toString(), "a");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file or folder");
    }

    /**
     * A search gets a command line with only its own command (built without annotations):
     * it must parse, run, fail and help exactly as the full command line with every command
     * does, on the same arguments.
     */
    @Test
    void theSearchAloneAndTheFullCommandLineGiveTheSameOutputs() {
        String t = dir.resolve("t").toString();
        assertThat(Distree.commandLine(new String[] {"search"}).getSubcommands())
                .containsOnlyKeys("search");
        String[][] invocations = {
            {"search", t, "apple"},
            {"search", t, "apple", "pie", "--json", "--limit=1", "--analyzer", "none"},
            {"search", "--root", t, "--root", t, "--prefix", "ap", "--max-nodes", "5"},
            {"search", t, "--range", "apricot..c", "--max-bytes", "100000", "--timeout", "2.5"},
            {"search", t, "zebra", "--no-robots"},
            {"search", t, "--prefix", "ap", "--range", "a..b"},
            {"search", t, "--bogus", "apple"},
            {"search", t, "apple", "--limit", "x"},
            {"search", t, "apple", "--limit", "-1"},
            {"search", t, "--prefix"},
            {"search"},
            {"search", "--help"},
            {"search", "-V"}
        };
        for (String[] args : invocations) {
            Run alone = run(args);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Distree.execute(
                    Distree.commandLine(), args, new PrintWriter(out), new PrintWriter(err));
            Run full = new Run(code, out.toString(), err.toString());
            assertThat(withoutTimes(alone))
                    .as(String.join(" ", args))
                    .isEqualTo(withoutTimes(full));
        }
        Run bad = run("search", t, "--bogus", "apple");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("""
                        distree: Unknown option: '--bogus'
                        Run 'distree search --help' for usage.
                        """);
        assertThat(run("search", "--help").out())
                .startsWith("Usage: distree search [-hV] [--explain] [--json] [--no-robots]")
                .contains("[--prefix=PREFIX | --range=LOW..HIGH] [[ROOT] WORD...]")
                .contains("--limit=N           At most N results, best first (default: 100; 0 for")
                .endsWith("  -V, --version           Print version information and exit.\n");
    }

    /** The run with the milliseconds a search took left out. */
    private static Run withoutTimes(Run r) {
        return new Run(r.code(), r.out(), r.err().replaceAll("[0-9]+\\.[0-9] ms", "? ms"));
    }

    /**
     * Issue 15: a search of a local tree loads neither an HTML parser (jsoup: the tree's own
     * files are read by CanonicalReader) nor the web's classes (HttpClient, Jetty, Quartz), nor
     * Lucene when the tree declares no analyzer, nor Jackson without --json. Run in
     * a child JVM that lists every class it loads; the controls (--json, a tree declaring the
     * standard analyzer) show that the list sees them when they are loaded.
     */
    @Test
    void aLocalSearchLoadsNoClassesOfTheWebOrLuceneOrJackson() throws Exception {
        Path tree = dir.resolve("t").toAbsolutePath();
        Loaded plain = searchInAChildJvm("search", tree.toString(), "apple");
        assertThat(plain.out()).contains("https://e.org/apple");
        assertThat(plain.classes())
                .contains("org.distree.cli.SearchCommand", "org.distree.html.CanonicalReader");
        assertThat(plain.classes().stream()
                        .filter(c -> c.startsWith("org.jsoup.")
                                || c.startsWith("org.apache.hc.")
                                || c.startsWith("org.eclipse.jetty.")
                                || c.startsWith("org.quartz.")
                                || c.startsWith("org.apache.lucene.")
                                || c.startsWith("com.fasterxml.jackson."))
                        .toList())
                .isEmpty();
        // Nor does it read annotations: on Java 17 each annotation type read makes a proxy
        // class (the other commands' annotated models, the control below, do).
        assertThat(plain.classes()).doesNotContain("java.lang.reflect.Proxy");
        assertThat(searchInAChildJvm("stats", tree.toString()).classes())
                .contains("java.lang.reflect.Proxy");

        Loaded json = searchInAChildJvm("search", tree.toString(), "apple", "--json");
        assertThat(json.out()).contains("\"link\":\"https://e.org/apple\"");
        assertThat(json.classes()).contains("com.fasterxml.jackson.databind.ObjectMapper");

        Path in = dir.resolve("in.tsv");
        Path standard = dir.resolve("standard").toAbsolutePath();
        assertThat(run(
                                "build",
                                "--in",
                                in.toString(),
                                "--out",
                                standard.toString(),
                                "--analyzer",
                                "standard")
                        .code())
                .isZero();
        Loaded lucene = searchInAChildJvm("search", standard.toString(), "Apple");
        assertThat(lucene.out()).contains("https://e.org/apple");
        assertThat(lucene.classes()).contains("org.apache.lucene.analysis.Analyzer");
        assertThat(lucene.classes().stream()
                        .filter(c -> c.startsWith("org.apache.hc."))
                        .toList())
                .isEmpty();
    }

    record Loaded(String out, List<String> classes) {}

    /** Runs distree in a new JVM on this test's class path; its stdout and the classes loaded. */
    private static Loaded searchInAChildJvm(String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        Path out = Files.createTempFile(dir, "out", ".txt");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off",
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                Distree.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("distree " + String.join(" ", args) + " ran 60 s");
        }
        assertThat(p.exitValue()).as("exit code of distree %s", List.of(args)).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // [0.012s][info][class,load] java.lang.Object source: jrt:/java.base
            int name = line.indexOf("[class,load] ");
            if (name >= 0) {
                int start = name + "[class,load] ".length();
                int end = line.indexOf(' ', start);
                classes.add(end < 0 ? line.substring(start) : line.substring(start, end));
            }
        }
        return new Loaded(Files.readString(out, StandardCharsets.UTF_8), classes);
    }
}
