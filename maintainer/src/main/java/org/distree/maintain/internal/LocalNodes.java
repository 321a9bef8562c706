package org.distree.maintain.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;

/** The nodes of this machine's tree, reached from its root through local links. */
public final class LocalNodes {
    /** A local node and its file name ({@code n/1a.html}). */
    public record Local(String name, Node node, boolean root) {}

    private LocalNodes() {}

    /**
     * Every local node the root reaches, root first.
     *
     * <p>Each node is read as last committed ({@link LocalTree#read}, which does not wait for
     * the tree's monitor), so that a large tree's walk neither holds back the daemon's writes
     * nor waits for them. A walk that runs while the tree is written may therefore mix nodes
     * from before and after a write (a node removed meanwhile is left out). A caller that needs
     * one consistent view holds the tree's monitor around the call.
     */
    public static List<Local> list(LocalTree tree) throws IOException {
        return walk(tree, true);
    }

    /**
     * The local nodes above the leaves (and the root, whatever its height), read as {@link
     * #list} reads them: what links other machines' nodes, for a small part of a tree's memory
     * (a tree of 11,000 leaves has about 300 of them).
     */
    public static List<Local> internal(LocalTree tree) throws IOException {
        return walk(tree, false);
    }

    private static List<Local> walk(LocalTree tree, boolean leaves) throws IOException {
        List<Local> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        String rootName = tree.rootName();
        queue.add(rootName);
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!seen.add(name)) {
                continue;
            }
            Node n;
            try {
                n = tree.read(name);
            } catch (NoSuchFileException e) {
                if (name.equals(rootName)) {
                    throw e;
                }
                continue; // removed by a write since its parent was read
            }
            out.add(new Local(name, n, name.equals(rootName)));
            for (ChildRef c : n.children()) {
                if (Links.isRelative(c.href())
                        && c.height() < n.height()
                        && (leaves || c.height() > 0)) {
                    queue.add(NodeStore.NODE_DIR + "/" + c.href());
                }
            }
        }
        return out;
    }
}
