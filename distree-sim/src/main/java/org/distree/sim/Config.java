package org.distree.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to simulate.
 *
 * @param machines the number of machines at the start, 1 to 100,000
 * @param entriesPerMachine each machine's own entries, 0 to 10,000,000
 * @param copyBudget the maintainer's {@code copy-budget}: copies of other machines' entries
 *     a machine stores at most; -1 for no limit
 * @param seed what the entries and samples are drawn from
 * @param zipf 0 for keys drawn uniformly (each a fresh random word, as the maintainer tests
 *     draw them); above 0, keys drawn from a vocabulary of as many random words as there
 *     are entries by Zipf's law with this exponent (1 is about natural language), the
 *     entries' links as before; default 0
 * @param roots the roots searched from after each round, 1 to {@code machines}; default the
 *     smaller of {@code machines} and 20
 * @param lookups exact lookups after each round, 0 or more; default 20
 * @param threads the threads that run machines (and searches) at once, 1 or more; default the
 *     number of processors
 * @param mode when machines see each other's changes; default {@link Network.Mode#ROUNDS}
 * @param settings other maintainer settings for every machine; default none
 * @param failures failures on purpose; default {@link Failures#NONE}
 */
public record Config(
        int machines,
        int entriesPerMachine,
        long copyBudget,
        long seed,
        double zipf,
        int roots,
        int lookups,
        int threads,
        Network.Mode mode,
        Map<String, String> settings,
        Failures failures) {
    public Config {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        if (machines < 1 || machines > 100_000) {
            throw new IllegalArgumentException(machines + " machines is outside 1..100,000");
        }
        if (entriesPerMachine < 0 || entriesPerMachine > 10_000_000) {
            throw new IllegalArgumentException(
                    entriesPerMachine + " entries per machine is outside 0..10,000,000");
        }
        if (copyBudget < -1) {
            throw new IllegalArgumentException(
                    "copy budget " + copyBudget + " is below -1 (no limit)");
        }
        if (zipf < 0 || Double.isNaN(zipf) || Double.isInfinite(zipf)) {
            throw new IllegalArgumentException("Zipf exponent " + zipf + " is not 0 or more");
        }
        if (roots < 1 || roots > machines) {
            throw new IllegalArgumentException(
                    roots + " roots is outside 1.." + machines + " (the machines)");
        }
        if (lookups < 0) {
            throw new IllegalArgumentException(lookups + " lookups is negative");
        }
        if (threads < 1) {
            throw new IllegalArgumentException(threads + " threads is below 1");
        }
    }

    /** The defaults for the rest (see the parameters). */
    public static Config of(int machines, int entriesPerMachine, long copyBudget, long seed) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                0,
                Math.min(Math.max(machines, 1), 20),
                20,
                Runtime.getRuntime().availableProcessors(),
                Network.Mode.ROUNDS,
                Map.of(),
                Failures.NONE);
    }

    public Config withZipf(double s) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                s,
                roots,
                lookups,
                threads,
                mode,
                settings,
                failures);
    }

    public Config withRoots(int n) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                n,
                lookups,
                threads,
                mode,
                settings,
                failures);
    }

    public Config withLookups(int n) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                roots,
                n,
                threads,
                mode,
                settings,
                failures);
    }

    public Config withThreads(int n) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                roots,
                lookups,
                n,
                mode,
                settings,
                failures);
    }

    public Config withMode(Network.Mode m) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                roots,
                lookups,
                threads,
                m,
                settings,
                failures);
    }

    public Config withSettings(Map<String, String> s) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                roots,
                lookups,
                threads,
                mode,
                s,
                failures);
    }

    public Config withFailures(Failures f) {
        return new Config(
                machines,
                entriesPerMachine,
                copyBudget,
                seed,
                zipf,
                roots,
                lookups,
                threads,
                mode,
                settings,
                f);
    }
}
