package org.distree.sim.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuresTest {
    @TempDir
    Path tmp;

    @Test
    void roundsToARecallAreTheFirstRoundThatReachesIt() throws Exception {
        CsvTable t = CsvTable.read(
                Runs.recalls(tmp.resolve("r.csv"), 10, 0.1, 0.5, 0.9985, 0.999, 0.998, 1));
        assertThat(Measures.roundsTo(t, 0.999)).hasValue(3);
        assertThat(Measures.roundsTo(t, 1)).hasValue(5);
        assertThat(Measures.roundsTo(t, 0.5)).hasValue(1);
        assertThat(Measures.roundsTo(t, 0.1)).as("round 0 counts").hasValue(0);
        CsvTable never = CsvTable.read(Runs.recalls(tmp.resolve("n.csv"), 10, 0.1, 0.5, 0.99));
        assertThat(Measures.roundsTo(never, 0.999)).isEmpty();
        assertThat(Measures.lastRound(never)).isEqualTo(2);
    }

    @Test
    void theMachinesOfARunAreThoseRunningAtRoundZeroElseTheMost() throws Exception {
        CsvTable stopped = CsvTable.read(Runs.stop(tmp.resolve("s.csv"), 20, 6, 0.9, 0.9, 1));
        assertThat(Measures.machines(stopped)).isEqualTo(20);
        Path later = tmp.resolve("later.csv");
        Files.writeString(later, "round,running\n3,12\n4,15\n5,9\n", StandardCharsets.UTF_8);
        assertThat(Measures.machines(CsvTable.read(later))).isEqualTo(15);
        Path none = tmp.resolve("none.csv");
        Files.writeString(none, "round,running\n0,0\n1,5\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Measures.machines(CsvTable.read(none)))
                .hasMessage(none + ":2: no machine running");
        assertThat(Measures.last(stopped, "p99_fetches")).isEqualTo(6);
    }

    @Test
    void aStopIsTheShareStoppedAndTheRecallBeforeAndAfterRepair() throws Exception {
        CsvTable t = CsvTable.read(Runs.stop(tmp.resolve("s.csv"), 20, 6, 0.968, 0.961, 0.9993));
        Measures.Stop s = Measures.stop(t).orElseThrow();
        assertThat(s.share()).isEqualTo(0.3);
        assertThat(s.beforeRepair()).isEqualTo(0.968);
        assertThat(s.beforeRepairAll()).isEqualTo(0.961);
        assertThat(s.last()).isEqualTo(0.9993);
        assertThat(s.roundsAfter()).isEqualTo(2);

        CsvTable none = CsvTable.read(Runs.recalls(tmp.resolve("n.csv"), 5, 0.5, 1));
        assertThat(Measures.stop(none)).isEmpty();

        // Crashed machines ran before the stop too: 2 stopped of 2 + 5 running + 3 crashed.
        Path crashed = tmp.resolve("c.csv");
        Files.writeString(
                crashed,
                "round,min_recall,running,stopped,crashed,before_repair_min_recall,"
                        + "before_repair_min_recall_all\n"
                        + "0,1,10,0,0,,\n1,0.9,5,2,3,0.95,0.9\n",
                StandardCharsets.UTF_8);
        assertThat(Measures.stop(CsvTable.read(crashed)).orElseThrow().share()).isEqualTo(0.2);

        Path liar = tmp.resolve("l.csv");
        Files.writeString(
                liar,
                "round,min_recall,running,stopped,crashed,before_repair_min_recall,"
                        + "before_repair_min_recall_all\n0,1,10,0,0,0.9,0.9\n",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Measures.stop(CsvTable.read(liar)))
                .hasMessage(liar + ":2: a recall before repair in a round that stopped no machine");

        Path old = tmp.resolve("old.csv");
        Files.writeString(old, "round,min_recall,running\n0,1,3\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Measures.stop(CsvTable.read(old)))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith(old + ":1: no column before_repair_min_recall");
    }

    @Test
    void aHistogramCountsEachValueOnceInSharesThatAddUpToOne() {
        double[] h = Measures.histogram(new double[] {0, 0.49, 0.5, 1.2, 3.99, 4}, 0.5, 200);
        assertThat(h).hasSize(9);
        assertThat(h[0]).isCloseTo(2 / 6.0, within(1e-12));
        assertThat(h[1]).isCloseTo(1 / 6.0, within(1e-12));
        assertThat(h[2]).isCloseTo(1 / 6.0, within(1e-12));
        assertThat(h[7]).isCloseTo(1 / 6.0, within(1e-12));
        assertThat(h[8]).as("4 is the first of [4, 4.5)").isCloseTo(1 / 6.0, within(1e-12));
        assertThat(h[3] + h[4] + h[5] + h[6]).isZero();
        assertThat(Measures.histogram(new double[] {2.2}, 1, 3)).containsExactly(0, 0, 1);
    }

    @Test
    void aHistogramRefusesWhatItCannotCount() {
        assertThatThrownBy(() -> Measures.histogram(new double[] {1}, 0, 10))
                .hasMessage("bin width 0.0 is not above 0");
        assertThatThrownBy(() -> Measures.histogram(new double[] {1}, Double.NaN, 10))
                .hasMessage("bin width NaN is not above 0");
        assertThatThrownBy(() -> Measures.histogram(new double[0], 1, 10))
                .hasMessage("no values to count");
        assertThatThrownBy(() -> Measures.histogram(new double[] {-1}, 1, 10))
                .hasMessage("value -1.0 is not 0 or more");
        assertThatThrownBy(() -> Measures.histogram(new double[] {100}, 0.5, 200))
                .hasMessage("201 bins of 0.5 up to 100.0 is over the 200 bin limit: use wider"
                        + " bins");
    }

    @Test
    void theTargetsAreIssue13s() {
        assertThat(Measures.roundsTarget(1024)).isCloseTo(20, within(1e-9));
        assertThat(Measures.roundsTarget(10)).isCloseTo(6.644, within(1e-3));
        assertThat(Measures.keptByIndependentHolders(0.3, 3)).isCloseTo(0.973, within(1e-9));
        assertThat(List.of(0.0, 1.0))
                .allSatisfy(
                        f -> assertThat(Measures.keptByIndependentHolders(f, 3)).isEqualTo(1 - f));
    }
}
