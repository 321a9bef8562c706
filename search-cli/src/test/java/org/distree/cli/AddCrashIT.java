package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.distree.model.Entry;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.distree.tree.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code distree add} process with SIGKILL in the middle of a stream of inserts,
 * several times over, and checks after each restart that the tree is clean and holds every entry
 * the process acknowledged.
 */
class AddCrashIT {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void killNineLosesNoAcknowledgedEntryAndLeavesACleanTree() throws Exception {
        Random random = new Random(7);
        Set<String> acked = new HashSet<>();
        Path tree = dir.resolve("tree");
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 40 + random.nextInt(200);
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "org.distree.cli.Distree",
                            "add",
                            tree.toString(),
                            "--in",
                            "-",
                            "--batch",
                            String.valueOf(1 + random.nextInt(8)),
                            "--ack",
                            "-q")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int sent = feed(p, random, round);
            int seen = 0;
            try (BufferedReader acks = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (seen < killAfter && (line = acks.readLine()) != null) {
                    acked.add(line);
                    seen++;
                }
                // SIGKILL; Java closes our end of its pipes, so later acks go unread (and so
                // do not count as acknowledged).
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(seen).as("acks in round %d of %d sent", round, sent).isPositive();

            try (LocalTree t = LocalTree.open(NodeStore.open(tree), Clock.systemUTC())) {
                Linter.Report report = Trees.lint(t);
                assertThat(report.violations()).as("lint after round %d", round).isEmpty();
            }
            Set<String> present = new HashSet<>();
            for (Entry e : Trees.all(tree)) {
                present.add(e.key() + "\t" + e.link());
            }
            assertThat(present).as("after round %d", round).containsAll(acked);
        }
        assertThat(acked.size()).isGreaterThan(ROUNDS * 40);
    }

    /** Writes entries to the process's stdin from a thread; returns how many it will send. */
    private static int feed(Process p, Random random, int round) {
        int count = 2000;
        long seed = random.nextLong();
        Thread t = new Thread(
                () -> {
                    Random r = new Random(seed);
                    try (OutputStream in = p.getOutputStream()) {
                        for (int i = 0; i < count; i++) {
                            Entry e = Trees.entry(r);
                            String line = e.key() + "\t" + e.link() + "-" + round + "\t\t"
                                    + e.comment() + "\n";
                            in.write(line.getBytes(StandardCharsets.UTF_8));
                            if (i % 16 == 0) {
                                in.flush();
                            }
                        }
                    } catch (java.io.IOException e) {
                        // The process was killed: the pipe is closed.
                    }
                },
                "feeder");
        t.setDaemon(true);
        t.start();
        return count;
    }
}
