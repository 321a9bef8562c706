package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.distree.sim.Config;
import org.distree.sim.Failures;
import org.distree.sim.Network;
import org.distree.sim.Round;
import org.distree.sim.Simulation;
import org.distree.sim.Stored;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code distree simulate --machines N ...}: a ring of machines on an in-memory network, running
 * the real maintainer and searched with the real crawler ({@link Simulation}), one CSV line per
 * round, with failures on purpose ({@link Failures}: a share of the machines stopped
 * at once, machines replaced every round) and crashes counted.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Simulate machines in a ring on an in-memory network: each with its own entries, the"
                    + " real maintainer and the next machine's root as its peer. After each round"
                    + " (every job once on every machine) it searches from sampled roots and"
                    + " prints one CSV line: recall; exact lookups (found, fetches median and p99,"
                    + " machines asked); storage per machine, in entries and in shares (an even"
                    + " share of the live entries); traffic (requests, conditional ones and their"
                    + " 304s, bytes per machine); machines running, stopped, replaced and"
                    + " crashed.",
            "Failures on purpose: --stop-fraction stops a share of the machines at once, at the"
                    + " start of round --stop-at; --churn replaces a share of the running machines"
                    + " every round from --churn-from (for --churn-rounds rounds), each by a new"
                    + " machine at a new base URL with new own entries, told one running"
                    + " machine's root. Which machines, from the seed. A machine whose round"
                    + " throws has crashed: it is stopped and the run goes on (the first stack"
                    + " trace of each kind goes to stderr).",
            "Recall counts the own entries of the running machines, searched from running"
                    + " machines' roots only (a sampled root that is not running is stood in for"
                    + " by the next running machine in ring order); min_recall_all counts the"
                    + " stopped and crashed machines' own entries too (not those of replaced"
                    + " ones); min_recall_settled leaves out the entries of the machines that"
                    + " joined at the start of the round (no other machine has read them yet).",
            "A progress line per round goes to stderr, and after a stop a line with the recall"
                    + " before any repair (also in the CSV: before_repair_min_recall and"
                    + " before_repair_min_recall_all, empty in rounds that stop no machine)."
                    + " The trees are made in a temporary folder, removed at the end.",
            "distree plot makes charts (PNG) of these CSV files."
        })
