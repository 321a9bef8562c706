package org.distree.tree;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.store.EntryLog;
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
 * machine that links the old file can find the keys that moved, and the node that holds them
 * now. Later rewrites of the file keep its copies, at most {@value #MAX_ORPHANS} (the oldest goes
 * first); only {@link #dropOrphans} removes them by age, which the maintainer's rules job calls
 * once the aging period is over. The 10 KB rule counts a file's own node alone; each copy keeps
 * it too, a copy that its id and {@value #MOVED_TO} would take over 10 KB being kept in parts
 * ({@code moved-HEX-1}, {@code moved-HEX-2}, ..., each naming the same node, each counted).
 *
 * <p>Where things live: this class is the public surface and the locking; one change's work
 * (routing, cutting, merging, orphan copies, settling the root) is a {@link TreeOp}; parsed nodes
 * kept between changes are in a {@link NodeCache}; where a node is cut is {@link NodeSplitter}.
 */
public final class LocalTree implements Closeable {
    /**
     * Orphan copies one file keeps at most: 4, so a file stays well under the 256 KB that
     * fetchers read (each copy is within 10 KB).
     */
    public static final int MAX_ORPHANS = 4;

    /**
     * The fragment id of an orphan copy this tree writes: {@code moved-} and the new file's hex;
     * a copy kept in parts adds {@code -1}, {@code -2}, ... (docs/FORMAT.md).
     */
    public static final String MOVED = "moved-";

    /**
     * The attribute of an orphan copy that links the node it copies, relative to the file
     * ({@code data-moved-to="1b.html"}): the copy is frozen, that node lives on.
     */
    public static final String MOVED_TO = "data-moved-to";

    private final NodeStore store;
    private final Clock clock;
    private final NodeCache nodeCache = new NodeCache();

    private LocalTree(NodeStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Opens the tree in {@code dir}, creating an empty one if there is none. */
    public static LocalTree open(Path dir) throws IOException {
        return open(NodeStore.open(dir), Clock.systemUTC());
    }

    /**
     * Opens the tree in a store, creating an empty one if there is none; takes the store. Entries
     * its entry log holds ({@link EntryLog}: acknowledged by a node daemon that stopped before it
     * applied them) are inserted first, in sorted transactions of {@value #LOG_RUN}, and the log's
     * files deleted, so that whatever writes the tree next comes after them.
     *
     * @throws IOException if the store cannot be opened, or the entry log cannot be read or
     *     applied (its files are then kept for the next open)
     */
    public static LocalTree open(NodeStore store, Clock clock) throws IOException {
        LocalTree tree = new LocalTree(store, clock);
        try {
            if (store.rootName() == null) {
                Node root = Node.leaf(Range.ALL, List.of(), tree.now());
                String name = store.newName();
                store.begin()
                        .put(name, NodeFile.of(root))
                        .putBytes(NodeStore.INDEX, tree.indexPage(name, root))
                        .commit();
            }
            tree.applyEntryLog();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return tree;
    }

    /** Entries an entry log's leftovers are inserted in at a time: 20,000. */
    public static final int LOG_RUN = 20_000;

    private void applyEntryLog() throws IOException {
        if (!EntryLog.exists(store.dir())) {
            return;
        }
        try (EntryLog log = EntryLog.open(store.dir(), store.durable())) {
            List<Entry> left = log.recovered();
            try {
                for (List<Entry> run : sortedRuns(left, LOG_RUN)) {
                    insert(run);
                }
            } catch (IOException e) {
                throw new IOException(
                        "cannot apply the " + left.size() + " entries kept in "
                                + log.current().getParent() + " (they stay there): "
                                + e.getMessage(),
                        e);
            }
            EntryLog.delete(log.recoveredFiles());
        }
    }

    /**
     * The entries sorted by position, stably (of two at one position the later stays after the
     * earlier, and a transaction keeps the later), and cut in runs of at most {@code size}: each
     * run a transaction that rewrites each leaf it touches once.
     */
    public static List<List<Entry>> sortedRuns(Collection<Entry> entries, int size) {
        List<Entry> sorted = new ArrayList<>(entries);
        java.util.Collections.sort(sorted);
        List<List<Entry>> runs = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += size) {
            runs.add(sorted.subList(from, Math.min(sorted.size(), from + size)));
        }
        return runs;
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
    public synchronized int deleteIf(
            Collection<Bound> positions, java.util.function.Predicate<Entry> test)
            throws IOException {
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

    private int applyOp(
            Collection<Entry> adds,
            Collection<Bound> removes,
            boolean absentOnly,
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
        TreeOp op = new TreeOp(store, nodeCache, now());
        op.absentOnly = absentOnly;
        op.removeOnly = removeOnly;
        String rootName = rootName();
        Node root = op.read(rootName);
        List<Written> pieces =
                op.update(rootName, root, new ArrayList<>(addMap.values()), removeList);
        if (op.changed.isEmpty() && op.deleted.isEmpty()) {
            return 0; // every add was there already, every remove absent
        }
        Written top = RootSettle.settle(op, root, pieces);
        op.writeIndex(top.name(), top.node());
        op.commit();
        return absentOnly ? op.inserted : op.removed;
    }

    /**
     * Sets an attribute that belongs to this machine's root ({@link Node#ROOT_ONLY}: the places
     * it takes, the ring it sees; null removes it); returns the files written (0 when the root
     * already says so).
     *
     * @throws IllegalArgumentException when {@code key} is not a root's own attribute, or the
     *     root would be over 10 KB with it
     */
    public synchronized int setRootAttribute(
            String key, @org.jspecify.annotations.Nullable String value) throws IOException {
        if (!Node.ROOT_ONLY.contains(key)) {
            throw new IllegalArgumentException(key + " is not one of " + Node.ROOT_ONLY);
        }
        TreeOp op = new TreeOp(store, nodeCache, now());
        String rootName = rootName();
        Node root = op.read(rootName);
        if (java.util.Objects.equals(root.extra().get(key), value)) {
            return 0;
        }
        Map<String, String> extra = new java.util.HashMap<>(root.extra());
        if (value == null) {
            extra.remove(key);
        } else {
            extra.put(key, value);
        }
        Node next = new Node(
                root.version(),
                root.height(),
                root.range(),
                root.size(),
                op.now,
                root.analyzer(),
                root.id(),
                root.entries(),
                root.children(),
                extra);
        if (!org.distree.rules.Rules.fits(next)) {
            throw new IllegalArgumentException("the root would be over "
                    + org.distree.rules.Rules.MAX_FILE_BYTES + " bytes with its " + key);
        }
        op.write(rootName, next);
        op.writeIndex(rootName, next);
        op.commit();
        return 1;
    }

    /** The entry page for this root ({@link TreeOp#indexPage}). */
    private byte[] indexPage(String rootName, Node root) {
        return TreeOp.indexPage(store, rootName, root);
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
        return nodeCache.read(store, name).node();
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
        TreeOp op = new TreeOp(store, nodeCache, now());
        String rootName = rootName();
        Node root = op.read(rootName);
        Written top;
        if (root.isLeaf()) {
            UnaryOperator<List<ChildRef>> edit = edits.get(rootName);
            if (edit == null) {
                return 0;
            }
            List<ChildRef> refs = new ArrayList<>();
            refs.add(op.item(href(rootName), root));
            List<ChildRef> remote = TreeOp.remoteOnly(edit.apply(List.copyOf(refs)), 1, Range.ALL);
            if (remote.isEmpty()) {
                return 0;
            }
            refs.addAll(remote);
            refs.sort(BY_LOW);
            Node grown = rootOver(1, refs, op.now, root.analyzer(), placesOf(root));
            op.edited++;
            // The old root keeps its name and becomes a child (stable names).
            top = RootSettle.settle(op, root, op.writePieces(op.newName(), grown, grown));
        } else {
            List<Written> pieces = op.rewrite(rootName, root, edits);
            if (pieces == null) {
                return 0;
            }
            top = RootSettle.settle(op, root, pieces);
        }
        op.writeIndex(top.name(), top.node());
        op.commit();
        return op.edited;
    }

    /**
     * Repairs the local tree in one durable transaction: a file over 10 KB is cut in pieces, a
     * non-root node that breaks 16x has its largest children cut or, where that cannot keep the
     * rules, is replaced in its parent by its children, a link whose
     * range, height or size differs from the local child's own is brought up to date, a size
     * that differs from the cover's is recomputed, and the root grows when it splits.
     *
     * @return the number of files written or deleted (0 when the tree was already sound)
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int repair() throws IOException {
        TreeOp op = new TreeOp(store, nodeCache, now());
        op.repair = true;
        if (rewriteAll(op)) {
            return op.changed.size() + op.deleted.size();
        }
        return renewIndex() ? 1 : 0;
    }

    /**
     * Writes the entry page again when it is not the page this root gives: a copy of the root
     * that is not the root (written by hand, or by a version that wrote no copy). True when
     * written.
     */
    private boolean renewIndex() throws IOException {
        String rootName = rootName();
        byte[] page = indexPage(rootName, read(rootName));
        if (java.util.Arrays.equals(page, store.readBytes(NodeStore.INDEX))) {
            return false;
        }
        store.begin().putBytes(NodeStore.INDEX, page).commit();
        return true;
    }

    /** Runs the op's rewrite over the whole tree and commits it; false when nothing changed. */
    private boolean rewriteAll(TreeOp op) throws IOException {
        String rootName = rootName();
        Node root = op.read(rootName);
        List<Written> pieces = op.rewrite(rootName, root, Map.of());
        if (pieces == null) {
            return false;
        }
        Written top = RootSettle.settle(op, root, pieces);
        op.writeIndex(top.name(), top.node());
        op.commit();
        return true;
    }

    /**
     * Marks what this machine vouches for, in one durable transaction: a leaf whose range {@code
     * held} accepts is complete (every entry in its range is here), any other is marked {@link
     * Node#PARTIAL}; each internal node is marked partial when a point of its range has only
     * partial children, and its child items carry their children's marks. First each leaf is
     * cut at the {@code cuts} inside its range (the edges of the ranges held), so that no leaf
     * straddles one; leaves of different marks are never merged again. Other writes keep the
     * marks leaves had (a new piece takes its leaf's) and mark each internal node they write
     * from its items, so a machine whose ranges change calls this again.
     *
     * @return the number of files written (0 when every mark was right)
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public int vouch(java.util.function.Predicate<Range> held) throws IOException {
        return vouch(held, List.of());
    }

    /**
     * As {@link #vouch(java.util.function.Predicate)}, first cutting each leaf at the {@code
     * cuts} strictly inside its range.
     *
     * @return the number of files written (0 when every mark was right and nothing was cut)
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int vouch(
            java.util.function.Predicate<Range> held, java.util.Collection<Bound> cuts)
            throws IOException {
        TreeOp op = new TreeOp(store, nodeCache, now());
        op.held = held;
        op.cuts = new java.util.TreeSet<>(cuts);
        return rewriteAll(op) ? op.changed.size() : 0;
    }

    /**
     * Sets what the root links on other machines, in one durable transaction: the root's links
     * to other machines and its routing nodes ({@link Node#ROUTING}) are replaced by {@code
     * remote} (absolute links, kept as they are) and by the given routing nodes (written in the
     * files of the old ones, in key order, so that links to them stay good, then in new files;
     * linked with their marks); its local children that hold entries stay. The root rises
     * above the highest child if it must (a leaf root grows a root above it). Nothing is written
     * when the root already links exactly these (same links, and routing nodes with the same
     * children).
     *
     * @param remote children on other machines to link from the root itself
     * @param routing internal nodes whose children are all on other machines; each is marked
     *     {@link Node#ROUTING} here
     * @return the number of files written or deleted
     * @throws IllegalArgumentException when the root would not fit the 10 KB rule
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int setRouting(List<ChildRef> remote, List<Node> routing)
            throws IOException {
        return setRouting(remote, routing, List.of());
    }

    /**
     * As {@link #setRouting(List, List)}, with a second level: each list of {@code upper} names
     * routing nodes (by their index in {@code routing}, in key order) that one routing node of
     * its own links, in place of the root (a ring too large for one root to link every chain's
     * routing nodes). The routing nodes no upper node takes are linked from the root.
     *
     * @param upper groups of indexes into {@code routing}, each in key order; empty for one level
     * @throws IllegalArgumentException when an index is out of range or taken twice, or the root
     *     would not fit the 10 KB rule
     */
    public synchronized int setRouting(
            List<ChildRef> remote, List<Node> routing, List<List<Integer>> upper)
            throws IOException {
        return RoutingInstall.install(
                new TreeOp(store, nodeCache, now()), rootName(), remote, routing, upper);
    }

    /**
     * Makes room on the root by moving runs of its local children (not routing nodes) into nodes
     * of their own, one level down, as a root over 10 KB on a ring is grouped ({@link
     * RootGroups}): for a machine whose own leaves fill its root before any routing is linked
     * (many small leaves, as a hot key cut in pieces gives), which would otherwise never link
     * the ring. One durable transaction.
     *
     * @return the number of files written, 0 (and nothing written) when no run of at least 8
     *     children could be grouped, or the root is a leaf
     * @throws IOException if the store cannot be read or written; nothing is changed then
     */
    public synchronized int groupRoot() throws IOException {
        TreeOp op = new TreeOp(store, nodeCache, now());
        String rootName = rootName();
        Node root = op.read(rootName);
        if (root.isLeaf()) {
            return 0;
        }
        List<ChildRef> refs = root.children();
        // Groups of at most half a file: one group of every child would leave the root as full.
        List<ChildRef> grouped = RootGroups.group(op, refs, Rules.MAX_FILE_BYTES / 2);
        if (grouped == refs) {
            return 0;
        }
        Node grown = rootOver(
                NodeSplitter.lowestHeightAbove(grouped),
                grouped,
                op.now,
                root.analyzer(),
                root.extra());
        op.edited++;
        Written top = RootSettle.settle(op, root, op.writePieces(rootName, root, grown));
        op.writeIndex(top.name(), top.node());
        op.commit();
        return op.edited;
    }

    /** The root-only attributes of a leaf root, for the root grown above it. */
    static Map<String, String> placesOf(Node root) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String key : Node.ROOT_ONLY) {
            String value = root.extra().get(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    /** A root over these children (sorted by low), its size along their cover. */
    static Node rootOver(
            int height,
            List<ChildRef> refs,
            Instant now,
            @org.jspecify.annotations.Nullable String analyzer,
            Map<String, String> extra) {
        return new Node(
                Node.FORMAT_VERSION,
                height,
                Range.ALL,
                Cover.size(Range.ALL, refs),
                now,
                analyzer,
                null,
                List.of(),
                refs,
                extra);
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
        TreeOp op = new TreeOp(store, nodeCache, now());
        int files = 0;
        for (String name : new java.util.LinkedHashSet<>(names)) {
            if (!store.exists(name)) {
                continue;
            }
            NodeFile f = op.readFile(name);
            List<Node> keep = f.orphans().stream()
                    .filter(o -> !o.updated().isBefore(cutoff))
                    .toList();
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

    /**
     * Child items ordered by low, then high: the order rule for a node's children. Bounds compare
     * through {@link Range#compareLows}/{@link Range#compareHighs}, that is {@link
     * org.distree.model.Bound#compareTo}, which is {@link org.distree.model.Keys#compare} on the
     * key and then on the link part: no order of its own.
     */
    static final java.util.Comparator<ChildRef> BY_LOW = (a, b) -> {
        int c = Range.compareLows(a.range().low(), b.range().low());
        return c != 0 ? c : Range.compareHighs(a.range().high(), b.range().high());
    };

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A link from one node file to another; all nodes live in the same folder. */
    static String href(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** A node as written in this transaction, under its file name. */
    record Written(String name, Node node) {}

    @Override
    public void close() throws IOException {
        store.close();
    }
}
