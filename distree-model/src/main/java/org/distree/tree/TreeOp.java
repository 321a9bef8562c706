package org.distree.tree;

import static org.distree.tree.LocalTree.BY_LOW;
import static org.distree.tree.LocalTree.MAX_ORPHANS;
import static org.distree.tree.LocalTree.MOVED;
import static org.distree.tree.LocalTree.MOVED_TO;
import static org.distree.tree.LocalTree.href;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.distree.html.IndexPage;
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
import org.distree.tree.LocalTree.Written;

/**
 * One transaction of a {@link LocalTree}: the edits it makes from the root down (inserts and
 * removes routed to leaves, child edits, repairs), the files it writes, cuts in pieces, merges
 * and deletes, the orphan copies a cut file keeps, and the root it settles on. The tree makes
 * one per change while holding its monitor; {@link #commit} makes it durable at once.
 */
final class TreeOp {
    final Instant now;
    private final NodeStore store;
    private final NodeCache nodeCache;
    final NodeStore.Transaction txn;
    final Map<String, NodeFile> cache = new HashMap<>();
    final java.util.Set<String> changed = new java.util.LinkedHashSet<>();
    final java.util.Set<String> deleted = new java.util.LinkedHashSet<>();
    /** The sums on the items of this transaction's nodes ({@link ChildSums}). */
    private final ChildSums sums = new ChildSums();
    /** Names made in this transaction: nobody links them yet, so they get no copies. */
    final java.util.Set<String> created = new java.util.HashSet<>();

    TreeOp(NodeStore store, NodeCache nodeCache, Instant now) {
        this.store = store;
        this.nodeCache = nodeCache;
        this.txn = store.begin();
        this.now = now;
    }

    int edited;
    boolean repair;

    /**
     * When set, the ranges this machine vouches for: each leaf is marked partial unless this
     * holds for its range ({@link LocalTree#vouch}).
     */
    java.util.function.@org.jspecify.annotations.Nullable Predicate<Range> held;

    /** Where leaves are cut ({@link #cutAtBounds}); none unless set. */
    java.util.NavigableSet<Bound> cuts = java.util.Collections.emptyNavigableSet();
    /** Adds go only where no entry is (a replica never replaces an entry). */
    boolean absentOnly;

    int inserted;
    /** Removes go only where the entry passes this test. */
    java.util.function.@org.jspecify.annotations.Nullable Predicate<Entry> removeOnly;

    int removed;

    /** True once this transaction writes the entry page ({@link #writeIndex}). */
    private boolean indexWritten;

    /**
     * The entry page for the root {@code rootName} of the tree in {@code store}: the link to the
     * root, the root's copy when it fits in the 10 KB rule ({@link IndexPage#write}), and the
     * link to a search page the folder holds.
     */
    static byte[] indexPage(NodeStore store, String rootName, Node root) {
        return IndexPage.write(
                rootName, root, store.exists(IndexPage.SEARCH_PAGE), Rules.MAX_FILE_BYTES);
    }

    /** Writes the entry page for the root {@code rootName} in this transaction. */
    void writeIndex(String rootName, Node root) {
        txn.putBytes(NodeStore.INDEX, indexPage(store, rootName, root));
        indexWritten = true;
        indexRoot = rootName;
    }

    /** The root the entry page written in this transaction names, if one was. */
    private @org.jspecify.annotations.Nullable String indexRoot;

    /**
     * Commits the transaction. When it rewrites the root and not the entry page, the entry page
     * is written too, so that the root's copy there stays the root.
     */
    void commit() throws IOException {
        sums.settle(changed, cache, this::write);
        if (indexRoot != null && cache.get(indexRoot) != null && changed.contains(indexRoot)) {
            // Its copy there is the root as written last: with the sums.
            writeIndex(indexRoot, cache.get(indexRoot).node());
        }
        if (!indexWritten) {
            String rootName = store.rootName();
            if (rootName != null && changed.contains(rootName)) {
                NodeFile root = cache.get(rootName);
                if (root != null) {
                    writeIndex(rootName, root.node());
                }
            }
        }
        try {
            txn.commit();
        } catch (IOException | RuntimeException e) {
            // Some files may be in place and others not until the log is replayed on reopen.
            nodeCache.clear();
            throw e;
        }
        nodeCache.committed(changed, deleted, cache);
    }

