package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsOneCsvLinePerRoundAndAProgressLineOnStderrAndLeavesNoTree() throws Exception {
        Path csv = tmp.resolve("out.csv");
        Path trees = tmp.resolve("not/yet/made");
        Cli c = Cli.run(
                "simulate",
                "--machines",
                "3",
                "--entries-per-machine",
                "10",
                "--rounds",
                "4",
                "--seed",
                "3",
                "--lookups",
                "3",
                "--threads",
                "2",
                "--until-full",
                "--dir",
                trees.toString(),
                "--csv",
                csv.toString(),
                "--storage-csv",
                tmp.resolve("storage.csv").toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).isEmpty();
        List<String> storage =
                Files.readAllLines(tmp.resolve("storage.csv"), StandardCharsets.UTF_8);
        // At full recall without positions, every machine holds all 30 entries: 3 shares.
        assertThat(storage)
                .containsExactly(
                        "machine,stored,own,share",
                        "http://m0001.sim/,30,10,3.000",
                        "http://m0002.sim/,30,10,3.000",
                        "http://m0003.sim/,30,10,3.000");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("round,min_recall,mean_recall,lookup_recall,");
        assertThat(lines.get(1)).startsWith("0,");
        assertThat(lines.get(lines.size() - 1)).matches("[1-4],1\\.0000,1\\.0000,1\\.0000,.*");
        assertThat(c.err().lines()).hasSize(lines.size() - 1).allMatch(l -> l.startsWith("round "));
        try (var left = Files.list(tmp)) {
            assertThat(left)
                    .containsExactlyInAnyOrder(csv, tmp.resolve("storage.csv"), tmp.resolve("not"));
        }
        try (var made = Files.list(trees)) {
            assertThat(made).as("the folder is made, and no tree is left in it").isEmpty();
        }
    }

    @Test
    void stopsAndReplacesMachinesAndSaysWhatRecallWasBeforeAnyRepair() throws Exception {
        Cli c = Cli.run(
                "simulate",
                "--machines",
                "5",
                "--entries-per-machine",
                "10",
                "--rounds",
                "3",
                "--seed",
                "5",
                "--lookups",
                "3",
                "--threads",
                "2",
                "--stop-fraction",
                "0.4",
                "--stop-at",
                "2",
                "--churn",
                "0.34",
                "--churn-from",
                "2",
                "--churn-rounds",
                "1",
                "--dir",
                tmp.toString());
        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertThat(header)
                .contains("running", "stopped", "replaced", "crashed", "min_recall_all")
                .contains("p99_fetches", "median_machines", "storage_share_mean")
                .contains("storage_share_max", "not_modified_share", "bytes_per_machine");
        assertThat(lines).hasSize(5);
        int running = header.indexOf("running");
        int stopped = header.indexOf("stopped");
        int replaced = header.indexOf("replaced");
        String[] two = lines.get(3).split(",", -1);
        // 40% of 5 is 2 stopped; then 34% of the 3 running is 1 replaced.
        assertThat(two[0]).isEqualTo("2");
        assertThat(two[stopped]).isEqualTo("2");
        assertThat(two[replaced]).isEqualTo("1");
        assertThat(two[running]).isEqualTo("3");
        String[] three = lines.get(4).split(",", -1);
        assertThat(three[stopped] + three[replaced] + three[running]).isEqualTo("003");
        assertThat(header.subList(header.size() - 2, header.size()))
                .containsExactly("before_repair_min_recall", "before_repair_min_recall_all");
        assertThat(two[header.size() - 2]).as("recall before repair").matches("[01]\\.[0-9]{4}");
        assertThat(two[header.size() - 1]).matches("[01]\\.[0-9]{4}");
        assertThat(three[header.size() - 2] + three[header.size() - 1]).isEmpty();
        assertThat(c.err().lines())
                .hasSize(5)
                .allMatch(l -> l.startsWith("round "))
                .anyMatch(l -> l.startsWith("round 2: 2 machines stopped at its start, 3"
                        + " running; before any repair, recall "));
        assertThat(c.err()).contains("3 running (2 stopped, 1 replaced, 0 crashed)");
    }

    @Test
    void refusesABadCountOrSettingWithOneLine() {
        Cli noMachines = Cli.run("simulate", "--machines", "0", "--dir", tmp.toString());
        assertThat(noMachines.code()).isEqualTo(2);
        assertThat(noMachines.err()).startsWith("distree: 0 machines is outside 1..100,000");
        Cli badRounds = Cli.run("simulate", "--machines", "2", "--rounds", "-1");
        assertThat(badRounds.code()).isEqualTo(2);
        Cli badSetting = Cli.run(
                "simulate", "--machines", "2", "--set", "redundancy=0", "--dir", tmp.toString());
        assertThat(badSetting.code()).isEqualTo(2);
        assertThat(badSetting.err()).contains("redundancy");
        Cli badStop = Cli.run(
                "simulate", "--machines", "2", "--stop-fraction", "1", "--dir", tmp.toString());
        assertThat(badStop.code()).isEqualTo(2);
        assertThat(badStop.err()).startsWith("distree: stop fraction 1.0 is outside");
        Cli badChurn =
                Cli.run("simulate", "--machines", "2", "--churn", "0.1", "--churn-rounds", "0");
        assertThat(badChurn.code()).isEqualTo(2);
        assertThat(badChurn.err()).startsWith("distree: 0 churn rounds");
    }
}
