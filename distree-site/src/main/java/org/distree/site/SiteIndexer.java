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
import org.distree.html.NodeFormatException;
import org.distree.html.RecordFile;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.store.Durability;
import org.distree.store.NodeStore;
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
 * update:       PageManifest (or, if missing or stale, one TreeScan of the tree and its records)
 *               pages whose digest changed (or new) ─► their new keys ─► ExternalSorter ─► adds
 *               their keys no longer there, and every key of removed pages ─────────► removes
 *               new pages' records; LocalTree.apply(adds, removes), in batches; then changed
 *               pages' records, removed pages' records deleted ─► new PageManifest
 * </pre>
 *
 * An update rewrites only the leaves whose entries changed (those of words added to or gone
 * from a page) and the records of changed pages, and reads no node it does not change. A first
 * build holds a few pages and the sort buffer (the manifest is written as pages are read); an
 * update also holds the keys of every page (as one string a page) and the diff; a diff over
 * {@code maxChanges} entries is not applied (a rebuild is cheaper then), and {@link
 * Update#tooManyChanges} says so. A tree made before page records is not updated: {@link
 * Update#outdated} says so, and it is built again.
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
        // Each page's length by its number, for its entries' scores; the tokens of all pages.
        int[] lengths = new int[pages.size()];
        long[] tokens = new long[1];
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
                            tokens[0] += words.terms().length();
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
            Relevance relevance = new Relevance(indexed, tokens[0]);
            BulkBuilder.Result tree = new BulkBuilder(
                            store, fill, analyzer.name(), now, written, threads)
                    .build(relevance.scored(sorter.sorted(), e -> lengths[pageNumber(e.link())]));
            manifest.commit();
            Counts counts = new Counts(indexed, skipped, 0, 0, indexed, 0, tree.entries());
            return new Build(counts, tree, records, readNanos);
        }
    }

    /**
     * Brings the tree in line with the site: keys that new and changed pages gained are added,
     * those they lost and those of removed pages removed, and the records of new, changed and
     * removed pages written or deleted; unchanged pages (same digest, same link) are not read
     * past their bytes. Which keys a page had comes from the manifest the last run left in
     * {@code .distree/} ({@link PageManifest}), or, when it is missing or stale, from one scan
     * of the tree and its records. Changes are applied in batches of {@link #BATCH}, each one
     * durable transaction; a run stopped part way is completed by the next (a new or changed
     * page's record holds its digest only once its entries are in).
     *
     * @param sortDir an empty folder for the sorter's temporary files
     */
    public Update update(LocalTree tree, Path sortDir, long sortBuffer) throws IOException {
        NodeStore store = tree.store();
        long t0 = System.nanoTime();
        if (PageManifest.outdated(store)) {
            return Update.outdatedTree();
        }
        PageManifest.Loaded loaded = PageManifest.load(store);
        String source = "manifest";
        java.util.TreeSet<Bound> removes = new java.util.TreeSet<>();
        List<String> garbage = new ArrayList<>();
        if (loaded == null) {
            Scan scan = scan(store, tree.rootName());
            if (scan == null) {
                return Update.outdatedTree();
            }
            loaded = scan.loaded();
            removes.addAll(scan.unknown());
            garbage.addAll(scan.unlinked());
            source = "tree scan";
        }
        Map<String, PageManifest.Page> old = loaded.pages();
        long oldEntries = removes.size();
        for (PageManifest.Page p : old.values()) {
            oldEntries += p.keyList().size();
        }
        long t1 = System.nanoTime();
        List<String> pages = pages();
        Map<String, PageManifest.Page> now = new java.util.LinkedHashMap<>();
        Map<String, byte[]> newRecords = new java.util.LinkedHashMap<>();
        Map<String, byte[]> changedRecords = new java.util.LinkedHashMap<>();
        long[] next = {loaded.next()};
        int[] tally = new int[4]; // skipped, unchanged, changed, added
        // New and changed pages, scored once every page is read (see Rescore).
        List<Rescore> rescores = new ArrayList<>();
        try (ExternalSorter sorter = new ExternalSorter(sortDir, sortBuffer)) {
            Map<String, PageManifest.Page> was = old;
            PagePipeline.run(
                    pages,
                    threads,
                    (i, path) -> {
                        String link = reader.linkFor(path);
                        byte[] bytes = reader.readBytes(site.resolve(path), path);
                        PageManifest.Page before = was.get(link);
                        if (before != null && before.digest().equals(PageReader.digest(bytes))) {
                            return new Read(
                                    link, before.digest(), null, before.record(), null, null);
                        }
                        Page page = reader.parse(path, bytes);
                        // A new page is named in order, on the indexing thread.
                        return new Read(
                                link,
                                page.digest(),
                                Words.of(page, analyzer),
                                before == null ? "" : before.record(),
                                page.target(),
                                null);
                    },
                    (i, path, read, skip) -> {
                        if (skip != null) {
                            tally[0]++;
                            listener.skipped(skip);
                        } else {
                            Read r = Objects.requireNonNull(read, "read or skipped");
                            Words words = r.words();
                            PageManifest.Page before = was.get(r.link());
                            if (words == null) {
                                now.put(r.link(), Objects.requireNonNull(before, "unchanged"));
                                tally[1]++;
                            } else {
                                String name = before == null ? recordName(next[0]++) : r.record();
                                List<String> gone = before == null
                                        ? List.of()
                                        : minus(before.keyList(), words.terms().keys());
                                int length = scoredLength(before, words.terms().length());
                                rescores.add(new Rescore(name, words.terms(), length, before));
                                for (String key : gone) {
                                    removes.add(new Bound(key, recordLink(name)));
                                }
                                Entry.Target page = Objects.requireNonNull(r.page(), "parsed");
                                if (before == null) {
                                    // Without its digest until its entries are in: a tree
                                    // scan takes a record's digest for the page's, so a run
                                    // stopped part way would take the page as indexed.
                                    newRecords.put(
                                            recordFile(name),
                                            RecordFile.write(new Entry.Target(
                                                    page.link(),
                                                    page.title(),
                                                    page.comment(),
                                                    null,
                                                    page.extra())));
                                }
                                changedRecords.put(recordFile(name), RecordFile.write(page));
                                now.put(
                                        r.link(),
                                        PageManifest.Page.of(
                                                r.digest(), name, words.terms(), length));
                                tally[before != null ? 2 : 3]++;
                            }
                        }
                        listener.progress(i + 1, pages.size());
                    });
            Relevance relevance = rescore(old, rescores, sorter);
            int removed = 0;
            List<String> deletes = new ArrayList<>(garbage);
            for (Map.Entry<String, PageManifest.Page> e : old.entrySet()) {
                if (!now.containsKey(e.getKey())) {
                    removed++;
                    String name = e.getValue().record();
                    for (String key : e.getValue().keyList()) {
                        removes.add(new Bound(key, recordLink(name)));
                    }
                    deletes.add(recordFile(name));
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
                    break;
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
                return new Update(counts, true, false, 0, 0);
            }
            long t3 = System.nanoTime();
            // New pages' records first (without their digests), so that no entry links a
            // missing record; every new or changed page's record with its digest only once its
            // entries are in, so that a run stopped part way reads the page again (CrashLoopIT);
            // removed pages' records once nothing links them.
            commit(store, newRecords, List.of());
            List<Bound> removeList = new ArrayList<>(removes);
            applyInBatches(tree, adds, removeList, BATCH);
            commit(store, changedRecords, deletes);
            PageManifest.write(store, now, next[0]);
            phases = String.format(
                    java.util.Locale.ROOT,
                    "old pages from the %s %.2f s, read" + " %.2f s, diff %.2f s, apply %.2f s;"
                            + " scored with %s",
                    source,
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    (t3 - t2) / 1e9,
                    (System.nanoTime() - t3) / 1e9,
                    relevance);
            long entries = oldEntries + adds.size() - replaced - removeList.size();
            Counts counts = new Counts(
                    pages.size() - tally[0],
                    tally[0],
                    tally[1],
                    tally[2],
                    tally[3],
                    removed,
                    entries);
            return new Update(counts, false, false, adds.size(), removeList.size());
        }
    }

    /** The items of {@code a} that {@code b} does not hold, in {@code a}'s order. */
    private static List<String> minus(List<String> a, List<String> b) {
        Set<String> drop = new HashSet<>(b);
        List<String> out = new ArrayList<>();
        for (String s : a) {
            if (!drop.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Writes and deletes record files in one transaction (nothing when there are none). */
    private static void commit(NodeStore store, Map<String, byte[]> writes, List<String> deletes)
            throws IOException {
        NodeStore.Transaction txn = store.begin();
        writes.forEach(txn::putBytes);
        for (String d : deletes) {
            if (store.exists(d)) {
                txn.delete(d);
            }
        }
        txn.commit();
    }

    /**
     * What one scan of a tree and its records found.
     *
     * @param loaded the pages, as a manifest would give them
     * @param unknown the positions of record entries that lead to no readable record of this
     *     tree: they are removed (the page they were for, if any, comes back as new)
     * @param unlinked record files no entry links (a run stopped part way): deleted
     */
    private record Scan(PageManifest.Loaded loaded, List<Bound> unknown, List<String> unlinked) {}

    /**
     * The pages a tree holds, from one scan of its entries and the records they link: when the
     * manifest is missing or stale. Null when the tree holds an entry that is not a record entry
     * (a tree made before page records, or an entry added by hand): it is built again then.
     */
    private static @Nullable Scan scan(NodeStore store, String rootName) throws IOException {
        Map<String, StringBuilder> keys = new HashMap<>();
        List<Bound> unknown = new ArrayList<>();
        for (Iterator<Entry> it = new TreeScan(store, rootName); it.hasNext(); ) {
            Entry e = it.next();
            if (!e.isRecord()) {
                return null;
            }
            String name = recordNameOf(e.link());
            if (name == null) {
                unknown.add(e.position());
                continue;
            }
            StringBuilder k = keys.computeIfAbsent(name, n -> new StringBuilder());
            k.append(k.length() == 0 ? "" : "\t").append(e.key());
        }
        long next = 0;
        List<String> unlinked = new ArrayList<>();
        Path dir = store.path(NodeStore.RECORD_DIR);
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name =
                            recordNameOf("../" + NodeStore.RECORD_DIR + "/" + f.getFileName());
                    if (name != null) {
                        next = Math.max(next, Long.parseLong(name, 36) + 1);
                        if (!keys.containsKey(name)) {
                            unlinked.add(recordFile(name));
                        }
                    }
                }
            }
        }
        Map<String, PageManifest.Page> pages = new HashMap<>();
        for (Map.Entry<String, StringBuilder> e : keys.entrySet()) {
            String name = e.getKey();
            next = Math.max(next, Long.parseLong(name, 36) + 1);
            Entry.Target page = null;
            try {
                page = RecordFile.read(store.readBytes(recordFile(name)), recordFile(name));
            } catch (IOException | NodeFormatException x) {
                // No record: which page the entries were for is not known; they go.
            }
            if (page == null || pages.containsKey(page.link())) {
                for (String key :
                        new PageManifest.Page("", name, -1, e.getValue().toString()).keyList()) {
                    unknown.add(new Bound(key, recordLink(name)));
                }
                continue;
            }
            String digest = page.digest() == null ? "" : page.digest();
            pages.put(
                    page.link(),
                    new PageManifest.Page(digest, name, -1, e.getValue().toString()));
        }
        return new Scan(new PageManifest.Loaded(pages, next), unknown, unlinked);
    }

    /** The name of page number {@code n}: {@code n} in base 36. */
    static String recordName(long n) {
        return Long.toString(n, 36);
    }

    /** A record's file in the store: {@code p/NAME.html}. */
    static String recordFile(String name) {
        return NodeStore.RECORD_DIR + "/" + name + ".html";
    }

    /** A record's link from a leaf (in {@code n/}): {@code ../p/NAME.html}. */
    static String recordLink(String name) {
        return "../" + recordFile(name);
    }

    private static final java.util.regex.Pattern RECORD_LINK = java.util.regex.Pattern.compile(
            "\\.\\./" + NodeStore.RECORD_DIR + "/(" + NodeStore.RECORD_NAME + ")\\.html");

    /** The name in a record link this indexer writes, or null for any other link. */
    static @Nullable String recordNameOf(String link) {
        java.util.regex.Matcher m = RECORD_LINK.matcher(link);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * A page read: its words, or null when its digest is unchanged (an update only), its record
     * name (empty for a page new to an update: named in order by the caller), what its record
     * holds (an update only), and a failure to write its record (a build only), rethrown in
     * order.
     */
    private record Read(
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
    private record Words(Relevance.Terms terms) {
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

    /**
     * A new or changed page of an update, to be scored once every page is read.
     *
     * @param length the length its entries are scored with ({@link #scoredLength})
     * @param before the page as the manifest had it, or null for a new page
     */
    private record Rescore(
            String record, Relevance.Terms terms, int length, PageManifest.@Nullable Page before) {}

    /**
     * The length a changed page's entries are scored with: the length they were scored with
     * before while the page's length differs from it by at most an eighth, else its length now.
     * So an edit of a few words leaves the scores of the words it did not touch as they were
     * (their entries and leaves are not rewritten), and the page is scored again with its new
     * length once edits add up; the manifest keeps the length scored with.
     */
    private static int scoredLength(PageManifest.@Nullable Page before, int now) {
        if (before == null || before.length() < 0) {
            return now;
        }
        int was = before.length();
        return 8L * Math.abs((long) now - was) <= was ? was : now;
    }

    /**
     * Adds to {@code sorter} the record entries of new and changed pages whose score may have
     * changed: every key of a new page, and of a changed page the keys it gained, those whose
     * weight changed, and all its keys when the length it is scored with changed ({@link
     * #scoredLength}) or was not known (the manifest was lost). A key whose weight and scored
     * length stay keeps its entry and score. Scores use the site as the last run left it: its
     * pages, their mean length (from the manifest; without it, from the pages read now) and the
     * pages holding each key; entries of unchanged pages keep the scores they had.
     *
     * @return the figures the scores used
     */
    private static Relevance rescore(
            Map<String, PageManifest.Page> old, List<Rescore> rescores, ExternalSorter sorter)
            throws IOException {
        Map<String, long[]> pagesWith = new HashMap<>();
        List<List<Entry>> todo = new ArrayList<>();
        for (Rescore r : rescores) {
            Map<String, Integer> was =
                    r.before() == null ? Map.of() : r.before().weights();
            boolean lengthSame = r.before() != null && r.before().length() == r.length();
            List<Entry> mine = new ArrayList<>();
            for (int i = 0; i < r.terms().keys().size(); i++) {
                String key = r.terms().keys().get(i);
                Integer w = was.get(key);
                if (!lengthSame || w == null || w != r.terms().weight(i)) {
                    mine.add(Entry.record(
                            key, recordLink(r.record()), r.record(), r.terms().weight(i)));
                    pagesWith.put(key, new long[1]);
                }
            }
            todo.add(mine);
        }
        long known = 0;
        long tokens = 0;
        for (PageManifest.Page p : old.values()) {
            if (!pagesWith.isEmpty()) {
                for (String key : p.keyList()) {
                    long[] n = pagesWith.get(key);
                    if (n != null) {
                        n[0]++;
                    }
                }
            }
            if (p.length() >= 0) {
                known++;
                tokens += p.length();
            }
        }
        long pages = Math.max(1, old.size());
        double mean;
        if (known > 0) {
            mean = (double) tokens / known;
        } else {
            long read = 0;
            for (Rescore r : rescores) {
                read += r.terms().length();
            }
            mean = rescores.isEmpty() ? 1 : (double) read / rescores.size();
        }
        Relevance relevance = new Relevance(pages, Math.round(mean * pages));
        Map<String, Relevance.Key> scorers = new HashMap<>();
        for (int j = 0; j < rescores.size(); j++) {
            int length = rescores.get(j).length();
            for (Entry e : todo.get(j)) {
                Relevance.Key k = scorers.computeIfAbsent(
                        e.key(), key -> relevance.key(key, pagesWith.getOrDefault(key, NONE)[0]));
                sorter.add(new Entry(e.key(), e.target().withScore(k.score(e.score(), length))));
            }
        }
        return relevance;
    }

    private static final long[] NONE = {0};

    /** The number of the page whose record {@code link} names ({@code ../p/NAME.html}). */
    private static int pageNumber(String link) {
        String name = recordNameOf(link);
        if (name == null) {
            throw new IllegalStateException("not a record link of this indexer: " + link);
        }
        return (int) Long.parseLong(name, 36);
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
