package org.distree.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.archive.Capture;
import org.distree.archive.ReplayTemplate;
import org.distree.archive.WarcIndexer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distree index-warc}: a capture index of WARC and ARC files, one entry per capture
 * (docs/ARCHIVE.md), built like {@code build}.
 *
 * <pre>
 * WARC/ARC... ─► WarcIndexer (WarcRecordReader) ─► Capture ─► entry (SURT key, replay link, JSON comment,
 *         payload digest) ─► TreeBuild (ExternalSorter ─► BulkBuilder) ─► --out
 * </pre>
 */
@Command(
        name = "index-warc",
        mixinStandardHelpOptions = true,
        description = {
            "Build a capture index of WARC files (gzipped or not): one entry per response,"
                    + " revisit, resource or metadata record, as warcio cdx-index picks them.",
            "ARC files (versions 1 and 2, gzipped or not; a file whose first record starts with"
                    + " filedesc://) are read too: one entry per record but the filedesc block.",
            "Key: the URL's SURT and the 14-digit time (a capture whose request is a POST, PUT"
                    + " or other non-GET: the URL with warcio's __wb_method= and flattened body);"
                    + " link: the --replay template; comment:"
                    + " the CDXJ JSON block; data-digest: the payload digest (docs/ARCHIVE.md).",
            "A bad record (truncated, corrupt, bad gzip, an ARC header line that does not parse) stops the build naming the file and"
                    + " offset, and nothing is written; --skip-bad reports it and goes on.",
            "Example: distree index-warc crawl.warc.gz --out index/"
                    + " --replay 'https://archive.example/web/{timestamp}/{url}'"
        })
final class IndexWarcCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "WARC",
            description = "The WARC or ARC files (told apart by their first bytes).")
    List<Path> warcs = new ArrayList<>();

    @Mixin
    TreeOutOptions tree = new TreeOutOptions();

    @Option(
            names = "--replay",
            defaultValue = ReplayTemplate.DEFAULT,
            paramLabel = "TEMPLATE",
            description = "Each capture's link, from {timestamp} and {url} (default:"
                    + " ${DEFAULT-VALUE}).")
    String replay;

    @Option(
            names = "--skip-bad",
            description = "Report bad records on stderr, one line each, and go on from the next"
                    + " record start.")
    boolean skipBad;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the time of each phase and the records read.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ReplayTemplate template;
        try {
            template = new ReplayTemplate(replay);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--replay: " + e.getMessage());
        }
        long total = 0;
        for (Path w : warcs) {
            if (!Files.isRegularFile(w)) {
                throw UserException.failure("no such file: " + w);
            }
            total += Files.size(w);
        }
        long size = total;
        WarcIndexer indexer = new WarcIndexer(skipBad, line -> err.println("distree: " + line));
        TreeBuild.run(tree.settings(null, verbose, size), err, (sink, progress) -> {
            long[] done = {0};
            indexer.indexAll(
                    warcs,
                    Runtime.getRuntime().availableProcessors(),
                    c -> c.indexed(template),
                    made -> add(sink, made),
                    w -> {
                        done[0] += Files.size(w);
                        progress.stepTo(done[0]);
                    });
            return indexer.skipped();
        });
        if (verbose) {
            err.println(String.format(
                    Locale.ROOT,
                    "%,d records read, %,d captures",
                    indexer.records(),
                    indexer.captures()));
        }
        return Distree.EXIT_OK;
    }

    /** Adds a capture's entry, and writes its page record when it is a long capture. */
    static void add(TreeBuild.Sink sink, Capture.Indexed made) throws java.io.IOException {
        byte[] record = made.record();
        String file = made.recordFile();
        if (record != null && file != null) {
            sink.record(file, record);
        }
        sink.add(made.entry());
    }
}