final class SimulateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--machines",
            required = true,
            paramLabel = "N",
            description = "Machines in the ring at the start.")
    int machines;

    @Option(
            names = "--entries-per-machine",
            paramLabel = "E",
            defaultValue = "40",
            description = "Own entries of each machine (default ${DEFAULT-VALUE}).")
    int entries;

    @Option(
            names = "--rounds",
            paramLabel = "R",
            defaultValue = "30",
            description = "Rounds to run, 0 to 10,000 (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--copy-budget",
            paramLabel = "C",
            defaultValue = "-1",
            description = "Copies of other machines' entries each machine stores at most;"
                    + " -1 for no limit (default ${DEFAULT-VALUE}).")
    long copyBudget;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "What entries and samples are drawn from (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--zipf",
            paramLabel = "EXPONENT",
            defaultValue = "0",
            description = "Draw keys by Zipf's law with this exponent (1 is about natural"
                    + " language) from a vocabulary of as many words as entries. Default: 0, every"
                    + " key a fresh random word.")
    double zipf;

    @Option(
            names = "--roots",
            paramLabel = "K",
            description = "Roots searched from after each round. Default: every machine, at"
                    + " most 20.")
    @Nullable
    Integer roots;

    @Option(
            names = "--lookups",
            paramLabel = "L",
            defaultValue = "20",
            description = "Exact lookups of sampled keys after each round (default"
                    + " ${DEFAULT-VALUE}).")
    int lookups;

    @Option(
            names = "--threads",
            paramLabel = "T",
            description = "Machines run at once. Default: the number of processors.")
    @Nullable
    Integer threads;

    @Option(
            names = "--sequential",
            description = "Run the machines one after another in ring order, each seeing the"
                    + " others' changes and submissions at once (as the maintainer tests' ring"
                    + " of real servers does). Default: in parallel, seeing each other as they"
                    + " were at the end of the last round.")
    boolean sequential;

    @Option(
            names = "--until-full",
            description = "Stop after the first round whose every root finds every entry of the"
                    + " running machines.")
    boolean untilFull;

    @Option(
            names = "--stop-fraction",
            paramLabel = "F",
            defaultValue = "0",
            description = "Stop this share of the running machines (0 to below 1, rounded half up"
                    + " to whole machines, at most all but one) at once at the start of round --stop-at;"
                    + " they stop serving and running for good (default ${DEFAULT-VALUE}: none).")
    double stopFraction;

    @Option(
            names = "--stop-at",
            paramLabel = "R",
            defaultValue = "1",
            description = "The round at whose start --stop-fraction stops machines (default"
                    + " ${DEFAULT-VALUE}).")
    int stopAt;

    @Option(
            names = "--churn",
            paramLabel = "F",
            defaultValue = "0",
            description = "Replace this share of the running machines (0 to below 1; fractions"
                    + " of a machine carried to the next round) at the start of every round from"
                    + " --churn-from: each stops for good, and a new machine joins with a new base"
                    + " URL and new own entries, told one running machine's root (default"
                    + " ${DEFAULT-VALUE}: none).")
    double churn;

    @Option(
            names = "--churn-from",
            paramLabel = "R",
            defaultValue = "1",
            description = "The first round of --churn (default ${DEFAULT-VALUE}).")
    int churnFrom;

    @Option(
            names = "--churn-rounds",
            paramLabel = "K",
            description = "Rounds of --churn. Default: every round from --churn-from on.")
    @Nullable
    Integer churnRounds;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A maintainer setting for every machine (repeatable; docs/PROTOCOL.md).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where to make the temporary folder of trees (made if missing; the"
                    + " trees are deleted at the end). Default: /dev/shm when writable, else"
                    + " the system's temporary folder.")
    @Nullable
    Path dir;

    @Option(
            names = "--csv",
            paramLabel = "FILE",
            description = "Write the CSV to this file instead of stdout.")
    @Nullable
    Path csv;

    @Option(
            names = "--storage-csv",
            paramLabel = "FILE",
            description = "Also write what each running machine stores at the end of the run to"
                    + " this CSV: machine (its base URL), stored (entries in its leaves, own and"
                    + " copies), own, share (stored over an even share of the live entries)."
                    + " For distree plot storage.")
    @Nullable
    Path storageCsv;

    @Override
    public Integer call() throws IOException {
        if (rounds < 0 || rounds > 10_000) {
            throw UserException.usage("--rounds " + rounds + " is outside 0..10,000");
        }
        // An IllegalArgumentException (a count out of range, a bad setting) is a usage error.
        Config config = Config.of(machines, entries, copyBudget, seed)
                .withZipf(zipf)
                .withLookups(lookups)
                .withMode(sequential ? Network.Mode.LIVE : Network.Mode.ROUNDS)
                .withSettings(settings)
                .withFailures(Failures.NONE
                        .withStop(stopFraction, stopAt)
                        .withChurn(churn, churnFrom, churnRounds == null ? -1 : churnRounds));
        if (roots != null) {
            config = config.withRoots(roots);
        }
        if (threads != null) {
            config = config.withThreads(threads);
        }
        Path parent = dir != null ? Files.createDirectories(dir) : defaultDir();
        Path work = Files.createTempDirectory(parent, "distree-sim-");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter lines = csv == null
                ? spec.commandLine().getOut()
                : new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8));
        try {
            long start = System.nanoTime();
            try (Simulation s = Simulation.start(work, config, err)) {
                lines.println(Round.CSV_HEADER);
                Round r = s.measure();
                report(lines, err, r, start);
                while (s.rounds() < rounds && !(untilFull && r.minRecall() >= 1)) {
                    r = s.round();
                    s.beforeRepair().ifPresent(b -> beforeRepair(err, b));
                    report(lines, err, r, start);
                }
                if (storageCsv != null) {
                    writeStorage(storageCsv, s.storage());
                }
            }
        } finally {
            if (csv != null) {
                lines.close();
            }
            delete(work);
        }
        if (lines.checkError()) {
            throw UserException.failure(
                    "could not write the CSV" + (csv == null ? "" : " to " + csv));
        }
        return Distree.EXIT_OK;
    }

    private static void writeStorage(Path file, List<Stored> machines) throws IOException {
        try (PrintWriter w =
                new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println(Stored.CSV_HEADER);
            for (Stored m : machines) {
                w.println(m.csv());
            }
            if (w.checkError()) {
                throw UserException.failure("could not write the storage CSV to " + file);
            }
        }
    }

    private static void report(PrintWriter lines, PrintWriter err, Round r, long startNanos) {
        lines.println(r.csv());
        lines.flush();
        err.println(String.format(
                Locale.ROOT,
                "round %d: recall %.3f (mean %.3f, all %.3f), lookups %.3f (fetches %.1f, p99"
                        + " %.0f, machines %.1f), storage %.2f shares (max %.2f), %,d running (%,d"
                        + " stopped, %,d replaced, %,d crashed), %,d requests (%,d of %,d"
                        + " conditional answered 304), %,.1f KB per machine, %.1f s",
                r.round(),
                r.minRecall(),
                r.meanRecall(),
                r.minRecallAll(),
                r.lookupRecall(),
                r.medianFetches(),
                r.p99Fetches(),
                r.medianMachines(),
                r.storageShareMean(),
                r.storageShareMax(),
                r.running(),
                r.stopped(),
                r.replaced(),
                r.crashed(),
                r.requests(),
                r.notModified(),
                r.conditional(),
                r.bytesPerMachine() / 1024,
                (System.nanoTime() - startNanos) / 1e9));
        err.flush();
    }

    private static void beforeRepair(PrintWriter err, Round b) {
        err.println(String.format(
                Locale.ROOT,
                "round %d: %,d machines stopped at its start, %,d running; before any repair,"
                        + " recall %.3f (mean %.3f, all %.3f), lookups %.3f",
                b.round(),
                b.stopped(),
                b.running(),
                b.minRecall(),
                b.meanRecall(),
                b.minRecallAll(),
                b.lookupRecall()));
        err.flush();
    }

    private static Path defaultDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void delete(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
