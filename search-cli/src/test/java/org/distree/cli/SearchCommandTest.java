package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
