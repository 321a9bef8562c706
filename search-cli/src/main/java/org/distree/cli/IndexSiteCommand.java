package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.distree.analysis.KeyAnalyzer;
import org.distree.html.NodeFormatException;
import org.distree.rules.Budgets;
import org.distree.site.PageReader;
import org.distree.site.PageSkippedException;
import org.distree.site.SearchAssets;
import org.distree.site.SiteIndexer;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.distree.tree.ExternalSorter;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distree index-site}: a tree of the words of a folder of HTML pages, with a search page
 * next to it, ready for any static host.
 *
 * <pre>
 * no tree in --out:  SiteIndexer.build into a staging folder, renamed into --out when complete
 * a tree in --out:   SiteIndexer.update in place (only changed nodes are rewritten), then the
 *                    files that changed are counted (and listed with --changed)
 * </pre>
 */
@Command(
        name = "index-site",
        mixinStandardHelpOptions = true,
        description = {
            "Index a folder of HTML pages: one entry per word and page, keyed by the word as"
                    + " the analyzer makes it, leading to the page's record (its link, title, a"
                    + " snippet and its digest, written once a page in p/).",
            "Writes the tree, index.html and an in-browser search page (search.html) into"
                    + " --out. Run it again after pages change: only the nodes whose entries"
                    + " changed are rewritten, and the changed files are counted.",
            "Example:",
            "  distree index-site public/ --base-url https://example.org/ --out public/search/"
        })
