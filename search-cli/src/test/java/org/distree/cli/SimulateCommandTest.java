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
                tmp.toString(),
                "--csv",
                csv.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).isEmpty();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("round,min_recall,mean_recall,lookup_recall,");
        assertThat(lines.get(1)).startsWith("0,");
        assertThat(lines.get(lines.size() - 1)).matches("[1-4],1\\.0000,1\\.0000,1\\.0000,.*");
        assertThat(c.err().lines()).hasSize(lines.size() - 1).allMatch(l -> l.startsWith("round "));
        try (var left = Files.list(tmp)) {
            assertThat(left).containsExactly(csv);
        }
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
    }
}
