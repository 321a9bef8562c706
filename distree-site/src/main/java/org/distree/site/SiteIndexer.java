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
import java.util.Objects;
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
 *               └─► PageManifest (.distree/site-pages.tsv: link, digest, keys of each page)
 *
 * update:       PageManifest (or, if missing or stale, one TreeScan of the tree)
 *               pages whose digest changed (or new) ─► entries ─► ExternalSorter ─► adds
 *               old keys of changed and removed pages ─────────────────────────► removes
 *               LocalTree.apply(adds, removes), in batches ─► new PageManifest
 * </pre>
 *
 * An update rewrites only the nodes whose entries changed, and reads no node it does not
 * change. A first build holds a few pages and the sort buffer (the manifest is written as pages
 * are read); an update also holds the keys of every page (as one string a page) and the diff; a
 * diff over {@code maxChanges} entries is not applied (a rebuild is cheaper then), and {@link
 * Update#tooManyChanges} says so.
 */
public final class SiteIndexer {
    /**
     * Changes applied in one transaction during an update: at most 20,000, and at most one per
     * 256 KB of the JVM's maximum heap (at least 64). A site's changes are spread over the tree,
     * so a transaction may hold about one leaf per change, parsed (30 to 40 KB) and written (10
     * KB, more with orphan copies, held by the transaction and by its log record); with {@code
     * -Xmx24m} a batch is 96 changes, with {@code -Xmx1g} 4,096.
     */
    static final int BATCH =
            (int) Math.max(64, Math.min(20_000, Runtime.getRuntime().maxMemory() / (256 * 1024)));

    private final Path site;
    private final @Nullable Path exclude;
    private final PageReader reader;
    private final KeyAnalyzer analyzer;
    private final Listener listener;
    private final long maxChanges;
    private int threads = PagePipeline.DEFAULT_THREADS;
    private String phases = "";

    /** Told how the work goes; called on the indexing thread. */
    public interface Listener {
        /** {@code done} of {@code total} pages read. */
        void progress(int done, int total);

        /** A file was not indexed, and why. */
        void skipped(PageSkippedException e);
    }

    /** Counts of a run. */
    public record Counts(
            int pages,
            int skipped,
            int unchanged,
            int changed,
            int added,
            int removed,
            long entries) {}

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
    public record Update(
            Counts counts, boolean tooManyChanges, long entriesAdded, long entriesRemoved) {}

    /**
     * An indexer of the pages under {@code site}.
     *
     * @param exclude a folder under {@code site} to leave out (the tree's own folder), or null
     * @param maxChanges the largest diff an update applies, in entries
     */
    public SiteIndexer(
            Path site,
            @Nullable Path exclude,
            PageReader reader,
            KeyAnalyzer analyzer,
            long maxChanges,
            Listener listener) {
        this.site = site.toAbsolutePath().normalize();
        this.exclude = exclude == null ? null : exclude.toAbsolutePath().normalize();
        this.reader = reader;
        this.analyzer = analyzer;
        this.maxChanges = maxChanges;
        this.listener = listener;
    }

    /** The time of each phase of the last update, for {@code -v}. */
    public String phases() {
        return phases;
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
                boolean hidden =
                        !dir.equals(site) && dir.getFileName().toString().startsWith(".");
                return hidden || dir.equals(exclude)
                        ? FileVisitResult.SKIP_SUBTREE
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
                listener.skipped(new PageSkippedException(relative(file), "cannot be read: " + e));
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
    public Build build(
            NodeStore store, ExternalSorter sorter, double fill, Instant now, LongConsumer written)
            throws IOException {
        long start = System.nanoTime();
        List<String> pages = pages();
        int[] tally = new int[2]; // indexed, skipped
        try (PageManifest.Writer manifest = new PageManifest.Writer(store)) {
            PagePipeline.run(
                    pages,
                    threads,
                    path -> {
                        Page page = reader.parse(path, reader.readBytes(site.resolve(path), path));
                        return new Read(page.link(), page.digest(), Words.of(page, analyzer));
                    },
                    (i, path, read, skip) -> {
                        if (skip != null) {
                            tally[1]++;
                            listener.skipped(skip);
                        } else {
                            tally[0]++;
                            Read r = Objects.requireNonNull(read, "read or skipped");
                            Words words = r.words();
                            if (words != null && words.like() != null) {
                                sorter.addAll(words.like(), words.keyList());
                            }
                            manifest.add(
                                    r.link(),
                                    new PageManifest.Page(
                                            r.digest(), words == null ? "" : words.keys()));
                        }
                        listener.progress(i + 1, pages.size());
                    });
            int indexed = tally[0];
            int skipped = tally[1];
            long readNanos = System.nanoTime() - start;
            BulkBuilder.Result tree = new BulkBuilder(store, fill, analyzer.name(), now, written)
                    .build(sorter.sorted());
            manifest.commit();
            Counts counts = new Counts(indexed, skipped, 0, 0, indexed, 0, tree.entries());
            return new Build(counts, tree, readNanos);
        }
    }

    /**
     * Brings the tree in line with the site: entries of new and changed pages are added, those
     * of changed and removed pages removed, and unchanged pages (same digest, same link) are not
     * read past their bytes. Which entries a page had comes from the manifest the last run left
     * in {@code .distree/} ({@link PageManifest}), or, when it is missing or stale, from one scan
     * of the tree. Changes are applied in batches of {@link #BATCH}, each one durable
     * transaction; a run stopped part way is completed by the next.
     *
     * @param sortDir an empty folder for the sorter's temporary files
     */
    public Update update(LocalTree tree, Path sortDir, long sortBuffer) throws IOException {
        NodeStore store = tree.store();
        long t0 = System.nanoTime();
        Map<String, PageManifest.Page> old = PageManifest.load(store);
        String source = "manifest";
        if (old == null) {
            old = scan(store, tree.rootName());
            source = "tree scan";
        }
        long oldEntries = 0;
        for (PageManifest.Page p : old.values()) {
            oldEntries += p.keyList().size();
        }
        long t1 = System.nanoTime();
        List<String> pages = pages();
        Map<String, PageManifest.Page> now = new java.util.LinkedHashMap<>();
        Set<String> unchangedLinks = new HashSet<>();
        int[] tally = new int[4]; // skipped, unchanged, changed, added
        try (ExternalSorter sorter = new ExternalSorter(sortDir, sortBuffer)) {
            Map<String, PageManifest.Page> was = old;
            PagePipeline.run(
                    pages,
                    threads,
                    path -> {
                        String link = reader.linkFor(path);
                        byte[] bytes = reader.readBytes(site.resolve(path), path);
                        PageManifest.Page before = was.get(link);
                        if (before != null && before.digest().equals(PageReader.digest(bytes))) {
                            return new Read(link, before.digest(), null);
                        }
                        Page page = reader.parse(path, bytes);
                        return new Read(link, page.digest(), Words.of(page, analyzer));
                    },
                    (i, path, read, skip) -> {
                        if (skip != null) {
                            tally[0]++;
                            listener.skipped(skip);
                        } else {
                            Read r = Objects.requireNonNull(read, "read or skipped");
                            Words words = r.words();
                            if (words == null) {
                                unchangedLinks.add(r.link());
                                now.put(r.link(), was.get(r.link()));
                                tally[1]++;
                            } else {
                                if (words.like() != null) {
                                    sorter.addAll(words.like(), words.keyList());
                                }
                                now.put(r.link(), new PageManifest.Page(r.digest(), words.keys()));
                                tally[was.containsKey(r.link()) ? 2 : 3]++;
                            }
                        }
                        listener.progress(i + 1, pages.size());
                    });
            int removed = 0;
            // What goes: every entry of a changed or removed page (an add at the same place
            // replaces it instead).
            java.util.TreeSet<Bound> removes = new java.util.TreeSet<>();
            for (Map.Entry<String, PageManifest.Page> e : old.entrySet()) {
                if (!unchangedLinks.contains(e.getKey())) {
                    if (!now.containsKey(e.getKey())) {
                        removed++;
                    }
                    for (String key : e.getValue().keyList()) {
                        removes.add(new Bound(key, e.getKey()));
                    }
                }
            }
            long t2 = System.nanoTime();
            List<Entry> adds = new ArrayList<>();
            long replaced = 0;
            for (Iterator<Entry> it = sorter.sorted(); it.hasNext(); ) {
                Entry e = it.next();
                if (removes.remove(e.position())) {
                    replaced++;
                }
                adds.add(e);
                if (adds.size() + removes.size() > maxChanges) {
                    Counts counts = new Counts(
                            pages.size() - tally[0],
                            tally[0],
                            tally[1],
                            tally[2],
                            tally[3],
                            removed,
                            oldEntries);
                    return new Update(counts, true, 0, 0);
                }
            }
            if (adds.size() + removes.size() > maxChanges) {
                Counts counts = new Counts(
                        pages.size() - tally[0],
                        tally[0],
                        tally[1],
                        tally[2],
                        tally[3],
                        removed,
                        oldEntries);
                return new Update(counts, true, 0, 0);
            }
            long t3 = System.nanoTime();
            List<Bound> removeList = new ArrayList<>(removes);
            applyInBatches(tree, adds, removeList, BATCH);
            PageManifest.write(store, now);
            phases = String.format(
                    java.util.Locale.ROOT,
                    "old pages from the %s %.2f s, read" + " %.2f s, diff %.2f s, apply %.2f s",
                    source,
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    (t3 - t2) / 1e9,
                    (System.nanoTime() - t3) / 1e9);
            long entries = oldEntries + adds.size() - replaced - removeList.size();
            Counts counts = new Counts(
                    pages.size() - tally[0],
                    tally[0],
                    tally[1],
                    tally[2],
                    tally[3],
                    removed,
                    entries);
            return new Update(counts, false, adds.size(), removeList.size());
        }
    }

    /**
     * The pages a tree holds, from one scan of its entries: when the manifest is missing or
     * stale. A page whose entries disagree on the digest (a run stopped part way) gets no
     * digest, so it is indexed again.
     */
    private static Map<String, PageManifest.Page> scan(NodeStore store, String rootName)
            throws IOException {
        Map<String, String> digests = new HashMap<>();
        Map<String, StringBuilder> keys = new HashMap<>();
        for (Iterator<Entry> it = new TreeScan(store, rootName); it.hasNext(); ) {
            Entry e = it.next();
            String d = e.digest() == null ? "" : e.digest();
            String was = digests.putIfAbsent(e.link(), d);
            if (was != null && !was.equals(d)) {
                digests.put(e.link(), "");
            }
            StringBuilder k = keys.computeIfAbsent(e.link(), l -> new StringBuilder());
            k.append(k.length() == 0 ? "" : "\t").append(e.key());
        }
        Map<String, PageManifest.Page> out = new HashMap<>();
        digests.forEach((link, d) -> out.put(
                link,
                new PageManifest.Page(
                        d,
                        Objects.requireNonNull(keys.get(link), "every link has keys")
                                .toString())));
        return out;
    }

    /** A page read: its words, or null when its digest is unchanged (an update only). */
    private record Read(
            String link, String digest, @Nullable Words words) {}

    /**
     * A page's words, made on a worker thread so that the indexing thread only hands them on.
     *
     * @param like the page's entry for its first key (null when it has no keys): the sorter makes
     *     one with its target for each key, and ranks them with the other pages' (see {@link
     *     ExternalSorter}), so they need no sorting here
     * @param keyList the keys in the order they first appear
     * @param keys the same tab-joined, as the manifest keeps them
     */
    private record Words(@Nullable Entry like, List<String> keyList, String keys) {
        static Words of(Page page, KeyAnalyzer analyzer) {
            List<String> keys = analyzer.keys(page.text());
            return new Words(
                    keys.isEmpty() ? null : page.entry(keys.get(0)), keys, String.join("\t", keys));
        }
    }

    /**
     * Applies sorted adds and removes in transactions of at most {@code batch} changes, each
     * covering a stretch of key order.
     */
    static void applyInBatches(LocalTree tree, List<Entry> adds, List<Bound> removes, int batch)
            throws IOException {
        int a = 0;
        int r = 0;
        while (a < adds.size() || r < removes.size()) {
            List<Entry> batchAdds = new ArrayList<>();
            List<Bound> batchRemoves = new ArrayList<>();
            while (batchAdds.size() + batchRemoves.size() < batch
                    && (a < adds.size() || r < removes.size())) {
                boolean takeAdd = r >= removes.size()
                        || (a < adds.size()
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
