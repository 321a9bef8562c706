package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
    @TempDir
    Path tmp;

    /** Runs until full recall or {@code max} rounds; the CSV lines, round 0 first. */
    static List<String> run(Path dir, Simulation.Config config, int max) throws Exception {
        List<String> csv = new ArrayList<>();
        try (Simulation s = Simulation.start(dir, config)) {
            Simulation.Round r = s.measure();
            csv.add(r.csv());
            while (r.minRecall() < 1 && s.rounds() < max) {
                r = s.round();
                csv.add(r.csv());
            }
        }
        return csv;
    }

    @Test
    void fiveMachinesReachFullRecallTheSameWayForASeedWhateverTheThreads() throws Exception {
        Simulation.Config config =
                Simulation.Config.of(5, 50, -1, 5).withRoots(5).withLookups(10);
        List<String> two = run(tmp.resolve("two"), config.withThreads(2), 8);
        List<String> one = run(tmp.resolve("one"), config.withThreads(1), 8);

        assertThat(one).isEqualTo(two);
        String[] before = two.get(0).split(",", -1);
        assertThat(before[0]).isEqualTo("0");
        assertThat(Double.parseDouble(before[1])).as("recall before any round").isLessThan(0.3);
        String[] last = two.get(two.size() - 1).split(",", -1);
        assertThat(two.size() - 1).as("rounds to full recall").isBetween(1, 6);
        assertThat(last[1]).isEqualTo("1.0000");
        assertThat(last[3]).as("exact lookups found").isEqualTo("1.0000");
        assertThat(Double.parseDouble(last[4])).as("median fetches").isBetween(2.0, 10.0);
        assertThat(Double.parseDouble(last[5])).as("entries stored per machine").isEqualTo(250);
        String[] first = two.get(1).split(",", -1);
        assertThat(Long.parseLong(first[7])).as("requests in round 1").isPositive();
        assertThat(Long.parseLong(first[9])).as("bytes in round 1").isPositive();
    }

    @Test
    void liveModeRunsTheMachinesInOrderAndAlsoReachesFullRecall() throws Exception {
        List<String> csv = run(
                tmp,
                Simulation.Config.of(3, 20, -1, 3)
                        .withMode(Network.Mode.LIVE)
                        .withLookups(0)
                        .withSettings(Map.of("redundancy", "2")),
                6);
        assertThat(csv.get(csv.size() - 1))
                .startsWith((csv.size() - 1) + ",1.0000,1.0000,1.0000,0.0,");
    }

    @Test
    void entriesWithZipfKeysAreAllFoundToo() throws Exception {
        List<String> csv =
                run(tmp, Simulation.Config.of(3, 30, -1, 4).withZipf(1.0).withLookups(5), 6);
        assertThat(csv.get(csv.size() - 1)).matches("[1-6],1\\.0000,1\\.0000,1\\.0000,.*");
    }

    @Test
    void refusesWhatCannotBeSimulated() throws Exception {
        assertThatThrownBy(() -> Simulation.Config.of(3, 10, -1, 1).withZipf(-1))
                .hasMessageContaining("Zipf exponent -1.0");
        assertThatThrownBy(() -> Simulation.Config.of(0, 10, -1, 1))
                .hasMessageContaining("outside 1..100,000");
        assertThatThrownBy(() -> Simulation.Config.of(3, 10, -2, 1))
                .hasMessageContaining("below -1");
        assertThatThrownBy(() -> Simulation.Config.of(3, 10, -1, 1).withRoots(4))
                .hasMessageContaining("4 roots");
        assertThatThrownBy(() -> Simulation.start(
                        tmp, Simulation.Config.of(2, 1, -1, 1).withSettings(Map.of("nope", "1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }
}
