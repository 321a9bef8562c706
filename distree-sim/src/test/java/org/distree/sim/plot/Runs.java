package org.distree.sim.plot;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distree.sim.Round;
import org.distree.sim.Stored;

/**
 * CSV files as {@code distree simulate} writes them, made with the simulator's own writer
 * ({@link Round#csv}, {@link Stored#csv}), so that the plots are tested on
 * what the simulator writes.
 */
final class Runs {
    private Runs() {}

    /**
     * A round: {@code running} machines, {@code stopped} of them stopped at its start, {@code
     * before} and {@code beforeAll} the recall before repair ({@code NaN} for none).
     */
    static Round round(
            int round,
            double minRecall,
            int running,
            int stopped,
            double medianFetches,
            double p99Fetches,
            double before,
            double beforeAll) {
        return new Round(
                round,
                minRecall,
                minRecall,
                1,
                medianFetches,
                100,
                150,
                10,
                2,
                1000,
                running,
                stopped,
                0,
                0,
                100L * running,
                minRecall,
                p99Fetches,
                2,
                5,
                minRecall,
                before,
                beforeAll);
    }

    /** A run of {@code machines} with these recalls by round, no failure, fetches 4 and 6. */
    static Path recalls(Path file, int machines, double... recall) throws IOException {
        List<Round> rounds = new ArrayList<>();
        for (int r = 0; r < recall.length; r++) {
            rounds.add(round(r, recall[r], machines, 0, 4, 6, Double.NaN, Double.NaN));
        }
        return write(file, rounds);
    }

    /**
     * A run of {@code machines} with {@code stopped} stopped at the start of round 2, after full
     * recall: {@code before} (all: {@code beforeAll}) before any repair, then 0.9 and {@code last}.
     */
    static Path stop(
            Path file, int machines, int stopped, double before, double beforeAll, double last)
            throws IOException {
        int left = machines - stopped;
        return write(
                file,
                List.of(
                        round(0, 0.2, machines, 0, 3, 3, Double.NaN, Double.NaN),
                        round(1, 1, machines, 0, 4, 4, Double.NaN, Double.NaN),
                        round(2, 0.85, left, stopped, 4, 6, before, beforeAll),
                        round(3, 0.9, left, 0, 4, 6, Double.NaN, Double.NaN),
                        round(4, last, left, 0, 4, 6, Double.NaN, Double.NaN)));
    }

    static Path write(Path file, List<Round> rounds) throws IOException {
        List<String> lines = new ArrayList<>(List.of(Round.CSV_HEADER));
        rounds.forEach(r -> lines.add(r.csv()));
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** A storage CSV of machines storing these shares of an even load of 100 own entries. */
    static Path storage(Path file, double... shares) throws IOException {
        List<String> lines = new ArrayList<>(List.of(Stored.CSV_HEADER));
        for (int i = 0; i < shares.length; i++) {
            URI m = URI.create("http://m" + (i + 1) + ".sim/");
            lines.add(new Stored(m, Math.round(shares[i] * 100), 100, shares[i]).csv());
        }
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
