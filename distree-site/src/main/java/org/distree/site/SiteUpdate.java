package org.distree.site;

import static org.distree.site.SiteIndexer.recordFile;
import static org.distree.site.SiteIndexer.recordLink;
import static org.distree.site.SiteIndexer.recordName;
import static org.distree.site.SiteIndexer.recordNameOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.distree.analysis.KeyAnalyzer;
import org.distree.html.NodeFormatException;
import org.distree.html.RecordFile;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.site.SiteIndexer.Counts;
import org.distree.site.SiteIndexer.Read;
import org.distree.site.SiteIndexer.Update;
import org.distree.site.SiteIndexer.Words;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * One update of a tree that {@link SiteIndexer} built: the diff of the site against what the
 * last run indexed, and its changes applied in place ({@link SiteIndexer#update} runs one).
 *
 * <pre>
 * PageManifest (or, if missing or stale, one scan of the tree and its records: scan)
 * pages whose digest changed (or new) ─► their new keys ─► rescore ─► ExternalSorter ─► adds
 * their keys no longer there, and every key of removed pages ───────────────────────► removes
 * new pages' records; applyInBatches(adds, removes); then changed pages' records, removed
 * pages' records deleted ─► new PageManifest
 * </pre>
 *
 * It rewrites only the leaves whose entries changed (those of words added to or gone from a
 * page) and the records of changed pages, and reads no node it does not change. It holds the
 * keys of every page (as one string a page) and the diff; a diff over {@code maxChanges}
 * entries is not applied ({@link Update#tooManyChanges}: a rebuild is cheaper then), and a tree
 * made before page records is not updated ({@link Update#outdated}). Changes go in transactions
 * of at most {@link #BATCH}. One object runs one update, on the indexing thread.
 */
final class SiteUpdate {
    /**
     * Changes applied in one transaction during an update: at most 20,000, and at most one per
     * 256 KB of the JVM's maximum heap (at least 64). A site's changes are spread over the tree,
     * so a transaction may hold about one leaf per change, parsed (30 to 40 KB) and written (10
     * KB, more with orphan copies, held by the transaction and by its log record); with {@code
     * -Xmx24m} a batch is 96 changes, with {@code -Xmx1g} 4,096.
     */
    static final int BATCH =
            (int) Math.max(64, Math.min(20_000, Runtime.getRuntime().maxMemory() / (256 * 1024)));

    private final SiteIndexer indexer;
    private final Path site;
    private final PageReader reader;
    private final KeyAnalyzer analyzer;
    private final SiteIndexer.Listener listener;
    private final long maxChanges;
    private @Nullable String phases;

    /**
     * An update of the pages {@code indexer} lists under {@code site}, read on its threads.
     *
     * @param maxChanges the largest diff applied, in entries
     */
    SiteUpdate(
            SiteIndexer indexer,
            Path site,
            PageReader reader,
            KeyAnalyzer analyzer,
            SiteIndexer.Listener listener,
            long maxChanges) {
        this.indexer = indexer;
        this.site = site;
        this.reader = reader;
        this.analyzer = analyzer;
        this.listener = listener;
        this.maxChanges = maxChanges;
    }

    /**
     * The time of each phase, for {@code -v}; null unless {@link #run} applied the changes.
     */
    @Nullable
    String phases() {
        return phases;
    }

    /**
     * Runs the update that {@link SiteIndexer#update} describes, once; {@link #phases} is set
     * when the changes are applied.
     *
     * @param sortDir an empty folder for the sorter's temporary files
     */
    Update run(LocalTree tree, Path sortDir, long sortBuffer) throws IOException {
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
        List<String> pages = indexer.pages();
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
                    indexer.threads(),
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
                for (String key : PageManifest.Page.unscored(
                                "", name, e.getValue().toString())
                        .keyList()) {
                    unknown.add(new Bound(key, recordLink(name)));
                }
                continue;
            }
            String digest = page.digest() == null ? "" : page.digest();
            pages.put(
                    page.link(),
                    PageManifest.Page.unscored(digest, name, e.getValue().toString()));
        }
        return new Scan(new PageManifest.Loaded(pages, next), unknown, unlinked);
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
     * #scoredLength}), its title's length changed, or they were not known (the manifest was
     * lost). A key whose weight and scored lengths stay keeps its entry and score. Scores use
     * the site as the last run left it: its pages, their mean lengths of text and title (from the
     * manifest; without it, from the pages read now) and the pages holding each key; entries of
     * unchanged pages keep the scores they had.
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
            boolean lengthSame = r.before() != null
                    && r.before().length() == r.length()
                    && r.before().titleLength() == r.terms().titleLength();
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
        long titleTokens = 0;
        for (PageManifest.Page p : old.values()) {
            if (!pagesWith.isEmpty()) {
                for (String key : p.keyList()) {
                    long[] n = pagesWith.get(key);
                    if (n != null) {
                        n[0]++;
                    }
                }
            }
            if (p.length() >= 0 && p.titleLength() >= 0) {
                known++;
                tokens += p.length();
                titleTokens += p.titleLength();
            }
        }
        long pages = Math.max(1, old.size());
        double mean;
        double meanTitle;
        if (known > 0) {
            mean = (double) tokens / known;
            meanTitle = (double) titleTokens / known;
        } else {
            long read = 0;
            long readTitles = 0;
            for (Rescore r : rescores) {
                read += r.terms().length();
                readTitles += r.terms().titleLength();
            }
            mean = rescores.isEmpty() ? 1 : (double) read / rescores.size();
            meanTitle = rescores.isEmpty() ? 1 : (double) readTitles / rescores.size();
        }
        Relevance relevance =
                new Relevance(pages, Math.round(mean * pages), Math.round(meanTitle * pages));
        Map<String, Relevance.Key> scorers = new HashMap<>();
        for (int j = 0; j < rescores.size(); j++) {
            int length = rescores.get(j).length();
            int titleLength = rescores.get(j).terms().titleLength();
            for (Entry e : todo.get(j)) {
                Relevance.Key k = scorers.computeIfAbsent(
                        e.key(), key -> relevance.key(key, pagesWith.getOrDefault(key, NONE)[0]));
                sorter.add(new Entry(
                        e.key(), e.target().withScore(k.score(e.score(), length, titleLength))));
            }
        }
        return relevance;
    }

    private static final long[] NONE = {0};

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
