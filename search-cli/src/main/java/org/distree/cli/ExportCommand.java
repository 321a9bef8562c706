package org.distree.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.archive.CdxjExport;
import org.distree.html.NodeFormatException;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.site.TreeScan;
import org.distree.store.NodeStore;
import org.distree.store.RecordFiles;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distree export --format cdxj TREE}: a capture index's entries as CDXJ, sorted as {@code
 * LC_ALL=C sort} sorts (docs/ARCHIVE.md), read one leaf at a time from the tree on disk.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a local tree's entries out. cdxj: a capture index (index-warc, build --format"
                    + " cdxj) as a CDXJ index, one line per capture, in CDXJ order.",
            "Example: distree export --format cdxj index/ > index.cdxj"
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TREE", description = "The tree's folder.")
    Path tree;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description = "cdxj (the one format for now).")
    String format;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write here instead of stdout (replaced once complete).")
    @Nullable
    Path outFile;

    @Override
    public Integer call() throws Exception {
        if (!format.toLowerCase(Locale.ROOT).equals("cdxj")) {
            throw UserException.usage("--format '" + format + "' is not cdxj");
        }
        if (!Files.isDirectory(tree) || !Files.exists(tree.resolve(NodeStore.INDEX))) {
            throw UserException.failure(
                    "no tree in " + tree + " (it has no " + NodeStore.INDEX + ")");
        }
        try (NodeStore store = NodeStore.open(tree)) {
            String root = store.rootName();
            if (root == null) {
                throw UserException.failure("the tree in " + tree + " has no root");
            }
            Iterator<Entry> scan = withRecords(new TreeScan(store, root), store);
            if (outFile == null) {
                PrintWriter out = spec.commandLine().getOut();
                CdxjExport.write(scan, out, tree.toString());
                out.flush();
                return Distree.EXIT_OK;
            }
            Path target = outFile.toAbsolutePath().normalize();
            Path tmp = target.resolveSibling("." + target.getFileName() + ".writing-"
                    + ProcessHandle.current().pid());
            try (Writer w = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8),
                    1 << 16)) {
                CdxjExport.write(scan, w, tree.toString());
            } catch (IOException | RuntimeException | org.distree.archive.ArchiveException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Distree.EXIT_OK;
    }

    /**
     * The entries of {@code scan}, each record entry (a long capture, docs/ARCHIVE.md) with the
     * target of the page record it links in {@code store} in place of its own.
     *
     * @throws UncheckedIOException from {@code next()} when a record does not read
     */
    static Iterator<Entry> withRecords(Iterator<Entry> scan, NodeStore store) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return scan.hasNext();
            }

            @Override
            public Entry next() {
                Entry e = scan.next();
                if (!e.isRecord()) {
                    return e;
                }
                try {
                    return new Entry(e.key(), RecordFiles.read(store, e.link()));
                } catch (IOException | NodeFormatException ex) {
                    throw new UncheckedIOException(new IOException(
                            "the record of entry '" + Keys.abbreviate(e.key(), 60)
                                    + "' (" + e.link() + ") does not read: "
                                    + ex.getMessage(),
                            ex));
                }
            }
        };
    }
}