    /**
     * Applies the edits below and at {@code node}; returns its pieces, or null when nothing
     * in its subtree changed.
     */
    @org.jspecify.annotations.Nullable
    List<Written> rewrite(String name, Node node, Map<String, UnaryOperator<List<ChildRef>>> edits)
            throws IOException {
        if (node.isLeaf()) {
            List<Written> cut = cutAtBounds(name, node);
            if (cut != null) {
                return cut;
            }
            boolean remark = held != null && node.partial() == held.test(node.range());
            if (remark) {
                edited++;
            }
            return remark || (repair && !Rules.fits(node))
                    ? writePieces(name, node, remark ? node.withPartial(!node.partial()) : node)
                    : null;
        }
        List<ChildRef> children = node.children();
        boolean changedHere =
                repair && (!Rules.fits(node) || node.size() != Cover.size(node.range(), children));
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
                if ((repair
                                && (!ref.range().equals(child.range())
                                        || ref.height() != child.height()
                                        || ref.size() != child.size()
                                        || sums.stale(childName)))
                        || ref.partial() != child.partial()) {
                    fresh = item(ref.href(), child);
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
        if (held != null) {
            // Leaves cut at edges that are no longer edges (the ranges held moved) join again
            // where both are small and of one mark, and the node keeps 16x with them (every
            // child counts as touched here, so leaves cut to obey 16x would join again too).
            refs.sort(BY_LOW);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < refs.size(); i++) {
                all.add(i);
            }
            List<ChildRef> merged = SmallMerges.merge(
                    this,
                    refs,
                    all,
                    SmallMerges.sixteenthOf(node.range(), refs, name.equals(store.rootName())));
            if (merged.size() < refs.size()) {
                refs = new ArrayList<>(merged);
                changedHere = true;
            }
        }
        boolean partial = partial(node.range(), refs);
        if (!changedHere && partial == node.partial()) {
            return null;
        }
        refs.sort(BY_LOW);
        Node changedNode = node.withChildren(
                        refs, node.range(), Cover.size(node.range(), refs), now)
                .withPartial(partial);
        return writePieces(name, node, changedNode);
    }

    /**
     * Cuts a leaf at the {@link #cuts} strictly inside its range, each piece marked by {@link
     * #held}, so that a leaf never straddles the edge of a range the machine holds (a straddling
     * leaf could vouch for neither side). Pieces may be small, or empty; they are not merged
     * back with a neighbour of the other mark ({@link SmallMerges}). A piece over the 10 KB rule
     * (a leaf near it that gained a low bound or the partial mark) is cut by size as well. Null
     * when no cut falls inside.
     */
    @org.jspecify.annotations.Nullable
    private List<Written> cutAtBounds(String name, Node leaf) {
        if (cuts.isEmpty()) {
            return null;
        }
        Range r = leaf.range();
        Bound from = r.low() == null ? cuts.first() : cuts.higher(r.low());
        List<Bound> inside = new ArrayList<>();
        for (Bound b = from; b != null && r.contains(b); b = cuts.higher(b)) {
            if (r.low() == null || b.compareTo(r.low()) > 0) {
                inside.add(b);
            }
        }
        if (inside.isEmpty()) {
            return null;
        }
        inside.add(null);
        List<Written> out = new ArrayList<>();
        Bound low = r.low();
        int e = 0;
        List<Entry> all = leaf.entries();
        for (Bound high : inside) {
            List<Entry> part = new ArrayList<>();
            while (e < all.size() && (high == null || all.get(e).position().compareTo(high) < 0)) {
                part.add(all.get(e++));
            }
            Range pr = new Range(low, high == null ? r.high() : high);
            Node piece = leaf.withEntries(part, pr, now);
            if (held != null) {
                piece = piece.withPartial(!held.test(pr));
            }
            // A piece may take a low bound and a mark its leaf had not, so a piece of a leaf
            // near 10 KB can be over it: it is cut by size then, its parts keeping its mark.
            for (Node fitting : fitting(piece)) {
                String pieceName = out.isEmpty() ? name : newName();
                out.add(new Written(pieceName, fitting));
            }
            low = high;
        }
        for (Written p : out.subList(1, out.size())) {
            write(p.name(), p.node());
        }
        write(name, new NodeFile(out.get(0).node(), withCopies(name, leaf, out)));
        edited++;
        return out;
    }

    /**
     * Whether an internal node of this range with these children is partial: some child is
     * marked partial and a point of the range has no complete live child. A tree with no
     * partial node (every tree of a machine that holds no ranges) never gets the mark.
     */
    static boolean partial(Range range, List<ChildRef> refs) {
        return refs.stream().anyMatch(ChildRef::partial) && Cover.partial(range, refs);
    }

