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
            "Each batch is durable on disk before the next is read; with --ack, each entry's"
                    + " key and link are printed once it is."
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
            defaultValue = "1000",
            paramLabel = "N",
            description = "Entries per durable transaction with --in (default: ${DEFAULT-VALUE}).")
    int batch;

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
                    List<Entry> pending = new ArrayList<>(batch);
                    Entry e;
                    while ((e = reader.next()) != null) {
                        pending.add(e);
                        if (pending.size() >= batch) {
                            tree.insert(pending);
                            ack(out, pending);
                            added += pending.size();
                            pending.clear();
                        }
                    }
                    if (!pending.isEmpty()) {
                        tree.insert(pending);
                        ack(out, pending);
                        added += pending.size();
                    }
                }
            }
        }
        Progress.summary(
                err, quiet, String.format(Locale.ROOT, "added %,d entries to %s", added, dir));
        return Distree.EXIT_OK;
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
