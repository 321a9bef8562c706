package org.distree.maintain.internal;

import java.io.IOException;
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

    /** Every local node the root reaches, root first; holds the tree's monitor while reading. */
    public static List<Local> list(LocalTree tree) throws IOException {
        synchronized (tree) {
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
                Node n = tree.read(name);
                out.add(new Local(name, n, name.equals(rootName)));
                for (ChildRef c : n.children()) {
                    if (Links.isRelative(c.href()) && c.height() < n.height()) {
                        queue.add(NodeStore.NODE_DIR + "/" + c.href());
                    }
                }
            }
            return out;
        }
    }
}
