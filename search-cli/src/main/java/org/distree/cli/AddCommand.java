package org.distree.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.distree.input.EntryReader;
import org.distree.input.InputFormat;
import org.distree.model.Entry;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distree add}: insert entries into a tree on disk, durably. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = {
            "Add one entry, or a stream of entries with --in, to the tree in DIR (made if absent).",
            "Entries are read a window at a time, sorted, and written in durable transactions of"
                    + " --batch entries each, so that each leaf is rewritten about once a window;"
                    + " with --ack, each entry's key and link are printed once it is durable (in"
                    + " key order within a window)."
        })
final class AddCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The tree's folder.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "The key.")
    @Nullable
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "LINK", description = "The link.")
    @Nullable
    String link;

    @Parameters(
            index = "3",
            arity = "0..1",
            paramLabel = "COMMENT",
            description = "A short comment.")
    @Nullable
    String comment;

    @Option(names = "--title", paramLabel = "TEXT", description = "The link's title.")
    @Nullable
    String title;

    @Option(
            names = "--digest",
            paramLabel = "DIGEST",
            description = "A digest of the linked content, such as sha256-….")
    @Nullable
    String digest;

    @Option(names = "--in", paramLabel = "FILE", description = "Entries to add; '-' reads stdin.")
    @Nullable
    String in;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "tsv, csv or jsonl for --in; by default from the file name (else tsv).")
    @Nullable
    InputFormat format;

    @Option(
            names = "--batch",
            defaultValue = "5000",
            paramLabel = "N",
            description = "Entries per durable transaction with --in (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The default window for a file; a stream from stdin is written a batch at a time. */
    static final int DEFAULT_WINDOW = 100_000;

    @Option(
            names = "--window",
            paramLabel = "N",
            description = "Entries read and sorted before they are written with --in (default:"
                    + " 100,000 from a file, --batch from stdin, so a stream is written as it"
                    + " comes). A larger window rewrites fewer leaves and holds more in memory.")
    @Nullable
    Integer window;

    @Option(names = "--ack", description = "Print key<TAB>link of each entry once it is durable.")
    boolean ack;

    @Option(
            names = {"-q", "--quiet"},
            description = "No summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batch < 1) {
            throw UserException.usage("--batch must be at least 1");
        }
        if (window != null && window < 1) {
            throw UserException.usage("--window must be at least 1");
        }
        if (in == null && (key == null || link == null)) {
            throw UserException.usage("give KEY and LINK, or --in FILE");
        }
        if (in != null && key != null) {
            throw UserException.usage("give either KEY LINK or --in FILE, not both");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw UserException.failure(dir + " is not a folder");
        }
        long added = 0;
        try (LocalTree tree = LocalTree.open(dir)) {
            if (in == null) {
                Entry e = new Entry(
                        Objects.requireNonNull(key, "checked above"),
                        Objects.requireNonNull(link, "checked above"),
                        title == null ? "" : title,
                        comment == null ? "" : comment,
                        digest,
                        Map.of());
                tree.insert(List.of(e));
                ack(out, List.of(e));
                added = 1;
            } else {
                InputStream stream = in.equals("-") ? System.in : Files.newInputStream(Path.of(in));
                try (EntryReader reader = new EntryReader(
                        stream,
                        in.equals("-") ? "stdin" : in,
                        format != null ? format : InputFormat.forName(in),
                        false)) {
                    int windowSize = window != null
                            ? window
                            : in.equals("-") ? batch : Math.max(batch, DEFAULT_WINDOW);
                    List<Entry> pending = new ArrayList<>(Math.min(windowSize, 1 << 16));
                    Entry e;
                    while (true) {
                        try {
                            e = reader.next();
                        } catch (org.distree.input.InputException bad) {
                            // Nothing of the window that holds the bad line is written.
                            throw UserException.failure(String.format(
                                    Locale.ROOT,
                                    "%s; %,d entries before it were added, the %,d read since"
                                            + " were not (fix the line and add again: entries"
                                            + " already there are replaced, not repeated)",
                                    bad.getMessage(),
                                    added,
                                    pending.size()));
                        }
                        if (e == null) {
                            break;
                        }
                        pending.add(e);
                        if (pending.size() >= windowSize) {
                            added += writeSorted(tree, pending, out);
                            pending.clear();
                        }
                    }
                    added += writeSorted(tree, pending, out);
                }
            }
        }
        Progress.summary(
                err, quiet, String.format(Locale.ROOT, "added %,d entries to %s", added, dir));
        return Distree.EXIT_OK;
    }

    /**
     * Writes a window of entries: sorted (stably, so of two entries at one key and link the later
     * in the input wins), then in transactions of {@link #batch} consecutive entries, each on
     * disk before the next begins. Consecutive entries fall in neighbouring leaves, so each
     * leaf is read and written about once a window, however the input was ordered.
     */
    private long writeSorted(LocalTree tree, List<Entry> entries, PrintWriter out)
            throws java.io.IOException {
        entries.sort(null);
        for (int from = 0; from < entries.size(); from += batch) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + batch));
            tree.insert(chunk);
            ack(out, chunk);
        }
        return entries.size();
    }

    private void ack(PrintWriter out, List<Entry> entries) {
        if (ack) {
            for (Entry e : entries) {
                out.print(e.key());
                out.print('\t');
                out.println(e.link());
            }
            out.flush();
        }
    }
}