    /**
     * An internal node with the mark its child items call for ({@link #partial}), a leaf as it
     * is: a leaf's mark says what this machine holds, an internal node's follows from its items,
     * so every internal node written is marked anew (a grown root, a piece that kept fewer
     * alternates than its node, a parent whose child merged with a partial neighbour).
     */
    static Node marked(Node node) {
        return node.isLeaf() ? node : node.withPartial(partial(node.range(), node.children()));
    }

    Node read(String name) throws IOException {
        return readFile(name).node();
    }

    NodeFile readFile(String name) throws IOException {
        NodeFile f = cache.get(name);
        if (f == null) {
            f = sums.read(name, nodeCache.read(store, name));
            cache.put(name, f);
        }
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
        write(name, file, NodeWriter.write(file));
    }

    /**
     * The item that links a node of this tree: {@link ChildRef#local}, with no sum (the
     * transaction arranges nodes without them; {@link ChildSums#settle} puts them on at the end).
     */
    ChildRef item(String href, Node node) {
        return ChildRef.local(href, node, now);
    }

    /** Writes a file already rendered: {@code page} is {@code file} as {@link NodeWriter} writes it. */
    private void write(String name, NodeFile file, byte[] page) {
        sums.written(name, file, page);
        cache.put(name, file);
        changed.add(name);
        deleted.remove(name);
        txn.putBytes(name, page);
    }

    /**
     * Bytes of the nodes measured in this transaction, by identity: a node written here is
     * measured again when its parent looks for small children to merge.
     */
    private final java.util.IdentityHashMap<Node, Integer> sizes =
            new java.util.IdentityHashMap<>();

