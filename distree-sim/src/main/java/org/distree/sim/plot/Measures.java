package org.distree.sim.plot;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the charts compute from a simulation's CSV ({@code distree simulate --csv}), by column
 * name: rounds to a recall, the machines of a run, the recall before any repair, and the shares
 * of a histogram. Each is a function of one file's columns, and the errors name the file and the
 * line.
 */
final class Measures {
    private Measures() {}

    /**
     * The first round whose smallest recall over the sampled roots ({@code min_recall}) is at
     * least {@code threshold}; empty when no round's is. Round 0 (before any) counts.
     */
    static OptionalInt roundsTo(CsvTable run, double threshold) throws CsvFormatException {
        double[] round = run.numbers("round");
        double[] recall = run.numbers("min_recall");
        for (int i = 0; i < run.size(); i++) {
            if (recall[i] >= threshold) {
                return OptionalInt.of((int) round[i]);
            }
        }
        return OptionalInt.empty();
    }

    /** The last round the file has (the rounds a run that never reached a recall ran). */
    static int lastRound(CsvTable run) throws CsvFormatException {
        double[] round = run.numbers("round");
        return (int) round[round.length - 1];
    }

    /**
     * The machines of a run: those running at round 0 (before any failure), or, with no row for
     * round 0, the most running in any round.
     *
     * @throws CsvFormatException when that is below 1
     */
    static int machines(CsvTable run) throws CsvFormatException {
        double[] round = run.numbers("round");
        double[] running = run.numbers("running");
        double most = 0;
        int at = 0;
        for (int i = 0; i < run.size(); i++) {
            if (round[i] == 0) {
                most = running[i];
                at = i;
                break;
            }
            if (running[i] > most) {
                most = running[i];
                at = i;
            }
        }
        if (most < 1) {
            throw new CsvFormatException(run.file(), run.line(at), "no machine running");
        }
        return (int) most;
    }

    /** The value of {@code column} in the file's last row (the state at the end of the run). */
    static double last(CsvTable run, String column) throws CsvFormatException {
        double[] v = run.numbers(column);
        return v[v.length - 1];
    }

    /**
     * A stop of machines and what it did to recall.
     *
     * @param share the share of the machines stopped: stopped over those running before the stop
     *     (stopped, plus running after the round, plus crashed in it)
     * @param beforeRepair {@code before_repair_min_recall}: the smallest recall of the live
     *     entries right after the stop, before any machine ran
     * @param beforeRepairAll {@code before_repair_min_recall_all}: the same of every machine's own
     *     entries, the stopped machines' too (to set beside {@code 1 - f^r})
     * @param last {@code min_recall} in the file's last row
     * @param roundsAfter the rounds from the stop to that last row
     */
    record Stop(
            double share,
            double beforeRepair,
            double beforeRepairAll,
            double last,
            int roundsAfter) {}

    /**
     * The first round of the file that stopped machines, with its recall before any repair;
     * empty when none did (no {@code before_repair_min_recall} filled in).
     *
     * @throws CsvFormatException when the file has no such column (it was written before {@code
     *     distree simulate} wrote one), or a row has a recall before repair but stopped no machine
     */
    static Optional<Stop> stop(CsvTable run) throws CsvFormatException {
        double[] before = run.numbersOrEmpty("before_repair_min_recall");
        double[] beforeAll = run.numbersOrEmpty("before_repair_min_recall_all");
        double[] stopped = run.numbers("stopped");
        double[] running = run.numbers("running");
        double[] crashed = run.numbers("crashed");
        double[] round = run.numbers("round");
        for (int i = 0; i < run.size(); i++) {
            if (Double.isNaN(before[i])) {
                continue;
            }
            if (stopped[i] < 1) {
                throw new CsvFormatException(
                        run.file(),
                        run.line(i),
                        "a recall before repair in a round that stopped no machine");
            }
            double share = stopped[i] / (stopped[i] + running[i] + crashed[i]);
            int last = run.size() - 1;
            return Optional.of(
                    new Stop(share, before[i], beforeAll[i], run.numbers("min_recall")[last], (int)
                            (round[last] - round[i])));
        }
        return Optional.empty();
    }

    /**
     * A histogram in shares: bin {@code k} holds the values in {@code [k * width, (k + 1) *
     * width)}, as a share of all the values (so the bins add up to 1), from bin 0 to the bin of
     * the largest value.
     *
     * @throws IllegalArgumentException when there are no values, a value is negative or not
     *     finite, the width is not above 0, or the bins would be over {@code maxBins}
     */
    static double[] histogram(double[] values, double width, int maxBins) {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("bin width " + width + " is not above 0");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to count");
        }
        double most = 0;
        for (double v : values) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("value " + v + " is not 0 or more");
            }
            most = Math.max(most, v);
        }
        long bins = (long) Math.floor(most / width) + 1;
        if (bins > maxBins) {
            throw new IllegalArgumentException(bins + " bins of " + width + " up to " + most
                    + " is over the " + maxBins + " bin limit: use wider bins");
        }
        double[] shares = new double[(int) bins];
        for (double v : values) {
            shares[(int) Math.floor(v / width)] += 1.0 / values.length;
        }
        return shares;
    }

    /** Issue 13's target for rounds to full recall: {@code 2 log2(machines)}. */
    static double roundsTarget(double machines) {
        return 2 * Math.log(machines) / Math.log(2);
    }

    /**
     * The share of entries that keep at least one holder when a share {@code f} of the machines
     * stops, each entry held by {@code r} machines chosen independently: {@code 1 - f^r}.
     */
    static double keptByIndependentHolders(double f, int r) {
        return 1 - Math.pow(f, r);
    }
}
