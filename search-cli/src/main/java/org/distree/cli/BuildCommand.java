package org.distree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.distree.archive.CdxjReader;
import org.distree.archive.ReplayTemplate;
import org.distree.input.EntryReader;
import org.distree.input.InputFormat;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "JSON Lines: {\"key\":…, \"link\":…, \"title\":…, \"comment\":…, \"digest\":…}.",
            "CDXJ: a web archive's capture index (SURT TIMESTAMP {JSON}), one entry per capture"
                    + " (docs/ARCHIVE.md); 'distree export --format cdxj' writes it back."
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

    @Mixin
    TreeOutOptions tree = new TreeOutOptions();

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "tsv, csv, jsonl or cdxj; by default from the file name (else tsv).")
    @Nullable
    String format;

    @Option(
            names = "--replay",
            defaultValue = ReplayTemplate.DEFAULT,
            paramLabel = "TEMPLATE",
            description = "cdxj: each capture's link, from {timestamp} and {url} (default:"
                    + " ${DEFAULT-VALUE}).")
    String replay;

    @Option(
            names = "--analyzer",
            paramLabel = "NAME",
            description = "The analyzer the root declares (how keys were made from text).")
    @Nullable
    String analyzer;

    @Option(names = "--skip-bad", description = "Skip bad records (counted) instead of stopping.")
    boolean skipBad;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the time of each phase.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String fmt = format != null ? format.toLowerCase(Locale.ROOT) : formatOf(in);
        InputFormat entries = null;
        ReplayTemplate template = null;
        if (fmt.equals("cdxj")) {
            try {
                template = new ReplayTemplate(replay);
            } catch (IllegalArgumentException e) {
                throw UserException.usage("--replay: " + e.getMessage());
            }
        } else {
            try {
                entries = InputFormat.valueOf(fmt.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw UserException.usage(
                        "--format '" + format + "' is not tsv, csv, jsonl or cdxj");
            }
        }
        String name = in.equals("-") ? "stdin" : in;
        long total = in.equals("-") ? -1 : Files.size(Path.of(in));
        InputFormat entryFormat = entries;
        ReplayTemplate replayTemplate = template;
        TreeBuild.run(tree.settings(analyzer, verbose, total), err, (sink, progress) -> {
            try (CountingInputStream counted = new CountingInputStream(open(in))) {
                InputStream input = maybeGunzip(counted, in);
                long n = 0;
                if (replayTemplate != null) {
                    try (CdxjReader reader = new CdxjReader(input, name, skipBad)) {
                        org.distree.archive.Capture.Indexed c;
                        while ((c = reader.nextIndexed(replayTemplate)) != null) {
                            IndexWarcCommand.add(sink, c);
                            if ((++n & 0xFFF) == 0) {
                                progress.stepTo(counted.count());
                            }
                        }
                        progress.stepTo(counted.count());
                        return reader.skipped();
                    }
                }
                try (EntryReader reader = new EntryReader(
                        input, name, java.util.Objects.requireNonNull(entryFormat), skipBad)) {
                    Entry e;
                    while ((e = reader.next()) != null) {
                        sink.add(e);
                        if ((++n & 0xFFF) == 0) {
                            progress.stepTo(counted.count());
                        }
                    }
                    progress.stepTo(counted.count());
                    return reader.skipped();
                }
            }
        });
        return Distree.EXIT_OK;
    }

    /** The format a file name implies: {@code .cdxj}, else as {@link InputFormat#forName}. */
    private static String formatOf(String in) {
        String n = in.toLowerCase(Locale.ROOT);
        if (n.endsWith(".cdxj") || n.endsWith(".cdxj.gz")) {
            return "cdxj";
        }
        return InputFormat.forName(in).name().toLowerCase(Locale.ROOT);
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
