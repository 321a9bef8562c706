package org.distree.site;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.distree.analysis.KeyAnalyzer;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.store.Durability;
import org.distree.store.NodeStore;
import org.distree.store.RecordFiles;
import org.distree.tree.BulkBuilder;
import org.distree.tree.ExternalSorter;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Indexes a folder of HTML pages: one entry per distinct word of a page, keyed by the word as
 * the analyzer makes it, leading to the page's record (format version 2): each page's link,
 * title, snippet and digest are written once, in {@code p/NAME.html}, and its words are record
 * entries in the leaves ({@code ../p/NAME.html}, shown as {@code NAME}), grouped by word into
 * record lists.
 *
 * <pre>
 * first build:  pages ─► PageReader ─► record files p/NAME.html (NAME: the page's number)
 *                                   └► record entries ─► ExternalSorter ─► BulkBuilder ─► store
 *               └─► PageManifest (.distree/site-pages.tsv: link, digest, record, keys of each)
 *
 * update:       SiteUpdate: the pages against the PageManifest ─► keys gained and lost ─►
 *               LocalTree.apply in batches; records written and deleted ─► new PageManifest
 * </pre>
 *
 * A first build holds a few pages and the sort buffer (the manifest is written as pages are
 * read). An update ({@link SiteUpdate}) rewrites only the leaves whose entries changed and the
 * records of changed pages; it also holds the keys of every page (as one string a page) and
 * the diff; a diff over {@code maxChanges} entries is not applied (a rebuild is cheaper then),
 * and {@link Update#tooManyChanges} says so. A tree made before page records is not updated:
 * {@link Update#outdated} says so, and it is built again. This class also names the records
 * ({@link #recordName}, {@link #recordFile}, {@link #recordLink}) for both.
 */
public final class SiteIndexer {
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
     * @param records the record files written ({@code p/NAME.html}), one per page indexed
     * @param readNanos the time spent reading, parsing and analyzing pages
     */
    public record Build(
            Counts counts, BulkBuilder.Result tree, List<String> records, long readNanos) {
        public Build {
            records = List.copyOf(records);
        }
    }

    /**
     * What an update did.
     *
     * @param tooManyChanges true when the diff was over the limit and nothing was applied
     * @param outdated true when the tree was made before page records (or holds entries that
     *     are not record entries) and nothing was applied: it is built again
     * @param entriesAdded entries added or replaced
     * @param entriesRemoved entries removed
     */
    public record Update(
            Counts counts,
            boolean tooManyChanges,
            boolean outdated,
            long entriesAdded,
            long entriesRemoved) {
        static Update outdatedTree() {
            return new Update(new Counts(0, 0, 0, 0, 0, 0, 0), false, true, 0, 0);
        }
    }

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

    /** The number of threads that read pages and render files. */
    public int threads() {
        return threads;
    }

    /** The time of each phase of the last update, for {@code -v}. */
    public String phases() {
        return phases;
    }

    /**
     * Reads pages on this many threads, 1 to 64 (default: one per processor, at most 64); the
     * tree's files are rendered on as many. The index is the same, byte for byte, whatever the
     * number.
     */
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
     * memory), with a record file for each page read; the root declares the analyzer.
     */
    public Build build(
            NodeStore store, ExternalSorter sorter, double fill, Instant now, LongConsumer written)
            throws IOException {
        long start = System.nanoTime();
        List<String> pages = pages();
        Files.createDirectories(store.path(NodeStore.RECORD_DIR));
        int[] tally = new int[2]; // indexed, skipped
        List<String> records = new ArrayList<>();
        // Each page's lengths (text, title) by its number, for its entries' scores; the tokens
        // of all pages' texts and titles.
        int[] lengths = new int[pages.size()];
        int[] titleLengths = new int[pages.size()];
        long[] tokens = new long[2];
        try (PageManifest.Writer manifest = new PageManifest.Writer(store, pages.size())) {
            PagePipeline.run(
                    pages,
                    threads,
                    (i, path) -> {
                        Page page = reader.parse(path, reader.readBytes(site.resolve(path), path));
                        // A page's number is its place in the list, whatever the threads do.
                        String name = recordName(i);
                        IOException failed = null;
                        try {
                            Files.write(
                                    store.path(recordFile(name)), RecordFile.write(page.target()));
                        } catch (IOException e) {
                            failed = e;
                        }
                        return new Read(
                                page.link(),
                                page.digest(),
                                Words.of(page, analyzer),
                                name,
                                null,
                                failed);
                    },
                    (i, path, read, skip) -> {
                        if (skip != null) {
                            tally[1]++;
                            listener.skipped(skip);
                        } else {
                            tally[0]++;
                            Read r = Objects.requireNonNull(read, "read or skipped");
                            r.rethrow();
                            Words words = Objects.requireNonNull(r.words(), "a page read");
                            // Until every page is read, an entry's score is its weight.
                            words.addWeighted(sorter, r.record());
                            records.add(recordFile(r.record()));
                            lengths[i] = words.terms().length();
                            titleLengths[i] = words.terms().titleLength();
                            tokens[0] += words.terms().length();
                            tokens[1] += words.terms().titleLength();
                            manifest.add(
                                    r.link(),
                                    PageManifest.Page.of(r.digest(), r.record(), words.terms()));
                        }
                        listener.progress(i + 1, pages.size());
                    });
            int indexed = tally[0];
            int skipped = tally[1];
            List<Path> forced = new ArrayList<>();
            for (String r : records) {
                forced.add(store.path(r));
            }
            forced.add(store.path(NodeStore.RECORD_DIR));
            // The records are on disk before the entry page makes the tree visible.
            Durability.forceAll(forced);
            long readNanos = System.nanoTime() - start;
            Relevance relevance = new Relevance(indexed, tokens[0], tokens[1]);
            BulkBuilder.Result tree = new BulkBuilder(
                            store, fill, analyzer.name(), now, written, threads)
                    .build(relevance.scored(
                            sorter.sorted(),
                            e -> lengths[pageNumber(e.link())],
                            e -> titleLengths[pageNumber(e.link())]));
            manifest.commit();
            Counts counts = new Counts(indexed, skipped, 0, 0, indexed, 0, tree.entries());
            return new Build(counts, tree, records, readNanos);
        }
    }

    /**
     * Brings the tree in line with the site, in place ({@link SiteUpdate}): keys that new and
     * changed pages gained are added, those they lost and those of removed pages removed, and
     * the records of new, changed and removed pages written or deleted; unchanged pages (same
     * digest, same link) are not read past their bytes. Which keys a page had comes from the
     * manifest the last run left in {@code .distree/} ({@link PageManifest}), or, when it is
     * missing or stale, from one scan of the tree and its records. Changes are applied in
     * batches of {@link SiteUpdate#BATCH}, each one durable transaction; a run stopped part way
     * is completed by the next (a new or changed page's record holds its digest only once its
     * entries are in).
     *
     * @param sortDir an empty folder for the sorter's temporary files
     */
    public Update update(LocalTree tree, Path sortDir, long sortBuffer) throws IOException {
        SiteUpdate run = new SiteUpdate(this, site, reader, analyzer, listener, maxChanges);
        Update u = run.run(tree, sortDir, sortBuffer);
        String timed = run.phases();
        if (timed != null) {
            phases = timed;
        }
        return u;
    }

    /** The name of page number {@code n}: {@code n} in base 36. */
    static String recordName(long n) {
        return Long.toString(n, 36);
    }

    /** A record's file in the store: {@link RecordFiles#file}. */
    static String recordFile(String name) {
        return RecordFiles.file(name);
    }

    /** A record's link from a leaf: {@link RecordFiles#link}. */
    static String recordLink(String name) {
        return RecordFiles.link(name);
    }

    /** The name in a record link this indexer writes, or null for any other link. */
    static @Nullable String recordNameOf(String link) {
        return RecordFiles.nameOf(link);
    }

    /**
     * A page read: its words, or null when its digest is unchanged (an update only), its record
     * name (empty for a page new to an update: named in order by the caller), what its record
     * holds (an update only), and a failure to write its record (a build only), rethrown in
     * order.
     */
    record Read(
            String link,
            String digest,
            @Nullable Words words,
            String record,
            Entry.@Nullable Target page,
            @Nullable IOException failed) {
        void rethrow() throws IOException {
            if (failed != null) {
                throw new IOException(
                        "cannot write the record of " + link + ": " + failed.getMessage(), failed);
            }
        }
    }

    /**
     * A page's words, made on a worker thread so that the indexing thread only hands them on.
     *
     * @param terms the keys in the order they first appear, their weights and the page's length
     *     (see {@link Relevance})
     */
    record Words(Relevance.Terms terms) {
        static Words of(Page page, KeyAnalyzer analyzer) {
            return new Words(Relevance.terms(page, analyzer));
        }

        /**
         * Adds the page's record entries to a first build's sorter, each with its key's weight
         * as its score (replaced by the score once every page is read: {@link
         * Relevance#scored}). The keys of one weight go together, so that they share a target
         * in the sorter; the sorter ranks them with the other pages' (see {@link
         * ExternalSorter}), so they need no sorting here.
         */
        void addWeighted(ExternalSorter sorter, String record) throws IOException {
            Map<Integer, List<String>> byWeight = new java.util.TreeMap<>();
            for (int i = 0; i < terms.keys().size(); i++) {
                byWeight.computeIfAbsent(terms.weight(i), w -> new ArrayList<>())
                        .add(terms.keys().get(i));
            }
            for (Map.Entry<Integer, List<String>> e : byWeight.entrySet()) {
                List<String> keys = e.getValue();
                sorter.addAll(
                        Entry.record(keys.get(0), recordLink(record), record, e.getKey()), keys);
            }
        }
    }

    /** The number of the page whose record {@code link} names ({@code ../p/NAME.html}). */
    private static int pageNumber(String link) {
        String name = recordNameOf(link);
        if (name == null) {
            throw new IllegalStateException("not a record link of this indexer: " + link);
        }
        return (int) Long.parseLong(name, 36);
    }
}
