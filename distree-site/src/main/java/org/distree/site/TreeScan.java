package org.distree.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.distree.html.NodeFormatException;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Status;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * Every entry of a tree on disk, in key order, read one leaf at a time (memory holds one path
 * from the root). Only local children are followed; an entry outside its leaf's range, or not
 * after the previous one, is passed over, so overlapping children never yield an entry twice.
 * A node that cannot be read fails the scan with an {@link UncheckedIOException}. Public for
 * {@code distree export}, which writes a tree's entries out in order.
 */
public final class TreeScan implements Iterator<Entry> {
    private final NodeStore store;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private @Nullable Iterator<Entry> leaf;
    private @Nullable Node leafNode;
    private @Nullable Entry next;
    private @Nullable Bound last;

    private record Frame(Node node, Iterator<ChildRef> children) {}

    /** A scan of the tree in {@code store} from its root node file {@code rootName}. */
    public TreeScan(NodeStore store, String rootName) throws IOException {
        this.store = store;
        enter(read(rootName), Node.MAX_HEIGHT + 1);
    }

    /** Reads a node by its link from a node file: every local node file is in {@code n/}. */
    private Node read(String href) throws IOException {
        int hash = href.indexOf('#');
        String file = hash < 0 ? href : href.substring(0, hash);
        String name =
                href.startsWith(NodeStore.NODE_DIR + "/") ? file : NodeStore.NODE_DIR + "/" + file;
        try {
            return store.read(name)
                    .fragment(hash < 0 ? null : href.substring(hash + 1))
                    .orElseThrow(() -> new IOException("the tree in " + store.dir()
                            + " is damaged: " + href + " names no node"));
        } catch (NodeFormatException e) {
            throw new IOException(
                    "the tree in " + store.dir() + " is damaged: " + e.getMessage(), e);
        }
    }

    private void enter(Node node, int parentHeight) {
        if (node.height() >= parentHeight) {
            return; // heights must fall: a loop in a damaged tree ends here
        }
        if (node.isLeaf()) {
            leaf = node.entries().iterator();
            leafNode = node;
        } else {
            stack.push(new Frame(node, node.children().iterator()));
        }
    }

    @Override
    public boolean hasNext() {
        try {
            while (next == null) {
                if (leaf != null && leafNode != null && leaf.hasNext()) {
                    Entry e = leaf.next();
                    if (leafNode.range().contains(e.position())
                            && (last == null || last.compareTo(e.position()) < 0)) {
                        next = e;
                        last = e.position();
                    }
                    continue;
                }
                leaf = null;
                Frame top = stack.peek();
                if (top == null) {
                    return false;
                }
                if (!top.children().hasNext()) {
                    stack.pop();
                    continue;
                }
                ChildRef c = top.children().next();
                if (c.status() != Status.DEAD
                        && Links.isRelative(c.href())
                        && c.height() < top.node().height()) {
                    enter(read(c.href()), top.node().height());
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Entry next() {
        Entry e = hasNext() ? next : null;
        if (e == null) {
            throw new NoSuchElementException();
        }
        next = null;
        return e;
    }
}
