package org.distree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.distree.input.EntryReader;
import org.distree.input.InputException;
import org.distree.input.InputFormat;
import org.distree.model.Entry;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.distree.tree.ExternalSorter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distree build}: a whole tree from a file of entries in any order.
 *
 * <pre>
 * input ─► EntryReader ─► ExternalSorter (runs of --buffer-mb, spilled, merged)
 *       ─► BulkBuilder (leaves, then each level up) into a staging folder
 *       ─► renamed into --out once complete and durable
 * </pre>
 */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Build a tree from entries in any order (TSV, CSV or JSON Lines).",
            "TSV: key<TAB>link[<TAB>title[<TAB>comment[<TAB>digest]]]; lines starting with #"
                    + " are skipped.",
            "CSV: a header row naming key, link and optionally title, comment, digest.",
            "JSON Lines: {\"key\":…, \"link\":…, \"title\":…, \"comment\":…, \"digest\":…}."
        })
final class BuildCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--in",
            required = true,
            paramLabel = "FILE",
            description = "The entries; '-' reads stdin. A .gz file is decompressed.")
    String in;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The folder for the tree; it must be empty or absent unless --force.")
    Path out;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "tsv, csv or jsonl; by default from the file name (else tsv).")
    @Nullable
    InputFormat format;

    @Option(
            names = "--fill",
            defaultValue = "" + Budgets.BUILD_FILL,
            paramLabel = "SHARE",
            description = "How full to pack each 10 KB file, 0.5..1.0 (default: ${DEFAULT-VALUE}).")
    double fill;

    @Option(
            names = "--analyzer",
            paramLabel = "NAME",
            description = "The analyzer the root declares (how keys were made from text).")
    @Nullable
    String analyzer;

    @Option(
            names = "--buffer-mb",
            paramLabel = "MB",
            description = "Memory for sorting before spilling to disk (default: a third of the"
                    + " Java heap, at most 256).")
    @Nullable
    Integer bufferMb;

    @Option(names = "--skip-bad", description = "Skip bad records (counted) instead of stopping.")
    boolean skipBad;

    @Option(names = "--force", description = "Replace a tree already in --out.")
    boolean force;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress or summary on stderr.")
    boolean quiet;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the time of each phase.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Budgets.requireBuildFill(fill);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--" + e.getMessage());
        }
        if (bufferMb != null && bufferMb < 1) {
            throw UserException.usage("--buffer-mb must be at least 1");
        }
        long buffer = bufferMb != null
                ? (long) bufferMb << 20
                : Math.min(
                        ExternalSorter.DEFAULT_BUFFER_BYTES,
                        Runtime.getRuntime().maxMemory() / 3);
        Path outDir = out.toAbsolutePath().normalize();
        OutputFolder.requireReplaceable(
                outDir,
                out.toString(),
                force,
                "is not empty; use --force to replace the tree in it");
        InputFormat fmt = format != null ? format : InputFormat.forName(in);
        long start = System.nanoTime();
        Path staging = OutputFolder.staging(outDir);
        long total = in.equals("-") ? -1 : Files.size(Path.of(in));
        BulkBuilder.Result result;
        long skipped;
        long duplicates;
        try (Progress progress = Progress.start("Reading", total, "MB", 1 << 20, quiet);
                CountingInputStream counted = new CountingInputStream(open(in));
                EntryReader reader = new EntryReader(
                        maybeGunzip(counted, in), in.equals("-") ? "stdin" : in, fmt, skipBad);
                NodeStore store = NodeStore.open(staging);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(staging.resolve(".distree").resolve("sort")),
                        buffer)) {
            long n = 0;
            Entry e;
            while ((e = reader.next()) != null) {
                sorter.add(e);
                if ((++n & 0xFFF) == 0) {
                    progress.stepTo(counted.count());
                }
            }
            progress.stepTo(counted.count());
            skipped = reader.skipped();
            long read = System.nanoTime();
            java.util.Iterator<Entry> sorted = sorter.sorted();
            long sortedAt = System.nanoTime();
            BulkBuilder builder = new BulkBuilder(
                    store,
                    fill,
                    analyzer,
                    Clock.systemUTC().instant(),
                    done -> progress.extraMessage(
                            String.format(Locale.ROOT, "writing %,d entries", done)));
            result = builder.build(sorted);
            duplicates = sorter.duplicates();
            if (verbose) {
                err.println(String.format(
                        Locale.ROOT,
                        "read %.2f s (%d runs spilled), sort %.2f s,"
                                + " write %.2f s, sync %.2f s",
                        (read - start) / 1e9,
                        sorter.spilledRuns(),
                        (sortedAt - read) / 1e9,
                        (System.nanoTime() - sortedAt - result.syncNanos()) / 1e9,
                        result.syncNanos() / 1e9));
            }
        } catch (InputException | IOException | RuntimeException ex) {
            OutputFolder.deleteTree(staging);
            throw ex;
        }
        OutputFolder.deleteTree(staging.resolve(".distree").resolve("sort"));
        OutputFolder.swapIn(staging, outDir);
        double secs = (System.nanoTime() - start) / 1e9;
        Progress.summary(
                err,
                quiet,
                String.format(
                        Locale.ROOT,
                        "built %s: %,d entries in %,d files, height %d, largest file %,d bytes"
                                + "%s%s (%.1f s)",
                        out,
                        result.entries(),
                        result.nodes(),
                        result.height(),
                        result.largestFile(),
                        duplicates > 0
                                ? String.format(Locale.ROOT, ", %,d duplicates dropped", duplicates)
                                : "",
                        skipped > 0
                                ? String.format(Locale.ROOT, ", %,d bad records skipped", skipped)
                                : "",
                        secs));
        return Distree.EXIT_OK;
    }

    private static InputStream open(String in) throws IOException {
        if (in.equals("-")) {
            return System.in;
        }
        Path p = Path.of(in);
        if (!Files.isRegularFile(p)) {
            throw UserException.failure("no such file: " + in);
        }
        return Files.newInputStream(p);
    }

    private static InputStream maybeGunzip(InputStream in, String name) throws IOException {
        return name.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
