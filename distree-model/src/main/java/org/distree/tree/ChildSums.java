package org.distree.tree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.distree.html.NodeSums;
import org.distree.html.NodeWriter;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.rules.Rules;
import org.jspecify.annotations.Nullable;

/**
 * The sums on the items of one transaction's nodes ({@link ChildRef#SUM}). A transaction
 * arranges nodes without sums ({@link #read} takes them off the files it reads), so that they
 * change no node's measure and no tree's shape; at commit ({@link #settle}) each node written
 * gets the sums of the children it links on this machine, lowest nodes first, so that a parent
 * sums its children as they are written, up to the root. Not thread-safe: one per {@link
 * TreeOp}.
 */
final class ChildSums {
    /** Writes a file in the transaction: {@code page} is the file as {@link NodeWriter} writes it. */
    @FunctionalInterface
    interface Rewrite {
        void write(String name, NodeFile file, byte[] page);
    }

    /** Bytes a sum adds to an item: {@code data-sum="…"} and its space. */
    static final int SUM_BYTES = ChildRef.SUM.length() + 3 + 16 + 1;

    /**
     * True when the node, {@code bytes} long without sums, still fits in its file with the sum
     * of each child it links on this machine. A node made as full as its file allows gets no
     * sums ({@link #settle}), and every reader then asks for each of its children every run.
     */
    static boolean fitsWithSums(Node node, long bytes) {
        return Rules.fits(withSums(node, bytes));
    }

    /** The bytes of the node, {@code bytes} long without sums, with the sum of each local child. */
    static long withSums(Node node, long bytes) {
        long local = 0;
        for (ChildRef c : node.children()) {
            if (Links.isRelative(c.href())) {
                local++;
            }
        }
        return bytes + local * SUM_BYTES;
    }

    /** The sums of the nodes written, by the node object written. */
    private final IdentityHashMap<Node, String> written = new IdentityHashMap<>();

    /** The bytes of each file as last written in this transaction, by name. */
    private final Map<String, Integer> pageBytes = new HashMap<>();

    /** The sums on the items of the files read, by child name: right while the child is. */
    private final Map<String, String> known = new HashMap<>();

    /** The files as read, sums and all, by name. */
    private final Map<String, NodeFile> originals = new HashMap<>();

    /** Notes a file written in the transaction, and its node's sum. */
    void written(String name, NodeFile file, byte[] page) {
        written.put(
                file.node(),
                file.orphans().isEmpty() ? NodeSums.ofPage(page) : NodeSums.of(file.node()));
        pageBytes.put(name, page.length);
    }

    /**
     * The file {@code name} as the transaction arranges it: with no sums on its node's items. The
     * sums of its own links are kept by child name, for the children left as they are.
     */
    NodeFile read(String name, NodeFile read) {
        originals.put(name, read);
        Node n = read.node();
        if (n.isLeaf()) {
            return read;
        }
        List<ChildRef> plain = new ArrayList<>(n.children().size());
        boolean any = false;
        for (ChildRef c : n.children()) {
            String sum = c.sum();
            if (sum != null) {
                any = true;
                if (Links.isRelative(c.href())) {
                    known.put(TreeOp.nameOf(c.href()), sum);
                }
            }
            plain.add(c.withSum(null));
        }
        return any
                ? new NodeFile(
                        n.withChildren(plain, n.range(), n.size(), n.updated()), read.orphans())
                : read;
    }

    /**
     * In a repair: true when the item read for {@code name} summed the child otherwise than its
     * file does (the sum is mended then: the parent is written again with the right one).
     */
    boolean stale(String name) {
        String sum = known.get(name);
        NodeFile original = originals.get(name);
        if (sum == null || original == null) {
            return false;
        }
        String now = NodeSums.of(original.node());
        if (sum.equals(now)) {
            return false;
        }
        known.put(name, now);
        return true;
    }

    /**
     * Puts on each item that links a node of this machine the node's sum: written in this
     * transaction, or as the item read said when the child was left as it was; lowest nodes
     * first, each node written that gains a sum written again through {@code rewrite}. A node
     * takes the sums that keep it within the 10 KB rule, in order (nodes filled near 10 KB sum
     * some children, not all); a stale sum cannot remain, since a node written here is linked
     * from a parent written here.
     *
     * @param changed the names written in the transaction
     * @param files the files of the transaction by name (those written as last written)
     */
    void settle(Collection<String> changed, Map<String, NodeFile> files, Rewrite rewrite) {
        List<Map.Entry<String, NodeFile>> order = new ArrayList<>();
        for (String name : changed) {
            NodeFile f = files.get(name);
            if (f != null) {
                order.add(Map.entry(name, f));
            }
        }
        order.sort(Comparator.comparingInt(e -> e.getValue().node().height()));
        Map<String, String> byName = new HashMap<>();
        for (Map.Entry<String, NodeFile> file : order) {
            String name = file.getKey();
            NodeFile f = file.getValue();
            if (!f.node().isLeaf()) {
                NodeFile summed = summed(name, f, byName, rewrite);
                if (summed != null) {
                    f = summed;
                }
            }
            byName.put(name, Objects.requireNonNull(written.get(f.node())));
        }
    }

    /**
     * Writes the file again with the sum of each child it links on this machine, as many as keep
     * the 10 KB rule, in order, and returns it; null (nothing written) when none is known or none
     * fits.
     */
    private @Nullable NodeFile summed(
            String name, NodeFile f, Map<String, String> byName, Rewrite rewrite) {
        Node n = f.node();
        Integer bytes = pageBytes.get(name);
        int room = (Rules.MAX_FILE_BYTES - (bytes != null ? bytes : NodeWriter.write(f).length))
                / SUM_BYTES;
        List<ChildRef> out = new ArrayList<>(n.children().size());
        int added = 0;
        for (ChildRef c : n.children()) {
            String sum = null;
            if (Links.isRelative(c.href()) && c.height() < n.height() && added < room) {
                String child = TreeOp.nameOf(c.href());
                sum = byName.containsKey(child) ? byName.get(child) : known.get(child);
            }
            if (sum != null && !sum.equals(c.sum())) {
                added++;
                out.add(c.withSum(sum));
            } else {
                out.add(c);
            }
        }
        if (added == 0) {
            return null;
        }
        NodeFile next =
                new NodeFile(n.withChildren(out, n.range(), n.size(), n.updated()), f.orphans());
        byte[] page = NodeWriter.write(next);
        if (!Rules.fits(page.length)) {
            return null;
        }
        rewrite.write(name, next, page);
        return next;
    }
}
