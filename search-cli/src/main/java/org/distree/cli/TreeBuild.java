package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import org.distree.model.Entry;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.distree.tree.ExternalSorter;
import org.jspecify.annotations.Nullable;

/**
 * The one pipeline of the commands that build a whole tree from entries in any order ({@code
 * build}, {@code index-warc}):
 *
 * <pre>
 * feed ─► ExternalSorter (runs of --buffer-mb, spilled, merged)
 *      ─► BulkBuilder (leaves, then each level up) into a staging folder
 *      ─► renamed into --out once complete and durable; on any failure the staging folder is
 *         deleted and --out is left as it was
 * </pre>
 */
final class TreeBuild {
    /** Where a feed puts entries, and the page records its record entries link. */
    interface Sink {
        /** Adds an entry (one thread at a time). */
        void add(Entry e) throws IOException;

        /**
         * Writes a page record at {@code file} ({@code p/NAME.html}) in the tree's folder; a
         * record written twice must have the same bytes (as two identical captures give).
         *
         * @throws IOException when it cannot be written, or when a record of that name with other
         *     bytes was written before
         */
        void record(String file, byte[] bytes) throws IOException;
    }

    /** Reads the input into the sink, stepping the progress; returns the bad records skipped. */
    @FunctionalInterface
    interface Feed {
        long into(Sink sink, Progress progress) throws Exception;
    }

    /**
     * The settings every building command shares.
     *
     * @param out the folder for the tree
     * @param shown how it was named on the command line
     * @param total the input's size for the progress bar, in bytes; -1 when unknown
     */
    record Settings(
            Path out,
            String shown,
            boolean force,
            double fill,
            @Nullable String analyzer,
            @Nullable Integer bufferMb,
            boolean quiet,
            boolean verbose,
            long total) {}

    private TreeBuild() {}

    /**
     * Writes a page record into the staging folder, {@code p/} made on first use; a name met
     * again must come with the same bytes.
     */
    private static void writeRecord(Path staging, Path records, String file, byte[] bytes)
            throws IOException {
        Path p = staging.resolve(file).normalize();
        if (!records.equals(p.getParent())) {
            throw new IOException(
                    "a record's file is not in " + NodeStore.RECORD_DIR + "/: " + file);
        }
        Files.createDirectories(records);
        try {
            Files.write(p, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!java.util.Arrays.equals(Files.readAllBytes(p), bytes)) {
                throw new IOException("two different page records are named " + file, e);
            }
        }
    }

    /** Builds the tree and prints the summary line. */
    static void run(Settings s, PrintWriter err, Feed feed) throws Exception {
        try {
            Budgets.requireBuildFill(s.fill());
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--" + e.getMessage());
        }
        if (s.bufferMb() != null && s.bufferMb() < 1) {
            throw UserException.usage("--buffer-mb must be at least 1");
        }
        long buffer = s.bufferMb() != null
                ? (long) s.bufferMb() << 20
                : Math.min(
                        ExternalSorter.DEFAULT_BUFFER_BYTES,
                        Runtime.getRuntime().maxMemory() / 3);
        Path outDir = s.out().toAbsolutePath().normalize();
        OutputFolder.requireReplaceable(
                outDir,
                s.shown(),
                s.force(),
                "is not empty; use --force to replace the tree in it");
        long start = System.nanoTime();
        Path staging = OutputFolder.staging(outDir);
        BulkBuilder.Result result;
        long skipped;
        long duplicates;
        try (Progress progress = Progress.start("Reading", s.total(), "MB", 1 << 20, s.quiet());
                NodeStore store = NodeStore.open(staging);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(staging.resolve(".distree").resolve("sort")),
                        buffer)) {
            Path records = staging.resolve(NodeStore.RECORD_DIR);
            skipped = feed.into(
                    new Sink() {
                        @Override
                        public void add(Entry e) throws IOException {
                            sorter.add(e);
                        }

                        @Override
                        public void record(String file, byte[] bytes) throws IOException {
                            writeRecord(staging, records, file, bytes);
                        }
                    },
                    progress);
            long read = System.nanoTime();
            Iterator<Entry> sorted = sorter.sorted();
            long sortedAt = System.nanoTime();
            BulkBuilder builder = new BulkBuilder(
                    store,
                    s.fill(),
                    s.analyzer(),
                    Clock.systemUTC().instant(),
                    done -> progress.extraMessage(
                            String.format(Locale.ROOT, "writing %,d entries", done)));
            result = builder.build(sorted);
            duplicates = sorter.duplicates();
            if (s.verbose()) {
                err.println(String.format(
                        Locale.ROOT,
                        "read %.2f s (%d runs spilled), sort %.2f s,"
                                + " write %.2f s (%d rendering threads), sync %.2f s",
                        (read - start) / 1e9,
                        sorter.spilledRuns(),
                        (sortedAt - read) / 1e9,
                        (System.nanoTime() - sortedAt - result.syncNanos()) / 1e9,
                        builder.threads(),
                        result.syncNanos() / 1e9));
            }
        } catch (Exception ex) {
            OutputFolder.deleteTree(staging);
            throw ex;
        }
        OutputFolder.deleteTree(staging.resolve(".distree").resolve("sort"));
        OutputFolder.swapIn(staging, outDir);
        double secs = (System.nanoTime() - start) / 1e9;
        Progress.summary(
                err,
                s.quiet(),
                String.format(
                        Locale.ROOT,
                        "built %s: %,d entries in %,d files, height %d, largest file %,d bytes"
                                + "%s%s (%.1f s)",
                        s.shown(),
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
    }
}
