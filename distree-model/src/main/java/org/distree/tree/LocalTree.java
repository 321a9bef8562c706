package org.distree.tree;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;

/**
 * A tree kept in a {@link NodeStore}: insert and delete entries, keeping every rule.
 *
 * <p>Each call is one transaction: the changed path from the root down is rewritten together,
 * so a crash leaves either the old tree or the new one. How a change flows:
 *
 * <pre>
 * apply(adds, removes)
 *   root ─► child holding the key ─► … ─► leaf: merge entries
 *   leaf over 10 KB            → cut into pieces by size (first piece keeps the name, and
 *                                its file keeps a copy of each other piece: orphan copies)
 *   small neighbours            → merged back together
 *   piece breaking 16x          → the parent links its children instead (heights may skip)
 *   root cut in pieces          → a new root one level higher
 * </pre>
 *
 * Only local children (relative links) are followed; a node on another machine is never written
 * here. Internal nodes may also link nodes on other machines (absolute links, added with {@link
 * #editChildren}): those are alternates, never the only route, so the local children always
 * cover every node's range and every key can be placed locally. Thread-safe: every method that
 * writes holds this tree's monitor, so a caller may hold it across several calls to read and then
 * write consistently (the store's lock keeps other processes out). {@link #read}, {@link #root}
 * and {@link #rootName} do not wait for it: they return what was last committed.
 *
 * <p>Orphan copies (docs/FORMAT.md): when a file that existed before the transaction is cut in
 * pieces, it keeps after its own node a copy of each new piece ({@code id="moved-HEX"}, HEX the
 * new file's name, and {@value #MOVED_TO} linking that file), so that a parent on another
 * machine that links the old file can find the keys that moved, and the node that holds them now. Later rewrites of the file keep its copies, at most {@value #MAX_ORPHANS}
 * (the oldest goes first); only {@link #dropOrphans} removes them by age, which the maintainer's
 * rules job calls once the aging period is over. The 10 KB rule counts a file's own node alone.
 */
public final class LocalTree implements Closeable {
    /** Pieces of a split are filled to at most this share of the byte budget. */
    static final double SPLIT_FILL = 0.95;

    /** A node under this share of the byte budget is merged with a neighbour when both fit. */
    static final double MERGE_BELOW = 0.25;

    private static final int MAX_ROOT_ROUNDS = 8;

    /**
     * Orphan copies one file keeps at most: 4, so a file stays well under the 256 KB that
     * fetchers read (each copy is within 10 KB).
     */
    public static final int MAX_ORPHANS = 4;

    /** The fragment id of an orphan copy this tree writes: {@code moved-} and the new file's hex. */
    public static final String MOVED = "moved-";

    /**
     * The attribute of an orphan copy that links the node it copies, relative to the file
     * ({@code data-moved-to="1b.html"}): the copy is frozen, that node lives on.
     */
    public static final String MOVED_TO = "data-moved-to";

    /**
     * Parsed nodes kept in memory: at most 4,096, and at most one per 64 KB of the JVM's maximum
     * heap (a full leaf of a site's index, parsed, takes about 30 to 40 KB), so that a small heap
     * ({@code -Xmx24m}: 384 nodes) still has room for the transaction itself.
     */
    static final int CACHE_NODES = (int) Math.max(64,
            Math.min(4096, Runtime.getRuntime().maxMemory() / (64 * 1024)));

