package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.tree.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distree add --in}: windows read and sorted, then written in transactions of keys in order. */
class AddCommandTest {
    @TempDir
    Path tmp;

    private Path input(List<String> lines) throws Exception {
        Path in = tmp.resolve("in.tsv");
        Files.write(in, lines, StandardCharsets.UTF_8);
        return in;
    }

    @Test
    void writesEachWindowInKeyOrderAndKeepsEveryEntry() throws Exception {
        Random random = new Random(15);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            lines.add(Trees.word(random) + "\thttps://example.org/" + i + "\tPage " + i + "\tnote");
        }
        Path tree = tmp.resolve("t");

        Cli add = Cli.run(
                "add",
                tree.toString(),
                "--in",
                input(lines).toString(),
                "--window",
                "1000",
                "--batch",
                "64",
                "--ack",
                "-q");

        assertThat(add.code()).isZero();
        List<String> acks = add.out().lines().toList();
        assertThat(acks).hasSize(2_500);
        // Acknowledged a window at a time, each in key order: 1,000, 1,000, then 500.
        for (int from = 0; from < acks.size(); from += 1000) {
            List<String> window = acks.subList(from, Math.min(acks.size(), from + 1000));
            for (int i = 1; i < window.size(); i++) {
                String a = key(window.get(i - 1));
                String b = key(window.get(i));
                assertThat(Keys.compare(a, b)).as("%s before %s", a, b).isLessThanOrEqualTo(0);
            }
        }
        assertThat(Trees.all(tree)).hasSize(2_500);
        assertThat(Trees.lint(tree).violations()).isEmpty();
    }

    private static String key(String ack) {
        return ack.substring(0, ack.indexOf('\t'));
    }

    @Test
    void ofTwoEntriesAtOneKeyAndLinkTheLaterInTheInputWins() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("pear\thttps://example.org/pear\tPears\tfirst");
        for (int i = 0; i < 50; i++) {
            lines.add("k" + i + "\thttps://example.org/" + i + "\t\t");
        }
        lines.add("pear\thttps://example.org/pear\tPears\tsecond");
        Path tree = tmp.resolve("t");

        Cli add = Cli.run("add", tree.toString(), "--in", input(lines).toString(), "--batch", "7");

        assertThat(add.code()).isZero();
        assertThat(Trees.all(tree))
                .filteredOn(e -> e.key().equals("pear"))
                .extracting(Entry::comment)
                .containsExactly("second");
    }

    @Test
    void aBadLineSaysWhatWasAddedBeforeItAndWhatWasNot() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            lines.add("k" + i + "\thttps://example.org/" + i + "\t\t");
        }
        lines.add("\tno key\t\t");
        Path tree = tmp.resolve("t");

        Cli add =
                Cli.run("add", tree.toString(), "--in", input(lines).toString(), "--window", "10");

        assertThat(add.code()).isEqualTo(1);
        assertThat(add.err())
                .contains("in.tsv:26: the key is missing")
                .contains("20 entries before it were added, the 5 read since were not");
        assertThat(Trees.all(tree)).hasSize(20);
    }

    @Test
    void refusesAWindowBelowOne() {
        Cli add = Cli.run("add", tmp.resolve("t").toString(), "--in", "-", "--window", "0");

        assertThat(add.code()).isEqualTo(2);
        assertThat(add.err()).contains("--window must be at least 1");
    }
}
