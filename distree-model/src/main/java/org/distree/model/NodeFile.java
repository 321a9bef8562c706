package org.distree.model;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one node file holds: its own node, then any orphan copies (nodes with a fragment id) kept
 * there for the aging period after the file shrank.
 */
public record NodeFile(Node node, List<Node> orphans) {
    public NodeFile {
        if (node.id() != null) {
            throw new IllegalArgumentException("a file's own node has no fragment id");
        }
        orphans = List.copyOf(orphans);
        for (Node o : orphans) {
            if (o.id() == null) {
                throw new IllegalArgumentException("an orphan copy needs a fragment id");
            }
        }
    }

    /** A file holding one node. */
    public static NodeFile of(Node node) {
        return new NodeFile(node, List.of());
    }

    /** The node a link's fragment names: the file's own node when the fragment is null. */
    public Optional<Node> fragment(@Nullable String fragment) {
        if (fragment == null || fragment.isEmpty()) {
            return Optional.of(node);
        }
        return orphans.stream().filter(o -> fragment.equals(o.id())).findFirst();
    }
}
