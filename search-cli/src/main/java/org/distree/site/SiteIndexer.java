package org.distree.site;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.distree.analysis.KeyAnalyzer;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.distree.tree.ExternalSorter;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Indexes a folder of HTML pages: one entry per distinct word of a page, keyed by the word as
 * the analyzer makes it, linking to the page, with its title, a snippet and its digest.
 *
 * <pre>
 * first build:  pages ─► PageReader ─► entries ─► ExternalSorter ─► BulkBuilder ─► empty store
 *
 * update:       old tree ─► TreeScan ─► link → digest of every indexed page
 *               pages whose digest changed (or new) ─► entries ─► ExternalSorter ─┐
 *               old tree ─► TreeScan (entries of changed and removed pages) ──────┴► diff
 *               diff ─► LocalTree.apply(adds, removes), in batches
 * </pre>
 *
 * An update rewrites only the nodes whose entries changed. Memory holds one page, the sort
 * buffer, one map entry per page, and the diff; a diff over {@link #maxChanges} entries is
 * not applied (a rebuild is cheaper then), and {@link Update#tooManyChanges} says so.
 */
public final class SiteIndexer {
    /** Changes applied in one transaction during an update. */
    static final int BATCH = 20_000;

    private final Path site;
    private final @Nullable Path exclude;
    private final PageReader reader;
    private final KeyAnalyzer analyzer;
    private final Listener listener;
    private final long maxChanges;
    private int threads = PagePipeline.DEFAULT_THREADS;

    /** Told how the work goes; called on the indexing thread. */
    public interface Listener {
        /** {@code done} of {@code total} pages read. */
        void progress(int done, int total);

        /** A file was not indexed, and why. */
        void skipped(PageSkippedException e);
    }

    /** Counts of a run. */
    public record Counts(int pages, int skipped, int unchanged, int changed, int added,
            int removed, long entries) {}

    /**
     * What a first build made.
     *
     * @param readNanos the time spent reading, parsing and analyzing pages
     */
    public record Build(Counts counts, BulkBuilder.Result tree, long readNanos) {}

    /**
     * What an update did.
     *
     * @param tooManyChanges true when the diff was over the limit and nothing was applied
     * @param entriesAdded entries added or replaced
     * @param entriesRemoved entries removed
     */
    public record Update(Counts counts, boolean tooManyChanges, long entriesAdded,
            long entriesRemoved) {}

    /**
     * An indexer of the pages under {@code site}.
     *
     * @param exclude a folder under {@code site} to leave out (the tree's own folder), or null
     * @param maxChanges the largest diff an update applies, in entries
     */
    public SiteIndexer(Path site, @Nullable Path exclude, PageReader reader, KeyAnalyzer analyzer,
            long maxChanges, Listener listener) {
        this.site = site.toAbsolutePath().normalize();
        this.exclude = exclude == null ? null : exclude.toAbsolutePath().normalize();
        this.reader = reader;
        this.analyzer = analyzer;
        this.maxChanges = maxChanges;
        this.listener = listener;
    }

    /** Reads pages on this many threads (default: the processors, at most 4). */
    public SiteIndexer threads(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("threads " + n + " is outside 1..64");
        }
        this.threads = n;
        return this;
    }

    /**
     * The pages under the site folder: files named {@code *.html} or {@code *.htm}, in path
     * order, as {@code /}-separated relative paths. Hidden files and folders (a name starting
     * with a dot) and the excluded folder are left out; links are not followed.
     */
    public List<String> pages() throws IOException {
        if (!Files.isDirectory(site)) {
            throw new IOException("site folder " + site + " does not exist or is not a folder");
        }
        List<String> out = new ArrayList<>();
        Files.walkFileTree(site, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean hidden = !dir.equals(site) && dir.getFileName().toString().startsWith(".");
                return hidden || dir.equals(exclude) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (!name.startsWith(".") && (lower.endsWith(".html") || lower.endsWith(".htm"))) {
                    out.add(relative(file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                listener.skipped(new PageSkippedException(relative(file),
                        "cannot be read: " + e));
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }

    private String relative(Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : site.relativize(file.toAbsolutePath().normalize())) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * Builds a whole tree into an empty store, sorting entries with {@code sorter} (bounded
     * memory); the root declares the analyzer.
     */
    public Build build(NodeStore store, ExternalSorter sorter, double fill, Instant now,
            LongConsumer written) throws IOException {
        long start = System.nanoTime();
        List<String> pages = pages();
        int[] tally = new int[2]; // indexed, skipped
        PagePipeline.run(pages, threads,
                path -> reader.parse(path, reader.readBytes(site.resolve(path), path))
                        .entries(analyzer),
                (i, path, entries, skip) -> {
                    if (skip != null) {
                        tally[1]++;
                        listener.skipped(skip);
                    } else {
                        tally[0]++;
                        for (Entry e : entries) {
                            sorter.add(e);
                        }
                    }
                    listener.progress(i + 1, pages.size());
                });
        int indexed = tally[0];
        int skipped = tally[1];
        long readNanos = System.nanoTime() - start;
        BulkBuilder.Result tree = new BulkBuilder(store, fill, analyzer.name(), now, written)
                .build(sorter.sorted());
        Counts counts = new Counts(indexed, skipped, 0, 0, indexed, 0, tree.entries());
        return new Build(counts, tree, readNanos);
    }

    /**
     * Brings the tree in line with the site: entries of new and changed pages are added, those
     * of changed and removed pages removed, and unchanged pages (same digest, same link) are not
     * read past their bytes. Changes are applied in batches of {@value #BATCH}, each one durable
     * transaction; a run stopped part way is completed by the next.
     *
     * @param sortDir an empty folder for the sorter's temporary files
     */
    public Update update(LocalTree tree, Path sortDir, long sortBuffer) throws IOException {
        NodeStore store = tree.store();
        // Pass 1: what the tree holds now, page by page.
        Map<String, String> oldDigest = new HashMap<>();
        Set<String> dirty = new HashSet<>();
        long oldEntries = 0;
        for (Iterator<Entry> it = new TreeScan(store, tree.rootName()); it.hasNext(); ) {
            Entry e = it.next();
            oldEntries++;
            String d = e.digest() == null ? "" : e.digest();
            String was = oldDigest.putIfAbsent(e.link(), d);
            if (was != null && !was.equals(d)) {
                dirty.add(e.link()); // a run stopped part way: index the page again
            }
        }
        // Pass 2: read the site; parse only pages that are new or changed.
        List<String> pages = pages();
        Set<String> unchangedLinks = new HashSet<>();
        Set<String> seen = new HashSet<>();
        int[] tally = new int[4]; // skipped, unchanged, changed, added
        try (ExternalSorter sorter = new ExternalSorter(sortDir, sortBuffer)) {
            Map<String, String> digests = oldDigest;
            PagePipeline.run(pages, threads, path -> {
                String link = reader.linkFor(path);
                byte[] bytes = reader.readBytes(site.resolve(path), path);
                String was = digests.get(link);
                if (was != null && !dirty.contains(link)
                        && was.equals(PageReader.digest(bytes))) {
                    return new Read(link, null);
                }
                return new Read(link, reader.parse(path, bytes).entries(analyzer));
            }, (i, path, read, skip) -> {
                if (skip != null) {
                    tally[0]++;
                    listener.skipped(skip);
                } else {
                    seen.add(read.link());
                    if (read.entries() == null) {
                        unchangedLinks.add(read.link());
                        tally[1]++;
                    } else {
                        for (Entry e : read.entries()) {
                            sorter.add(e);
                        }
                        tally[digests.containsKey(read.link()) ? 2 : 3]++;
                    }
                }
                listener.progress(i + 1, pages.size());
            });
            int skipped = tally[0];
            int unchanged = tally[1];
            int changed = tally[2];
            int added = tally[3];
            int removed = 0;
            for (String link : oldDigest.keySet()) {
                if (!seen.contains(link)) {
                    removed++;
                }
            }
            oldDigest = Map.of(); // free it before the diff
            // Pass 3: the diff of old and new entries, both in key order.
            List<Entry> adds = new ArrayList<>();
            List<Bound> removes = new ArrayList<>();
            long replaced = 0;
            Iterator<Entry> olds = new TreeScan(store, tree.rootName());
            Iterator<Entry> news = sorter.sorted();
            Entry o = nextOld(olds, unchangedLinks);
            Entry n = news.hasNext() ? news.next() : null;
            while (o != null || n != null) {
                int c = o == null ? 1 : n == null ? -1 : o.compareTo(n);
                if (c < 0) {
                    removes.add(o.position());
                    o = nextOld(olds, unchangedLinks);
                } else if (c > 0) {
                    adds.add(n);
                    n = news.hasNext() ? news.next() : null;
                } else {
                    if (!o.equals(n)) {
                        adds.add(n);
                        replaced++;
                    }
                    o = nextOld(olds, unchangedLinks);
                    n = news.hasNext() ? news.next() : null;
                }
                if (adds.size() + removes.size() > maxChanges) {
                    Counts counts = new Counts(pages.size() - skipped, skipped, unchanged,
                            changed, added, removed, oldEntries);
                    return new Update(counts, true, 0, 0);
                }
            }
            applyInBatches(tree, adds, removes);
            long entries = oldEntries + adds.size() - replaced - removes.size();
            Counts counts = new Counts(pages.size() - skipped, skipped, unchanged, changed,
                    added, removed, entries);
            return new Update(counts, false, adds.size(), removes.size());
        }
    }

    /** A page read during an update: its entries, or null when its digest is unchanged. */
    private record Read(String link, @Nullable List<Entry> entries) {}

    private static @Nullable Entry nextOld(Iterator<Entry> olds, Set<String> unchangedLinks) {
        while (olds.hasNext()) {
            Entry e = olds.next();
            if (!unchangedLinks.contains(e.link())) {
                return e;
            }
        }
        return null;
    }

    /** Applies sorted adds and removes in batches, each covering a stretch of key order. */
    private static void applyInBatches(LocalTree tree, List<Entry> adds, List<Bound> removes)
            throws IOException {
        int a = 0;
        int r = 0;
        while (a < adds.size() || r < removes.size()) {
            List<Entry> batchAdds = new ArrayList<>();
            List<Bound> batchRemoves = new ArrayList<>();
            while (batchAdds.size() + batchRemoves.size() < BATCH
                    && (a < adds.size() || r < removes.size())) {
                boolean takeAdd = r >= removes.size() || (a < adds.size()
                        && adds.get(a).position().compareTo(removes.get(r)) <= 0);
                if (takeAdd) {
                    batchAdds.add(adds.get(a++));
                } else {
                    batchRemoves.add(removes.get(r++));
                }
            }
            tree.apply(batchAdds, batchRemoves);
        }
    }
}