    private final NodeStore store;
    private final Clock clock;
    // This process is the only writer (the store's lock), so cached nodes stay current. Guarded
    // by itself, not by the tree's monitor, so that reads need not wait for writers.
    private final Map<String, NodeFile> nodeCache =
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, NodeFile> eldest) {
                    return size() > CACHE_NODES;
                }
            };

    private LocalTree(NodeStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Opens the tree in {@code dir}, creating an empty one if there is none. */
    public static LocalTree open(Path dir) throws IOException {
        return open(NodeStore.open(dir), Clock.systemUTC());
    }

    /** Opens the tree in a store, creating an empty one if there is none; takes the store. */
    public static LocalTree open(NodeStore store, Clock clock) throws IOException {
        LocalTree tree = new LocalTree(store, clock);
        try {
            if (store.rootName() == null) {
                Node root = Node.leaf(Range.ALL, List.of(), tree.now());
                String name = store.newName();
                store.begin().put(name, NodeFile.of(root))
                        .putBytes(NodeStore.INDEX, tree.indexPage(name, root)).commit();
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return tree;
    }

    /** The store under this tree. */
    public NodeStore store() {
        return store;
    }

    /** Inserts entries; an entry with the key and link of an existing one replaces it. */
    public synchronized void insert(Collection<Entry> entries) throws IOException {
        apply(entries, List.of());
    }

    /**
     * Inserts the entries whose position (key and link) holds no entry yet, in one durable
     * transaction; an entry already there is never replaced. The check is made inside the
     * transaction, under this tree's monitor, so a caller may choose the entries without holding
     * it (a replica never replaces an entry written meanwhile).
     *
     * @return the number of entries inserted
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int insertAbsent(Collection<Entry> entries) throws IOException {
        return applyOp(entries, List.of(), true, null);
    }

    /**
     * Deletes the entries at these positions that still pass {@code test}, in one durable
     * transaction; the test is made inside it, under this tree's monitor, so a caller may choose
     * the positions without holding it (an entry written there meanwhile that fails the test
     * stays).
     *
     * @return the number of entries deleted
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int deleteIf(Collection<Bound> positions,
            java.util.function.Predicate<Entry> test) throws IOException {
        return applyOp(List.of(), positions, false, test);
    }

    /** Deletes the entries at these positions (key and link); absent ones are ignored. */
    public synchronized void delete(Collection<Bound> positions) throws IOException {
        apply(List.of(), positions);
    }

    /**
     * Adds and removes entries in one durable transaction. Returns once the change is on disk.
     *
     * @throws IOException if the store cannot be read or written; nothing is changed then
     * @throws IllegalStateException if a stored node is malformed, or the keys cannot be placed
     *     within the rules (keys so long that too few child links fit in a file)
     */
    public synchronized void apply(Collection<Entry> adds, Collection<Bound> removes)
            throws IOException {
        applyOp(adds, removes, false, null);
    }

    private int applyOp(Collection<Entry> adds, Collection<Bound> removes, boolean absentOnly,
            java.util.function.@org.jspecify.annotations.Nullable Predicate<Entry> removeOnly)
            throws IOException {
        if (adds.isEmpty() && removes.isEmpty()) {
            return 0;
        }
        TreeMap<Bound, Entry> addMap = new TreeMap<>();
        for (Entry e : adds) {
            addMap.put(e.position(), e);
        }
        List<Bound> removeList = new ArrayList<>(removes);
        removeList.sort(null);
        Op op = new Op(now());
        op.absentOnly = absentOnly;
        op.removeOnly = removeOnly;
        String rootName = rootName();
        Node root = op.read(rootName);
        List<Written> pieces = op.update(rootName, root, new ArrayList<>(addMap.values()),
                removeList);
        if (op.changed.isEmpty() && op.deleted.isEmpty()) {
            return 0; // every add was there already, every remove absent
        }
        Written top = op.settleRoot(rootName, root, pieces);
        op.txn.putBytes(NodeStore.INDEX, indexPage(top.name(), top.node()));
        op.commit();
        return absentOnly ? op.inserted : op.removed;
    }

    /** The entry page for this root; it keeps the link to a search page the folder holds. */
    private byte[] indexPage(String rootName, Node root) {
        return IndexPage.write(rootName, root, store.exists(IndexPage.SEARCH_PAGE));
    }

    /**
     * The root's file name, such as {@code n/1.html}, as last committed. Does not wait for this
     * tree's monitor.
     */
    public String rootName() throws IOException {
        String href = store.rootName();
        if (href == null) {
            throw new IOException("no tree in " + store.dir() + " (index.html is missing)");
        }
        return href;
    }

    /** The root node, as last committed. Does not wait for this tree's monitor. */
    public Node root() throws IOException {
        return read(rootName());
    }

    /**
     * Reads one local node by its file name ({@code n/1a.html}), as last committed (while a
     * transaction commits, possibly as just before it). Does not wait for this tree's monitor,
     * so a walk of a large tree does not hold back writers, nor waits for them; a caller that
     * needs one consistent view of several nodes holds the monitor around its reads.
     *
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} when
     *     there is no such file)
     * @throws IllegalStateException if the stored node is malformed
     */
    public Node read(String name) throws IOException {
        NodeFile f;
        synchronized (nodeCache) {
            f = nodeCache.get(name);
        }
        if (f != null) {
            return f.node();
        }
        long commits = store.commits();
        try {
            f = store.read(name);
        } catch (NodeFormatException e) {
            throw new IllegalStateException("stored node is malformed: " + e.getMessage(), e);
        }
        synchronized (nodeCache) {
            // A commit since the read may have replaced the file, and put the new version in
            // the cache: the version read is then not cached.
            if (store.commits() == commits) {
                nodeCache.putIfAbsent(name, f);
            }
        }
        return f.node();
    }

    /**
     * Rewrites the children of local internal nodes in one durable transaction, then the path
     * from the root down to each of them, keeping every rule: sizes are recomputed along the
     * cover, a node over 10 KB is cut in pieces, a piece that breaks 16x is replaced in its parent
     * by its children, and the root grows a level when it splits.
     *
     * <p>Each edit maps a node's children to new ones. Only links to other machines (absolute
     * links) are taken from its result: the node's local children are kept as they are, so no
     * local subtree is lost and every key can still be placed locally. Items whose height is not
     * below the node's, or whose range misses the node's, are dropped (height and range rules).
     * An edit of the root when the root is a leaf grows a root one level higher that links the
     * old root and the remote children (nothing is written if there are none). Edits of nodes the
     * root does not reach are ignored.
     *
     * @param edits node file names ({@code n/1a.html}) to edits of their children
     * @return the number of nodes whose children changed
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int editChildren(Map<String, UnaryOperator<List<ChildRef>>> edits)
            throws IOException {
        if (edits.isEmpty()) {
            return 0;
        }
        Op op = new Op(now());
        String rootName = rootName();
        Node root = op.read(rootName);
        Written top;
        if (root.isLeaf()) {
            UnaryOperator<List<ChildRef>> edit = edits.get(rootName);
            if (edit == null) {
                return 0;
            }
            List<ChildRef> refs = new ArrayList<>();
            refs.add(ChildRef.local(href(rootName), root, op.now));
            List<ChildRef> remote = remoteOnly(edit.apply(List.copyOf(refs)), 1, Range.ALL);
            if (remote.isEmpty()) {
                return 0;
            }
            refs.addAll(remote);
            refs.sort(BY_LOW);
            Node grown = new Node(Node.FORMAT_VERSION, 1, Range.ALL, Cover.size(Range.ALL, refs),
                    op.now, root.analyzer(), null, List.of(), refs, Map.of());
            op.edited++;
            // The old root keeps its name and becomes a child (stable names).
            top = op.settleRoot(rootName, root, op.writePieces(op.newName(), grown, grown));
        } else {
            List<Written> pieces = op.rewrite(rootName, root, edits);
            if (pieces == null) {
                return 0;
            }
            top = op.settleRoot(rootName, root, pieces);
        }
        op.txn.putBytes(NodeStore.INDEX, indexPage(top.name(), top.node()));
        op.commit();
        return op.edited;
    }

    /**
     * Repairs the local tree in one durable transaction: a file over 10 KB is cut in pieces, a
     * non-root node that breaks 16x is replaced in its parent by its children, a link whose
     * range, height or size differs from the local child's own is brought up to date, a size
     * that differs from the cover's is recomputed, and the root grows when it splits.
     *
     * @return the number of files written or deleted (0 when the tree was already sound)
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int repair() throws IOException {
        Op op = new Op(now());
        op.repair = true;
        String rootName = rootName();
        Node root = op.read(rootName);
        List<Written> pieces = op.rewrite(rootName, root, Map.of());
        if (pieces == null) {
            return 0;
        }
        Written top = op.settleRoot(rootName, root, pieces);
        op.txn.putBytes(NodeStore.INDEX, indexPage(top.name(), top.node()));
        op.commit();
        return op.changed.size() + op.deleted.size();
    }

    /**
     * Removes the orphan copies written before {@code cutoff} from the named files, in one
     * durable transaction; a file's own node is left as it is. Each file is read again here, under
     * this tree's monitor, so names found by a scan that did not hold it are safe to pass: a file
     * that is gone, or holds no such copy any more, is left alone.
     *
     * @param names node file names ({@code n/1a.html})
     * @param cutoff copies whose {@code updated} is before this have aged out
     * @return the number of files rewritten
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int dropOrphans(Collection<String> names, Instant cutoff)
            throws IOException {
        Op op = new Op(now());
        int files = 0;
        for (String name : new java.util.LinkedHashSet<>(names)) {
            if (!store.exists(name)) {
                continue;
            }
            NodeFile f = op.readFile(name);
            List<Node> keep = f.orphans().stream()
                    .filter(o -> !o.updated().isBefore(cutoff)).toList();
            if (keep.size() != f.orphans().size()) {
                op.write(name, new NodeFile(f.node(), keep));
                files++;
            }
        }
        if (files > 0) {
            op.commit();
        }
        return files;
    }

    /** Child items ordered by low, then high: the order rule for a node's children. */
    static final java.util.Comparator<ChildRef> BY_LOW = (a, b) -> {
        int c = Range.compareLows(a.range().low(), b.range().low());
        return c != 0 ? c : Range.compareHighs(a.range().high(), b.range().high());
    };

    /** The absolute (other machine) items that may be children of a node of this height. */
    private static List<ChildRef> remoteOnly(List<ChildRef> items, int height, Range range) {
        List<ChildRef> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ChildRef c : items) {
            if (!Links.isRelative(c.href()) && c.height() < height && c.range().meets(range)
                    && seen.add(c.href())) {
                out.add(c);
            }
        }
        return out;
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A link from one node file to another; all nodes live in the same folder. */
    static String href(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String nameOf(String href) {
        return NodeStore.NODE_DIR + "/" + href;
    }

    /** A node as written in this transaction, under its file name. */
    record Written(String name, Node node) {}

    /** One transaction's working state. */
    private final class Op {
        final Instant now;
        final NodeStore.Transaction txn = store.begin();
        final Map<String, NodeFile> cache = new HashMap<>();
        final java.util.Set<String> changed = new java.util.LinkedHashSet<>();
        final java.util.Set<String> deleted = new java.util.LinkedHashSet<>();
        /** Names made in this transaction: nobody links them yet, so they get no copies. */
        final java.util.Set<String> created = new java.util.HashSet<>();

        Op(Instant now) {
            this.now = now;
        }

        int edited;
        boolean repair;
        /** Adds go only where no entry is (a replica never replaces an entry). */
        boolean absentOnly;
        int inserted;
        /** Removes go only where the entry passes this test. */
        java.util.function.@org.jspecify.annotations.Nullable Predicate<Entry> removeOnly;
        int removed;

        void commit() throws IOException {
            try {
                txn.commit();
            } catch (IOException | RuntimeException e) {
                // Some files may be in place and others not until the log is replayed on reopen.
                synchronized (nodeCache) {
                    nodeCache.clear();
                }
                throw e;
            }
            synchronized (nodeCache) {
                for (String name : deleted) {
                    nodeCache.remove(name);
                }
                for (String name : changed) {
                    nodeCache.put(name, cache.get(name));
                }
            }
        }

        /**
         * Applies the edits below and at {@code node}; returns its pieces, or null when nothing
         * in its subtree changed.
         */
        @org.jspecify.annotations.Nullable
        List<Written> rewrite(String name, Node node,
                Map<String, UnaryOperator<List<ChildRef>>> edits) throws IOException {
            if (node.isLeaf()) {
                return repair && !Rules.fits(node) ? writePieces(name, node, node) : null;
            }
            List<ChildRef> children = node.children();
            boolean changedHere = repair && (!Rules.fits(node)
                    || node.size() != Cover.size(node.range(), children));
            UnaryOperator<List<ChildRef>> edit = edits.get(name);
            if (edit != null) {
                List<ChildRef> next = new ArrayList<>();
                for (ChildRef c : children) {
                    if (Links.isRelative(c.href())) {
                        next.add(c);
                    }
                }
                next.addAll(remoteOnly(edit.apply(children), node.height(), node.range()));
                next.sort(BY_LOW);
                if (!next.equals(children)) {
                    children = next;
                    changedHere = true;
                    edited++;
                }
            }
            List<ChildRef> refs = new ArrayList<>();
            for (ChildRef ref : children) {
                if (!Links.isRelative(ref.href()) || ref.height() >= node.height()) {
                    refs.add(ref);
                    continue;
                }
                String childName = nameOf(ref.href());
                Node child = read(childName);
                List<Written> pieces = rewrite(childName, child, edits);
                if (pieces == null && repair && !child.isLeaf() && !Rules.obeysSixteenX(child)) {
                    // 16x rule: the parent links the children of a node that breaks it.
                    pieces = List.of(new Written(childName, child));
                }
                if (pieces == null) {
                    ChildRef fresh = ref;
                    if (repair && (!ref.range().equals(child.range())
                            || ref.height() != child.height() || ref.size() != child.size())) {
                        fresh = ChildRef.local(ref.href(), child, now);
                        changedHere = true;
                    }
                    refs.add(fresh);
                    continue;
                }
                changedHere = true;
                for (Written p : pieces) {
                    addAcceptable(refs, p);
                }
            }
            if (!changedHere) {
                return null;
            }
            refs.sort(BY_LOW);
            Node changedNode = node.withChildren(refs, node.range(),
                    Cover.size(node.range(), refs), now);
            return writePieces(name, node, changedNode);
        }

        Node read(String name) throws IOException {
            return readFile(name).node();
        }

        NodeFile readFile(String name) throws IOException {
            NodeFile f = cache.get(name);
            if (f != null) {
                return f;
            }
            synchronized (nodeCache) {
                f = nodeCache.get(name);
            }
            if (f == null) {
                try {
                    f = store.read(name);
                } catch (NodeFormatException e) {
                    throw new IllegalStateException("stored node is malformed: " + e.getMessage(),
                            e);
                }
                // This transaction holds the monitor: no commit can come between.
                synchronized (nodeCache) {
                    nodeCache.put(name, f);
                }
            }
            cache.put(name, f);
            return f;
        }

        /** The orphan copies the file of that name holds now: none for a new name. */
        List<Node> orphansOf(String name) {
            if (created.contains(name) || deleted.contains(name)) {
                return List.of();
            }
            try {
                return readFile(name).orphans();
            } catch (java.nio.file.NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Writes a node; its file keeps the orphan copies it holds (until they age out). */
        void write(String name, Node node) {
            write(name, new NodeFile(node, orphansOf(name)));
        }

        void write(String name, NodeFile file) {
            cache.put(name, file);
            changed.add(name);
            deleted.remove(name);
            txn.put(name, file);
        }

        /** A never-used file name for a node made in this transaction. */
        String newName() {
            String name = store.newName();
            created.add(name);
            return name;
        }

        void delete(String name) {
            cache.remove(name);
            changed.remove(name);
            deleted.add(name);
            txn.delete(name);
        }

        List<Written> update(String name, Node node, List<Entry> adds, List<Bound> removes)
                throws IOException {
            if (node.isLeaf()) {
                List<Entry> fresh = adds;
                if (absentOnly) {
                    java.util.Set<Bound> held = new java.util.HashSet<>();
                    node.entries().forEach(e -> held.add(e.position()));
                    fresh = adds.stream().filter(e -> !held.contains(e.position())).toList();
                    inserted += fresh.size();
                }
                List<Bound> gone = removes;
                if (removeOnly != null) {
                    Map<Bound, Entry> at = new HashMap<>();
                    node.entries().forEach(e -> at.put(e.position(), e));
                    java.util.function.Predicate<Entry> test = removeOnly;
                    gone = removes.stream()
                            .filter(b -> at.containsKey(b) && test.test(at.get(b))).toList();
                    removed += gone.size();
                }
                List<Entry> merged = mergeEntries(node.entries(), fresh, gone);
                if (merged.equals(node.entries())) {
                    return List.of(new Written(name, node));
                }
                return writePieces(name, node, node.withEntries(merged, node.range(), now));
            }
            int writesBefore = changed.size() + deleted.size();
            List<ChildRef> children = node.children();
            List<List<Entry>> addsByChild = new ArrayList<>();
            List<List<Bound>> removesByChild = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                addsByChild.add(new ArrayList<>());
                removesByChild.add(new ArrayList<>());
            }
            for (Entry e : adds) {
                addsByChild.get(route(name, node, e.position())).add(e);
            }
            for (Bound b : removes) {
                int i = routeOrMinus(node, b);
                if (i >= 0) {
                    removesByChild.get(i).add(b);
                }
            }
            List<ChildRef> refs = new ArrayList<>();
            List<Integer> touched = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                ChildRef ref = children.get(i);
                if (addsByChild.get(i).isEmpty() && removesByChild.get(i).isEmpty()) {
                    refs.add(ref);
                    continue;
                }
                String childName = nameOf(ref.href());
                List<Written> pieces = update(childName, read(childName), addsByChild.get(i),
                        removesByChild.get(i));
                for (Written p : pieces) {
                    touched.add(refs.size());
                    addAcceptable(refs, p);
                }
            }
            if (changed.size() + deleted.size() == writesBefore) {
                // Nothing below changed (the adds were there already): nor does this node.
                return List.of(new Written(name, node));
            }
            refs = mergeSmall(refs, touched);
            refs.sort(BY_LOW);
            Node changed = node.withChildren(refs, node.range(), Cover.size(node.range(), refs),
                    now);
            return writePieces(name, node, changed);
        }

        /** Adds a link to a piece, or to its children when it breaks the 16x rule. */
        void addAcceptable(List<ChildRef> refs, Written p) {
            if (!p.node().isLeaf() && !Rules.obeysSixteenX(p.node())) {
                refs.addAll(p.node().children());
                delete(p.name());
            } else {
                refs.add(ChildRef.local(href(p.name()), p.node(), now));
            }
        }

        /** The local child whose range holds the point: the first by preference. */
        int route(String name, Node node, Bound point) {
            int i = routeOrMinus(node, point);
            if (i < 0) {
                throw new IllegalStateException(
                        name + ": no local child covers '" + point + "' (the cover has a gap)");
            }
            return i;
        }

        int routeOrMinus(Node node, Bound point) {
            int best = -1;
            List<ChildRef> children = node.children();
            for (int i = 0; i < children.size(); i++) {
                ChildRef c = children.get(i);
                if (Links.isRelative(c.href()) && c.range().contains(point)
                        && (best < 0 || Cover.PREFERENCE.compare(c, children.get(best)) > 0)) {
                    best = i;
                }
            }
            return best;
        }

        /**
         * Merges each touched small local child with a neighbour of the same height when the
         * two fit together well within the budget. Empty leaves always merge away.
         */
        List<ChildRef> mergeSmall(List<ChildRef> refs, List<Integer> touched) throws IOException {
            if (refs.size() < 2) {
                return refs;
            }
            List<ChildRef> out = new ArrayList<>(refs);
            java.util.Set<String> touchedHrefs = new java.util.HashSet<>();
            for (int t : touched) {
                touchedHrefs.add(refs.get(t).href());
            }
            for (int i = 0; i < out.size() && out.size() > 1; i++) {
                ChildRef c = out.get(i);
                if (!touchedHrefs.contains(c.href()) || !Links.isRelative(c.href())) {
                    continue;
                }
                Node n = read(nameOf(c.href()));
                if (NodeWriter.byteSize(n) > Rules.MAX_FILE_BYTES * MERGE_BELOW && n.size() > 0) {
                    continue;
                }
                int j = i + 1 < out.size() ? i + 1 : i - 1;
                int left = Math.min(i, j);
                int right = Math.max(i, j);
                ChildRef a = out.get(left);
                ChildRef b = out.get(right);
                if (!Links.isRelative(b.href()) || !Links.isRelative(a.href())
                        || a.height() != b.height()
                        || !adjacent(a.range(), b.range())) {
                    continue;
                }
                Node na = read(nameOf(a.href()));
                Node nb = read(nameOf(b.href()));
                Range union = new Range(a.range().low(), b.range().high());
                Node merged;
                if (na.isLeaf()) {
                    List<Entry> all = new ArrayList<>(na.entries());
                    all.addAll(nb.entries());
                    merged = na.withEntries(all, union, now);
                } else {
                    List<ChildRef> all = new ArrayList<>(na.children());
                    all.addAll(nb.children());
                    merged = na.withChildren(all, union, Cover.size(union, all), now);
                }
                if (NodeWriter.byteSize(merged) > Rules.MAX_FILE_BYTES * SPLIT_FILL) {
                    continue;
                }
                String mergedName = nameOf(a.href());
                write(mergedName, merged);
                delete(nameOf(b.href()));
                out.set(left, ChildRef.local(a.href(), merged, now));
                out.remove(right);
                touchedHrefs.add(a.href());
                i = Math.max(-1, left - 2);
            }
            return out;
        }

        /** Writes a changed node, cut into pieces if it is over the 10 KB rule. */
        List<Written> writePieces(String name, Node old, Node changed) {
            if (Rules.fits(changed)) {
                write(name, changed);
                return List.of(new Written(name, changed));
            }
            List<Node> pieces = new NodeSplitter(now).split(changed.withAnalyzer(null));
            List<Written> out = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                String pieceName = i == 0 ? name : newName();
                out.add(new Written(pieceName, pieces.get(i)));
                if (i > 0) {
                    write(pieceName, pieces.get(i));
                }
            }
            write(name, new NodeFile(pieces.get(0), withCopies(name, old, out)));
            return out;
        }

        /**
         * The orphan copies the file {@code name} keeps after it was cut into {@code pieces}
         * (the first is its own node): those it held, then a copy of each new piece that took
         * items the file held before ({@code old}), so that another machine's parent that links
         * the file finds the keys that moved. A file made in this transaction gets none (nobody
         * links it yet), nor does a piece of items new in this transaction (nobody saw them
         * there). At most {@value #MAX_ORPHANS} are kept, the oldest going first.
         */
        List<Node> withCopies(String name, Node old, List<Written> pieces) {
            List<Node> out = new ArrayList<>(orphansOf(name));
            if (!created.contains(name)) {
                java.util.Set<Object> held = new java.util.HashSet<>();
                old.entries().forEach(e -> held.add(e.position()));
                old.children().forEach(c -> held.add(c.href()));
                for (Written p : pieces.subList(1, pieces.size())) {
                    boolean moved = p.node().entries().stream()
                            .anyMatch(e -> held.contains(e.position()))
                            || p.node().children().stream()
                                    .anyMatch(c -> held.contains(c.href()));
                    if (!moved) {
                        continue;
                    }
                    String id = MOVED + p.name().substring(p.name().lastIndexOf('/') + 1)
                            .replace(".html", "");
                    out.removeIf(o -> id.equals(o.id()));
                    Node n = p.node();
                    Map<String, String> extra = new HashMap<>(n.extra());
                    extra.put(MOVED_TO, href(p.name()));
                    out.add(new Node(n.version(), n.height(), n.range(), n.size(), n.updated(),
                            n.analyzer(), id, n.entries(), n.children(), extra));
                }
            }
            return out.size() <= MAX_ORPHANS ? out
                    : List.copyOf(out.subList(out.size() - MAX_ORPHANS, out.size()));
        }

        /** Makes the final root from the pieces of the old root: grows a level if it split. */
        Written settleRoot(String rootName, Node oldRoot, List<Written> pieces) {
            int rounds = 0;
            while (pieces.size() > 1) {
                if (++rounds > MAX_ROOT_ROUNDS) {
                    throw new IllegalStateException("the entries cannot be placed within the"
                            + " rules: too few child links fit in a " + Rules.MAX_FILE_BYTES
                            + " byte file (keys too long, or many entries of one key whose"
                            + " links share a long prefix)");
                }
                List<ChildRef> refs = new ArrayList<>();
                for (Written p : pieces) {
                    addAcceptable(refs, p);
                }
                refs.sort(BY_LOW);
                // Root shrink: a new root above the pieces. Its height is the lowest above
                // them, so that the tree grows a level only when its levels are full.
                int height = NodeSplitter.lowestHeightAbove(refs);
                if (height > Node.MAX_HEIGHT) {
                    throw new IllegalStateException("the tree cannot grow above height "
                            + Node.MAX_HEIGHT);
                }
                Node grown = new Node(Node.FORMAT_VERSION, height, Range.ALL,
                        Cover.size(Range.ALL, refs), now, null, null, List.of(), refs,
                        oldRoot.extra());
                pieces = writePieces(newName(), grown, grown);
            }
            Written top = pieces.get(0);
            // A root with one local child hands the root over to that child.
            while (!top.node().isLeaf() && top.node().children().size() == 1
                    && Links.isRelative(top.node().children().get(0).href())) {
                String childName = nameOf(top.node().children().get(0).href());
                delete(top.name());
                top = new Written(childName, readUnchecked(childName));
            }
            Node root = top.node();
            if (!java.util.Objects.equals(root.analyzer(), oldRoot.analyzer())
                    || !root.range().equals(Range.ALL)) {
                root = new Node(root.version(), root.height(), Range.ALL, root.size(), now,
                        oldRoot.analyzer(), null, root.entries(), root.children(), root.extra());
                write(top.name(), root);
            }
            return new Written(top.name(), root);
        }

        private Node readUnchecked(String name) {
            try {
                return read(name);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static boolean adjacent(Range a, Range b) {
        return a.high() != null && a.high().equals(b.low());
    }

    /** Merges sorted adds (replacing equal positions) and removes into sorted entries. */
    static List<Entry> mergeEntries(List<Entry> old, List<Entry> adds, List<Bound> removes) {
        TreeMap<Bound, Entry> all = new TreeMap<>();
        for (Entry e : old) {
            all.put(e.position(), e);
        }
        for (Bound b : removes) {
            all.remove(b);
        }
        for (Entry e : adds) {
            all.put(e.position(), e);
        }
        return new ArrayList<>(all.values());
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

}
