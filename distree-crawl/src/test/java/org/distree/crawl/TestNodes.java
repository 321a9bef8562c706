package org.distree.crawl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;

/** Node files for tests, written by the real {@link NodeWriter}. */
final class TestNodes {
    static final Instant WHEN = Instant.parse("2026-11-22T10:00:00Z");

    private TestNodes() {}

    static Range range(@Nullable String low, @Nullable String high) {
        return new Range(low == null ? null : Bound.of(low), high == null ? null : Bound.of(high));
    }

    /** A leaf over [low, high) whose entries are key → link pairs. */
    static String leaf(@Nullable String low, @Nullable String high, String... keyLinks) {
        return NodeWriter.render(NodeFile.of(leafNode(low, high, keyLinks)));
    }

    /**
     * A leaf from a row {@code {low, high, key, key, …}}: its keys each linked to {@code
     * https://example.org/KEY}.
     */
    static String leafOfRow(@Nullable String[] row) {
        List<String> keyLinks = new ArrayList<>();
        for (int k = 2; k < row.length; k++) {
            keyLinks.add(row[k]);
            keyLinks.add("https://example.org/" + row[k]);
        }
        return leaf(row[0], row[1], keyLinks.toArray(String[]::new));
    }

    /**
     * A leaf marked {@value Node#PARTIAL} over [low, high): it lists only these entries, not
     * every entry in its range.
     */
    static String partialLeaf(@Nullable String low, @Nullable String high, String... keyLinks) {
        return NodeWriter.render(NodeFile.of(leafNode(low, high, keyLinks).withPartial(true)));
    }

    private static Node leafNode(@Nullable String low, @Nullable String high, String... keyLinks) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < keyLinks.length; i += 2) {
            entries.add(Entry.of(keyLinks[i], keyLinks[i + 1], "Title " + keyLinks[i], ""));
        }
        entries.sort(null);
        return Node.leaf(range(low, high), entries, WHEN);
    }

    /** A child item linking {@code href}, declared at {@code height} over [low, high). */
    static ChildRef child(
            String href, @Nullable String low, @Nullable String high, int height, long size) {
        return new ChildRef(href, range(low, high), height, size, WHEN, Status.OK, Map.of());
    }

    static String internal(
            int height, @Nullable String low, @Nullable String high, ChildRef... children) {
        return internal(height, low, high, null, children);
    }

    /** An internal node marked {@value Node#PARTIAL}: a part of its range has no complete child. */
    static String partialInternal(
            int height, @Nullable String low, @Nullable String high, ChildRef... children) {
        return NodeWriter.render(
                NodeFile.of(internalNode(height, low, high, children).withPartial(true)));
    }

    static String internal(
            int height,
            @Nullable String low,
            @Nullable String high,
            @Nullable String analyzer,
            ChildRef... children) {
        return NodeWriter.render(
                NodeFile.of(internalNode(height, low, high, children).withAnalyzer(analyzer)));
    }

    private static Node internalNode(
            int height, @Nullable String low, @Nullable String high, ChildRef... children) {
        long size = 0;
        for (ChildRef c : children) {
            size += c.size();
        }
        return Node.internal(height, range(low, high), size, List.of(children), WHEN);
    }
}