    /** {@link NodeWriter#byteSize}, measured once a node in this transaction. */
    int byteSize(Node n) {
        Integer size = sizes.get(n);
        if (size == null) {
            size = NodeWriter.byteSize(n);
            sizes.put(n, size);
        }
        return size;
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
                        .filter(b -> at.containsKey(b) && test.test(at.get(b)))
                        .toList();
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
            List<Written> pieces =
                    update(childName, read(childName), addsByChild.get(i), removesByChild.get(i));
            for (Written p : pieces) {
                touched.add(refs.size());
                addAcceptable(refs, p);
            }
        }
        if (changed.size() + deleted.size() == writesBefore) {
            // Nothing below changed (the adds were there already): nor does this node.
            return List.of(new Written(name, node));
        }
        refs = SmallMerges.merge(this, refs, touched, Long.MAX_VALUE);
        refs.sort(BY_LOW);
        refs = SmallMerges.absorbShort(this, refs);
        Node changed = node.withChildren(refs, node.range(), Cover.size(node.range(), refs), now);
        return writePieces(name, node, changed);
    }

    /**
     * Adds a link to a piece. A piece that breaks the 16x rule first has its largest children
     * cut ({@link ChildCuts}); when no such cut keeps the rules, the link goes to its children
     * instead (a splice).
     */
    void addAcceptable(List<ChildRef> refs, Written p) throws IOException {
        if (linkedPastSingleChild(refs, p)) {
            return;
        }
        Written kept = ChildCuts.obey(this, p);
        if (kept == null) {
            refs.addAll(p.node().children());
            delete(p.name());
        } else {
            refs.add(item(href(kept.name()), kept.node()));
        }
    }

    /**
     * When {@code p} is an internal node whose only child is a node of this machine, links that
     * child in its place, deletes its file and returns true; false (nothing done) otherwise.
     * Such a node adds a level and nothing else. Over an empty child it keeps 16x (0 >= 16 x 0),
     * so no splice took it away, and they stacked: a ring's machine whose withdrawn copies
     * emptied a sliver of a hot key grew a tower of them over the empty leaf, a level a run
     * (each cut of the root made the tallest child a piece of its own), to a root of height 26.
     */
    boolean linkedPastSingleChild(List<ChildRef> refs, Written p) {
        Node n = p.node();
        if (n.isLeaf()
                || n.children().size() != 1
                || !Links.isRelative(n.children().get(0).href())
                || n.children().get(0).routing()) {
            return false;
        }
        refs.add(n.children().get(0));
        delete(p.name());
        return true;
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
            // The range first: it rules out all but one or two children, without parsing links.
            if (c.range().contains(point)
                    && !c.routing()
                    && Links.isRelative(c.href())
                    && (best < 0 || Cover.PREFERENCE.compare(c, children.get(best)) > 0)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Writes a changed node, cut into pieces if it is over the 10 KB rule; an internal node and
     * its pieces are {@link #marked} first.
     */
    List<Written> writePieces(String name, Node old, Node node) throws IOException {
        Node changed = marked(node);
        // Rendered once: the page, with the orphan copies the file keeps, also gives the node's
        // measure.
        NodeFile file = new NodeFile(changed, orphansOf(name));
        NodeWriter.Measured page = NodeWriter.writeMeasured(file);
        sizes.put(changed, page.nodeBytes());
        if (Rules.fits(page.nodeBytes())) {
            write(name, file, page.page());
            return List.of(new Written(name, changed));
        }
        // Children too large for a piece are cut first, so that the pieces keep 16x.
        changed = ChildCuts.beforeSplit(
                this, changed, NodeSplitter.groupsFor(changed.withAnalyzer(null)));
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
     * there). Each copy keeps the 10 KB rule ({@link #copiesOf}). At most {@value
     * #MAX_ORPHANS} are kept, the oldest going first.
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
                        || p.node().children().stream().anyMatch(c -> held.contains(c.href()));
                if (!moved) {
                    continue;
                }
                String id = MOVED
                        + p.name().substring(p.name().lastIndexOf('/') + 1).replace(".html", "");
                out.removeIf(
                        o -> id.equals(o.id()) || (o.id() != null && o.id().startsWith(id + PART)));
                out.addAll(copiesOf(p, id));
            }
        }
        return out.size() <= MAX_ORPHANS
                ? out
                : List.copyOf(out.subList(out.size() - MAX_ORPHANS, out.size()));
    }

    /** What joins a copy's id to its part's number when a copy is kept in parts. */
    private static final String PART = "-";

    /**
     * The orphan copy of piece {@code p}, with fragment id {@code id} and {@value
     * LocalTree#MOVED_TO} naming the piece's file, as copies that each keep the 10 KB rule
     * ({@link Rules#fits}, the measure the linter applies to copies). The id and the link come on
     * top of the piece, so the copy of a piece near 10 KB can be over it (FiveMachinesIT once
     * found one of 10,285 bytes): such a copy is cut by size ({@link NodeSplitter}) into parts
     * {@code id-1}, {@code id-2}, ..., each naming the same node. A copy is read as partial and
     * vouches only for what it lists, so parts claim no more than the whole copy did. None when
     * no cut fits either (a piece of a single item that fits alone but not with a copy's
     * attributes; entries are at most a few KB, so only a hand-made one): the file then keeps
     * no copy of that piece rather than break the rule.
     */
    private List<Node> copiesOf(Written p, String id) {
        Node n = p.node();
        Map<String, String> extra = new HashMap<>(n.extra());
        extra.put(MOVED_TO, href(p.name()));
        Node copy = new Node(
                n.version(),
                n.height(),
                n.range(),
                n.size(),
                n.updated(),
                n.analyzer(),
                id,
                n.entries(),
                n.children(),
                extra);
        if (Rules.fits(copy)) {
            return List.of(copy);
        }
        // Cut with an id as long as the longest the parts take, so that each part still fits
        // with its own; more digits only when there are more parts than they number.
        for (int digits = 1, limit = 10; digits < 10; digits++, limit *= 10) {
            List<Node> parts;
            try {
                parts = new NodeSplitter(now).split(copy.withId(id + PART + "9".repeat(digits)));
            } catch (IllegalStateException e) {
                return List.of();
            }
            if (parts.size() < limit) {
                List<Node> out = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    out.add(parts.get(i).withId(id + PART + (i + 1)));
                }
                return out;
            }
        }
        return List.of();
    }

    /**
     * The node as it is when it keeps the 10 KB rule, else cut by size into pieces that do
     * ({@link NodeSplitter}); the first piece keeps the node's height.
     */
    private List<Node> fitting(Node node) {
        return Rules.fits(byteSize(node)) ? List.of(node) : new NodeSplitter(now).split(node);
    }

    /** The absolute (other machine) items that may be children of a node of this height. */
    static List<ChildRef> remoteOnly(List<ChildRef> items, int height, Range range) {
        List<ChildRef> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ChildRef c : items) {
            if (!Links.isRelative(c.href())
                    && c.height() < height
                    && c.range().meets(range)
                    && seen.add(c.href())) {
                out.add(c);
            }
        }
        return out;
    }

    static String nameOf(String href) {
        return NodeStore.NODE_DIR + "/" + href;
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
}
