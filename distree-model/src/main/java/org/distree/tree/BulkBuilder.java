package org.distree.tree;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * Builds a whole tree, bottom up, from entries already in key order (see {@link
 * ExternalSorter}), into an empty store.
 *
 * <p>Leaves are filled to {@code fill} of the byte budget ({@link Budgets#itemCapacity}) as the entries stream past, so memory
 * holds two leaves at a time; each level above holds only the links to the level below (about
 * 200 bytes a node). Groups on each level are cut evenly by subtree size, which keeps the 16x
 * rule when leaves are alike; when a group would still break it (leaves of very different
 * sizes), the level is cut for the 16x rule instead and a group that cannot keep it is not
 * written: the level above links its children (heights then skip). Files are written without
 * forcing each one; at the end all are forced and then the entry page is written atomically, so
 * a tree is visible only once it is complete and durable.
 */
public final class BulkBuilder {
    private final NodeStore store;
    private final double fill;
    private final @Nullable String analyzer;
    private final Instant now;
    private final LongConsumer progress;
    private final java.util.Set<String> written = new java.util.LinkedHashSet<>();
    private long entries;
    private int largestFile;

    /**
     * A builder writing into {@code store}, which must hold no tree.
     *
     * @param fill the share of the 10 KB budget to fill, between 0.5 and 1.0 ({@link
     *     Budgets#BUILD_FILL} by default)
     * @param analyzer the analyzer the root declares, or null
     * @param progress told the number of entries read so far, now and then; files are rendered
     *     and written on {@link #defaultThreads} threads
     */
    public BulkBuilder(
            NodeStore store,
            double fill,
            @Nullable String analyzer,
            Instant now,
            LongConsumer progress) {
        this(store, fill, analyzer, now, progress, defaultThreads());
    }

    /**
     * What a build made.
     *
     * @param syncNanos the time spent forcing the files to disk at the end
     * @param files every file written, as names in the store ({@code n/1f.html}, …, and the
     *     entry page last), each once
     */
    public record Result(
            long entries,
            int nodes,
            int height,
            int largestFile,
            String rootName,
            long syncNanos,
            List<String> files) {
        public Result {
            files = List.copyOf(files);
        }
    }

    private long syncNanos;
    private final AsyncFileWriter writer;

    /** The default number of threads that render and write files: one per processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A builder as {@link #BulkBuilder(NodeStore, double, String, Instant, LongConsumer)},
     * rendering and writing files on {@code threads} threads (at least 1; the files are the
     * same, byte for byte, whatever the number).
     */
    public BulkBuilder(
            NodeStore store,
            double fill,
            @Nullable String analyzer,
            Instant now,
            LongConsumer progress,
            int threads) {
        this.store = store;
        this.fill = Budgets.requireBuildFill(fill);
        this.analyzer = analyzer;
        this.now = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.progress = progress;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        // Nodes waiting to be rendered: 64 a thread, at most 256 (about 8 MB of parsed leaves).
        this.writer = new AsyncFileWriter(threads, Math.min(256, 64 * threads));
    }

    /** The number of threads that render and write files. */
    public int threads() {
        return writer.threads();
    }

    /** Builds the tree from sorted, duplicate-free entries. */
    public Result build(Iterator<Entry> sorted) throws IOException {
        if (store.rootName() != null) {
            throw new IOException(store.dir() + " already holds a tree");
        }
        try (Prefetch<Entry> input = new Prefetch<>(sorted, 1024, 8)) {
            return buildFrom(input);
        } finally {
            writer.close();
        }
    }

    private Result buildFrom(Iterator<Entry> sorted) throws IOException {
        List<ChildRef> level = buildLeaves(sorted);
        int height = 0;
        Node root;
        String rootName;
        if (level.size() == 1) {
            rootName = nameOf(level.get(0));
            root = rereadLeafAsRoot(rootName);
        } else {
            while (true) {
                height++;
                List<ChildRef> next = buildLevel(level, height);
                if (next.size() == 1 && next.get(0).height() == height) {
                    rootName = nameOf(next.get(0));
                    root = Objects.requireNonNull(lastWritten, "the root was just written");
                    break;
                }
                level = next;
            }
            if (!Objects.equals(root.analyzer(), analyzer)) {
                // The root declares the analyzer, whichever level it was made on: written again
                // once the first writing of it is done (the writer's threads keep no order).
                root = root.withAnalyzer(analyzer);
                writer.finish();
                writeNow(rootName, root);
            }
        }
        writer.finish();
        long syncStart = System.nanoTime();
        forceAll();
        syncNanos = System.nanoTime() - syncStart;
        store.begin()
                .putBytes(NodeStore.INDEX, TreeOp.indexPage(store, rootName, root))
                .commit();
        List<String> files = new ArrayList<>(written);
        files.add(NodeStore.INDEX);
        largestFile = Math.max(largestFile, writer.largestFile());
        return new Result(entries, written.size(), height, largestFile, rootName, syncNanos, files);
    }

    private @Nullable Node lastLeafNode;
    private @Nullable Node lastWritten;

    private Node rereadLeafAsRoot(String name) throws IOException {
        Node leaf = lastLeafNode;
        Node root = new Node(
                Node.FORMAT_VERSION,
                0,
                Range.ALL,
                leaf == null ? 0 : leaf.size(),
                now,
                analyzer,
                null,
                leaf == null ? List.of() : leaf.entries(),
                List.of(),
                java.util.Map.of());
        writer.finish();
        writeNow(name, root);
        return root;
    }

    private static String nameOf(ChildRef ref) {
        return NodeStore.NODE_DIR + "/" + ref.href();
    }

    private List<ChildRef> buildLeaves(Iterator<Entry> sorted) throws IOException {
        List<ChildRef> refs = new ArrayList<>();
        int capacity =
                Budgets.itemCapacity(NodeWriter.fixedBytes(Node.leaf(Range.ALL, List.of(), now)));
        int budget = (int) (capacity * fill);
        List<Entry> prev = null;
        Bound prevLow = null;
        List<Entry> cur = new ArrayList<>();
        int curBytes = 0;
        while (sorted.hasNext()) {
            Entry e = sorted.next();
            int b = NodeWriter.itemBytes(cur.isEmpty() ? null : cur.get(cur.size() - 1), e);
            if (!cur.isEmpty() && curBytes + b > budget) {
                if (prev != null) {
                    Bound high = Bound.between(last(prev), cur.get(0).position());
                    refs.add(writeLeaf(prev, new Range(prevLow, high)));
                    prevLow = high;
                }
                prev = cur;
                cur = new ArrayList<>();
                curBytes = 0;
                b = NodeWriter.itemBytes(null, e); // the first of its leaf
            }
            cur.add(e);
            curBytes += b;
            if (++entries % 65_536 == 0) {
                progress.accept(entries);
            }
        }
        progress.accept(entries);
        if (prev == null) {
            refs.add(writeLeaf(cur, new Range(null, null)));
            return refs;
        }
        // Even out the last two leaves so the last one is not nearly empty.
        List<Entry> both = new ArrayList<>(prev);
        both.addAll(cur);
        int half = both.size() / 2;
        List<Entry> a = both.subList(0, half);
        List<Entry> z = both.subList(half, both.size());
        if (leafBytes(a) > capacity || leafBytes(z) > capacity) {
            a = prev;
            z = cur;
        }
        Bound high = Bound.between(last(a), z.get(0).position());
        refs.add(writeLeaf(new ArrayList<>(a), new Range(prevLow, high)));
        refs.add(writeLeaf(new ArrayList<>(z), new Range(high, null)));
        return refs;
    }

    private static int leafBytes(List<Entry> entries) {
        int sum = 0;
        Entry prev = null;
        for (Entry e : entries) {
            sum += NodeWriter.itemBytes(prev, e);
            prev = e;
        }
        return sum;
    }

    private static Bound last(List<Entry> entries) {
        return entries.get(entries.size() - 1).position();
    }

    private ChildRef writeLeaf(List<Entry> entries, Range range) throws IOException {
        Node leaf = Node.leaf(range, entries, now);
        String name = store.newName();
        writeNode(name, leaf);
        lastLeafNode = leaf;
        return ChildRef.local(LocalTree.href(name), leaf, now);
    }

    private List<ChildRef> buildLevel(List<ChildRef> below, int height) throws IOException {
        // Each link is measured once: packing for the 16x rule weighs every link against many
        // groups (a level of 11,000 links measured them 40 times each).
        IdentityHashMap<ChildRef, Integer> itemBytes = new IdentityHashMap<>(2 * below.size());
        long totalBytes = 0;
        for (ChildRef c : below) {
            int b = NodeWriter.itemBytes(c);
            itemBytes.put(c, b);
            totalBytes += b;
        }
        ToIntFunction<ChildRef> bytes = itemBytes::get;
        Predicate<Node> fits = n -> {
            long sum = NodeWriter.fixedBytes(n);
            for (ChildRef c : n.children()) {
                sum += bytes.applyAsInt(c);
            }
            return Rules.fits(sum); // NodeWriter.byteSize(n), from the measures above
        };
        int capacity = Budgets.itemCapacity(NodeWriter.fixedBytes(
                Node.internal(height, Range.ALL, Long.MAX_VALUE / 2, List.of(), now)));
        int groups = Packer.groupsFor(totalBytes, capacity, fill);
        while (true) {
            List<List<ChildRef>> parts = Packer.pack(
                    below, Packer.ItemBytes.alone(bytes), ChildRef::size, capacity, groups);
            List<Node> nodes = levelNodes(parts, height);
            if (!nodes.stream().allMatch(fits)) {
                groups++;
                continue;
            }
            if (nodes.size() > 1 && !nodes.stream().allMatch(Rules::obeysSixteenX)) {
                List<List<ChildRef>> other =
                        Packer.packSixteenX(below, bytes, ChildRef::size, capacity);
                List<Node> otherNodes = levelNodes(other, height);
                if (otherNodes.stream().allMatch(fits)
                        && Packer.parentLinks(other, ChildRef::size)
                                < Packer.parentLinks(parts, ChildRef::size)) {
                    parts = other;
                    nodes = otherNodes;
                }
            }
            List<ChildRef> refs = new ArrayList<>();
            boolean progress = false;
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (nodes.size() > 1 && (n.children().size() < 2 || !Rules.obeysSixteenX(n))) {
                    // 16x rule: a node that breaks it is not linked; the level above links
                    // its children instead.
                    refs.addAll(parts.get(i));
                    continue;
                }
                String name = store.newName();
                writeNode(name, n);
                lastWritten = n;
                refs.add(ChildRef.local(LocalTree.href(name), n, now));
                progress = true;
            }
            if (!progress || height >= Node.MAX_HEIGHT) {
                throw new IllegalStateException("the entries cannot be placed within the rules:"
                        + " no group of " + below.size() + " links at height " + height
                        + " obeys the 16x rule within " + Rules.MAX_FILE_BYTES + " bytes");
            }
            return refs;
        }
    }

    private List<Node> levelNodes(List<List<ChildRef>> parts, int height) {
        List<Node> nodes = new ArrayList<>();
        Bound low = null;
        for (int i = 0; i < parts.size(); i++) {
            List<ChildRef> part = parts.get(i);
            Bound high = i + 1 < parts.size() ? parts.get(i + 1).get(0).range().low() : null;
            Range r = new Range(low, high);
            nodes.add(new Node(
                    Node.FORMAT_VERSION,
                    height,
                    r,
                    Cover.size(r, part),
                    now,
                    parts.size() == 1 ? analyzer : null,
                    null,
                    List.of(),
                    part,
                    java.util.Map.of()));
            low = high;
        }
        return nodes;
    }

    private void writeNode(String name, Node node) throws IOException {
        writer.write(store.path(name), NodeFile.of(node));
        written.add(name);
    }

    /** Writes a file on this thread, once the writer's threads are done with every other. */
    private void writeNow(String name, Node node) throws IOException {
        byte[] bytes = NodeWriter.write(NodeFile.of(node));
        largestFile = Math.max(largestFile, bytes.length);
        java.nio.file.Files.write(store.path(name), bytes);
        written.add(name);
    }

    /** Forces every written file, and the node folder, to disk. */
    private void forceAll() throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String name : written) {
            paths.add(store.path(name));
        }
        paths.add(store.path(NodeStore.NODE_DIR));
        org.distree.store.Durability.forceAll(paths);
    }
}