final class IndexSiteCommand implements Callable<Integer> {
    private static final int MAX_SKIP_LINES = 50;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SITE_DIR",
            description = "The folder of pages (*.html, *.htm); hidden files are left out.")
    Path site;

    @Option(
            names = "--base-url",
            required = true,
            paramLabel = "URL",
            description = "Where SITE_DIR is published; each page's link is this URL joined"
                    + " with its path (e.g. https://example.org/docs/).")
    String baseUrl;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The folder for the tree; may lie inside SITE_DIR (it is not indexed).")
    Path out;

    @Option(
            names = "--analyzer",
            defaultValue = KeyAnalyzer.STANDARD_PARTS,
            paramLabel = "NAME",
            description = "How words become keys: standard-parts (Unicode words, lowercased;"
                    + " compounds such as KeyPair.getPublic, pg_stat_wal_receiver or foo-bar"
                    + " also whole and by their parts), english-parts (also Porter stemming),"
                    + " or standard and english, without the parts (as trees made before them)."
                    + " Default: ${DEFAULT-VALUE}.")
    String analyzer;

    @Option(
            names = "--stem",
            description = "Stem English words (standard-parts becomes english-parts, standard"
                    + " becomes english).")
    boolean stem;

    @Option(
            names = "--snippet-chars",
            defaultValue = "" + PageReader.DEFAULT_SNIPPET_CHARS,
            paramLabel = "N",
            description = "Length of the snippet shown under each result,"
                    + " 0..400; 0 for none (default: ${DEFAULT-VALUE}).")
    int snippetChars;

    @Option(
            names = "--max-page-bytes",
            defaultValue = "" + PageReader.DEFAULT_MAX_PAGE_BYTES,
            paramLabel = "BYTES",
            description = "Skip pages larger than this" + " (default: ${DEFAULT-VALUE}).")
    long maxPageBytes;

    @Option(
            names = "--fill",
            defaultValue = "" + Budgets.BUILD_FILL,
            paramLabel = "SHARE",
            description = "How full a first build packs each 10 KB file, 0.5..1.0"
                    + " (default: ${DEFAULT-VALUE}).")
    double fill;

    @Option(
            names = "--buffer-mb",
            paramLabel = "MB",
            description = "Memory for sorting entries before spilling to disk (default: a third"
                    + " of the Java heap, at most 256).")
    @Nullable
    Integer bufferMb;

    @Option(
            names = "--max-changes",
            defaultValue = "500000",
            paramLabel = "N",
            description = "An update whose diff is over N entries rebuilds the tree instead"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxChanges;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads that read pages and render the tree's files, 1 to 64 (default:"
                    + " one per processor). The index is the same whatever the number.")
    @Nullable
    Integer threads;

    @Option(
            names = "--rebuild",
            description = "Build the tree from scratch even if --out holds" + " one.")
    boolean rebuild;

    @Option(names = "--force", description = "Replace --out when it holds files but no tree.")
    boolean force;

    @Option(
            names = "--changed",
            paramLabel = "FILE",
            description = "Write the files that changed, one a line: 'A path' (new), 'M path'"
                    + " (rewritten) or 'D path' (deleted), relative to --out.")
    @Nullable
    Path changedList;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress, skip lines or summary.")
    boolean quiet;

    @Option(
            names = {"-v", "--verbose"},
            description = "Also print the time of each phase.")
    boolean verbose;

    private int skipLines;
    private @Nullable Progress progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        KeyAnalyzer keys = analyzer();
        try {
            Budgets.requireBuildFill(fill);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--" + e.getMessage());
        }
        if (bufferMb != null && bufferMb < 1) {
            throw UserException.usage("--buffer-mb must be at least 1");
        }
        if (maxChanges < 0) {
            throw UserException.usage("--max-changes must be at least 0");
        }
        PageReader reader = new PageReader(baseUrl, maxPageBytes, snippetChars);
        Path siteDir = site.toAbsolutePath().normalize();
        Path outDir = out.toAbsolutePath().normalize();
        if (!Files.isDirectory(siteDir)) {
            throw UserException.failure("no such folder: " + site);
        }
        if (siteDir.startsWith(outDir)) {
            throw UserException.usage("--out " + out + " holds SITE_DIR; give a folder outside"
                    + " it, or inside SITE_DIR");
        }
        long buffer = bufferMb != null
                ? (long) bufferMb << 20
                : Math.min(
                        ExternalSorter.DEFAULT_BUFFER_BYTES,
                        Runtime.getRuntime().maxMemory() / 3);
        SiteIndexer indexer =
                new SiteIndexer(siteDir, outDir, reader, keys, maxChanges, listener(err));
        if (threads != null) {
            if (threads < 1 || threads > 64) {
                throw UserException.usage("--threads must be between 1 and 64");
            }
            indexer.threads(threads);
        }
        long start = System.nanoTime();
        String existing = existingAnalyzer(outDir);
        try {
            if (existing != null && !rebuild) {
                if (!existing.equals(keys.name())) {
                    Progress.summary(
                            err,
                            quiet,
                            "the tree in " + out + " was made with the " + existing
                                    + " analyzer; rebuilding it with " + keys.name());
                } else {
                    Integer code = update(indexer, outDir, buffer, start);
                    if (code != null) {
                        return code;
                    }
                }
            }
            return build(indexer, outDir, buffer, start, existing != null);
        } finally {
            closeProgress();
        }
    }

    private KeyAnalyzer analyzer() {
        KeyAnalyzer k;
        try {
            k = KeyAnalyzer.forName(analyzer);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--analyzer: " + e.getMessage());
        }
        if (k.name().equals(KeyAnalyzer.NONE)) {
            throw UserException.usage("--analyzer none would make one key of a whole page;"
                    + " use standard-parts or english-parts");
        }
        return stem ? k.stemming() : k;
    }

    /** The analyzer the tree in {@code dir} declares, "" if none, or null if there is no tree. */
    private static @Nullable String existingAnalyzer(Path dir) throws IOException {
        Path index = dir.resolve(NodeStore.INDEX);
        if (!Files.isRegularFile(index)) {
            return null;
        }
        String rootHref = org.distree.html.IndexPage.rootHref(
                Files.readString(index, StandardCharsets.UTF_8));
        if (rootHref == null) {
            return null;
        }
        try {
            String a = org.distree.html.NodeReader.read(
                            dir.resolve(rootHref),
                            rootHref,
                            org.distree.html.NodeReader.DEFAULT_MAX_BYTES)
                    .node()
                    .analyzer();
            return a == null ? "" : a;
        } catch (NodeFormatException | IOException e) {
            throw UserException.failure("the tree in " + dir + " is damaged (" + e.getMessage()
                    + "); use --rebuild to build it again");
        }
    }

    /** Updates the tree in place; null when the diff is too large and a rebuild should run. */
    private @Nullable Integer update(SiteIndexer indexer, Path outDir, long buffer, long start)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> before = snapshot(outDir);
        SiteIndexer.Update u;
        Path sortDir = outDir.resolve(".distree").resolve("site-sort");
        try (LocalTree tree = LocalTree.open(NodeStore.open(outDir), Clock.systemUTC())) {
            OutputFolder.deleteTree(sortDir);
            Files.createDirectories(sortDir);
            try {
                u = indexer.update(tree, sortDir, buffer);
            } finally {
                OutputFolder.deleteTree(sortDir);
            }
            if (!u.tooManyChanges() && !u.outdated()) {
                SearchAssets.write(tree.store());
            }
        }
        closeProgress();
        if (u.outdated()) {
            Progress.summary(
                    err,
                    quiet,
                    "the tree in " + out + " was made by an older index-site (before page"
                            + " records, scores or title lengths) or holds entries added by"
                            + " hand: rebuilding it");
            return null;
        }
        if (u.tooManyChanges()) {
            Progress.summary(
                    err,
                    quiet,
                    String.format(
                            Locale.ROOT,
                            "over %,d entries changed" + " (--max-changes): rebuilding the tree",
                            maxChanges));
            return null;
        }
        long closed = System.nanoTime();
        List<String> changes = diff(before, snapshot(outDir));
        writeChanged(changes);
        if (verbose) {
            err.println(indexer.phases()
                    + String.format(
                            Locale.ROOT,
                            ", count files %.2f s",
                            (System.nanoTime() - closed) / 1e9));
        }
        SiteIndexer.Counts c = u.counts();
        Progress.summary(
                err,
                quiet,
                String.format(
                        Locale.ROOT,
                        "updated %s: %,d pages (%,d new, %,d changed, %,d removed, %,d unchanged%s);"
                                + " %,d entries added or replaced, %,d removed; %s (%.1f s)",
                        out,
                        c.pages(),
                        c.added(),
                        c.changed(),
                        c.removed(),
                        c.unchanged(),
                        c.skipped() > 0
                                ? String.format(Locale.ROOT, ", %,d skipped", c.skipped())
                                : "",
                        u.entriesAdded(),
                        u.entriesRemoved(),
                        describe(changes),
                        (System.nanoTime() - start) / 1e9));
        return Distree.EXIT_OK;
    }

    private int build(SiteIndexer indexer, Path outDir, long buffer, long start, boolean hadTree)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!hadTree) {
            OutputFolder.requireReplaceable(
                    outDir,
                    out.toString(),
                    force,
                    "holds files but no tree; use --force to replace them");
        }
        Map<String, Object> before = snapshot(outDir);
        Path staging = OutputFolder.staging(outDir);
        SiteIndexer.Build b;
        List<String> assets;
        try (NodeStore store = NodeStore.open(staging);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(staging.resolve(".distree").resolve("sort")),
                        buffer)) {
            b = indexer.build(store, sorter, fill, Clock.systemUTC().instant(), n -> {});
            assets = SearchAssets.write(store);
        } catch (IOException | RuntimeException e) {
            OutputFolder.deleteTree(staging);
            throw e;
        }
        closeProgress();
        long written = System.nanoTime();
        OutputFolder.deleteTree(staging.resolve(".distree").resolve("sort"));
        if (b.counts().pages() == 0 && b.counts().skipped() == 0) {
            OutputFolder.deleteTree(staging);
            throw UserException.failure("no pages (*.html, *.htm) in " + site);
        }
        OutputFolder.swapIn(staging, outDir);
        // Into an empty folder every file is new, and the build knows them all: no walk of the
        // 11,000 files of a site's tree to find out.
        List<String> built = new ArrayList<>(b.tree().files());
        built.addAll(b.records());
        List<String> changes =
                before.isEmpty() ? added(built, assets) : diff(before, snapshot(outDir));
        writeChanged(changes);
        SiteIndexer.Counts c = b.counts();
        BulkBuilder.Result t = b.tree();
        if (verbose) {
            err.println(String.format(
                    Locale.ROOT,
                    "read and analyze %.2f s (%d threads), sort and write"
                            + " %.2f s, sync %.2f s, swap and count files %.2f s",
                    b.readNanos() / 1e9,
                    indexer.threads(),
                    (written - start - b.readNanos() - t.syncNanos()) / 1e9,
                    t.syncNanos() / 1e9,
                    (System.nanoTime() - written) / 1e9));
        }
        Progress.summary(
                err,
                quiet,
                String.format(
                        Locale.ROOT,
                        "indexed %,d pages%s into %s: %,d entries in %,d node files and %,d page"
                                + " records, height %d; %s (%.1f s)",
                        c.pages(),
                        c.skipped() > 0
                                ? String.format(Locale.ROOT, " (%,d skipped)", c.skipped())
                                : "",
                        out,
                        t.entries(),
                        t.nodes(),
                        b.records().size(),
                        t.height(),
                        describe(changes),
                        (System.nanoTime() - start) / 1e9));
        return Distree.EXIT_OK;
    }

    private SiteIndexer.Listener listener(PrintWriter err) {
        return new SiteIndexer.Listener() {
            @Override
            public void progress(int done, int total) {
                if (progress == null) {
                    progress = Progress.start("Indexing", total, "pages", 1, quiet);
                }
                progress.stepTo(done);
            }

            @Override
            public void skipped(PageSkippedException e) {
                if (quiet) {
                    return;
                }
                if (++skipLines <= MAX_SKIP_LINES) {
                    err.println("skipped " + e.getMessage());
                } else if (skipLines == MAX_SKIP_LINES + 1) {
                    err.println("(more skipped pages are counted, not listed)");
                }
            }
        };
    }

    private void closeProgress() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }

    /**
     * What identifies each published file's version: its content for the few top-level files
     * (index.html is written on every change, often with the same bytes), and size, time and
     * file identity for node files (a node is only ever replaced by a rename).
     */
    private static Map<String, Object> snapshot(Path dir) throws IOException {
        Map<String, Object> out = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        // One walk that hands each file's attributes over: no second stat a file.
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                return d.equals(dir.resolve(".distree"))
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                if (!a.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                Path rel = dir.relativize(p);
                String name = rel.toString().replace('\\', '/');
                if (rel.getNameCount() == 1) {
                    out.put(name, PageReader.digest(Files.readAllBytes(p)));
                } else {
                    out.put(name, new FileVersion(a.size(), a.lastModifiedTime(), a.fileKey()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** A node file's version: its size, time and identity (inode). */
    private record FileVersion(
            long size, FileTime modified, @Nullable Object fileKey) {}

    /** The changes when every file is new: "A name" for each, sorted as {@link #diff}. */
    static List<String> added(List<String> built, List<String> assets) {
        TreeSet<String> names = new TreeSet<>(built);
        names.addAll(assets);
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add("A " + name);
        }
        return out;
    }

    private static List<String> diff(Map<String, Object> before, Map<String, Object> after) {
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(after.keySet())) {
            Object was = before.get(name);
            if (was == null) {
                out.add("A " + name);
            } else if (!Objects.equals(was, after.get(name))) {
                out.add("M " + name);
            }
        }
        for (String name : new TreeSet<>(before.keySet())) {
            if (!after.containsKey(name)) {
                out.add("D " + name);
            }
        }
        return out;
    }

    private static String describe(List<String> changes) {
        int a = 0;
        int m = 0;
        int d = 0;
        for (String c : changes) {
            switch (c.charAt(0)) {
                case 'A' -> a++;
                case 'M' -> m++;
                default -> d++;
            }
        }
        return String.format(
                Locale.ROOT,
                "%,d file%s changed (%,d new, %,d rewritten," + " %,d deleted)",
                changes.size(),
                changes.size() == 1 ? "" : "s",
                a,
                m,
                d);
    }

    private void writeChanged(List<String> changes) throws IOException {
        if (changedList != null) {
            Files.write(changedList, changes, StandardCharsets.UTF_8);
        }
    }
}
