package org.distree.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One node of a distree: a leaf (height 0) holding entries, or an internal node holding child
 * items. Immutable.
 *
 * @param version the format version the node is written in: the lowest that expresses it, 2 for
 *     a leaf holding record entries ({@link Entry#isRecord}), else 1, whatever was given (a node
 *     read as version 2 without them is written as version 1, which every reader reads)
 * @param height 0 for a leaf; above every child's height for an internal node
 * @param range the keys this node answers for
 * @param size a leaf's entry count; for an internal node, the sum of child sizes along one
 *     non-overlapping cover of its range (see {@code org.distree.rules.Cover})
 * @param updated when the node was last written, in whole seconds (finer parts are dropped)
 * @param analyzer how keys were made from text, declared by a root (such as {@code
 *     standard-lowercase}); null when keys are taken as they are
 * @param id the fragment id of an orphan copy inside another node's file, or null for a file's
 *     own node
 * @param entries a leaf's entries, in order; empty for an internal node
 * @param children an internal node's child items, by low; empty for a leaf
 * @param extra attributes of the {@code <distree>} element that this version does not know
 */
public record Node(
        int version,
        int height,
        Range range,
        long size,
        Instant updated,
        @Nullable String analyzer,
        @Nullable String id,
        List<Entry> entries,
        List<ChildRef> children,
        Map<String, String> extra) {
    /**
     * The highest format version this library reads and writes: 2 (version 1 and record lists,
     * docs/FORMAT.md).
     */
    public static final int FORMAT_VERSION = 2;

    /** The format version of a node without record entries, which every reader reads. */
    public static final int BASE_VERSION = 1;

    /**
     * The attribute, on a {@code <distree>} element or a child item, that marks a node which
     * does not vouch for its whole range: a leaf holding only some of the entries in its range
     * (a machine's own entries outside the ranges it holds), or an internal node with a part of
     * its range that only such nodes cover. Its value is {@code true}. Readers that do not know
     * it ignore it, as every unknown {@code data-*} attribute.
     */
    public static final String PARTIAL = "data-partial";

    /**
     * The attribute, on a {@code <distree>} element and on the child item that links it, that
     * marks a <em>routing node</em>: an internal node whose children are all on other machines,
     * which a machine keeps so that its root reaches, for every key, a node that vouches for it.
     * Entries are never placed through it. Its value is {@code true}.
     */
    public static final String ROUTING = "data-routing";

    /**
     * The attribute, on the {@code <distree>} element of a machine's root, that publishes the
     * places the machine takes on the ring of keys (docs/PROTOCOL.md, "Who holds what"): keys,
     * each percent-encoded in UTF-8, separated by spaces. It belongs to the root: when the root
     * moves to another file, the new root carries it.
     */
    public static final String PLACES = "data-places";

    /**
     * The attribute, on the {@code <distree>} element of a machine's root, that names the ring
     * the machine sees (docs/PROTOCOL.md, "Who holds what"): 16 lowercase hex digits of a
     * SHA-256 of the machines on it. Two machines that publish the same value know the same
     * machines, so neither needs the other's routing to learn of more. It belongs to the root
     * as {@link #PLACES} does.
     */
    public static final String RING = "data-ring";

    /**
     * The attribute, on the {@code <distree>} element of a machine's root, that publishes how
     * many entries the machine's leaves hold, its own and copies (docs/PROTOCOL.md, "Ranges that
     * move with load"): a decimal number, brought up to date when it is off by more than a
     * thirty-second. It belongs to the root as {@link #PLACES} does.
     */
    public static final String STORED = "data-stored";

    /**
     * The attributes that belong to a machine's root and move with it: {@link #PLACES}, {@link
     * #RING}, {@link #STORED}.
     */
    public static final java.util.List<String> ROOT_ONLY = java.util.List.of(PLACES, RING, STORED);

    /** The highest height accepted: 64 levels is far more than any real tree needs. */
    public static final int MAX_HEIGHT = 64;

    public Node {
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "format version " + version + " is outside 1.." + FORMAT_VERSION);
        }
        if (height < 0 || height > MAX_HEIGHT) {
            throw new IllegalArgumentException("height " + height + " is outside 0.." + MAX_HEIGHT);
        }
        if (height == 0 && !children.isEmpty()) {
            throw new IllegalArgumentException("a leaf (height 0) cannot have children");
        }
        if (height > 0 && !entries.isEmpty()) {
            throw new IllegalArgumentException(
                    "a node of height " + height + " cannot hold entries");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        if (height == 0 && size != entries.size()) {
            throw new IllegalArgumentException("a leaf's size is its entry count: size " + size
                    + " but " + entries.size() + " entries");
        }
        // Canonical forms, so that a node read back from its HTML equals the node written: the
        // format writes whole seconds, and readers strip the analyzer and the id.
        updated = updated.truncatedTo(ChronoUnit.SECONDS);
        if (analyzer != null) {
            analyzer = analyzer.strip();
        }
        if (id != null) {
            id = id.strip();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("an orphan copy's id is empty");
            }
        }
        entries = List.copyOf(entries);
        children = List.copyOf(children);
        extra = Text.requireExtra(extra);
        version = BASE_VERSION;
        for (Entry e : entries) {
            if (e.isRecord()) {
                version = FORMAT_VERSION;
                break;
            }
        }
    }

    /** A new leaf written now, its size its entry count. */
    public static Node leaf(Range range, List<Entry> entries, Instant updated) {
        return new Node(
                FORMAT_VERSION,
                0,
                range,
                entries.size(),
                updated,
                null,
                null,
                entries,
                List.of(),
                Map.of());
    }

    /** A new internal node. */
    public static Node internal(
            int height, Range range, long size, List<ChildRef> children, Instant updated) {
        return new Node(
                FORMAT_VERSION,
                height,
                range,
                size,
                updated,
                null,
                null,
                List.of(),
                children,
                Map.of());
    }

    public boolean isLeaf() {
        return height == 0;
    }

    /**
     * True when this node vouches only for what it lists: it is marked {@value #PARTIAL}, or it
     * is an orphan copy (a frozen snapshot of a node that lives on elsewhere, whatever its mark).
     */
    public boolean partial() {
        return id != null || "true".equals(extra.get(PARTIAL));
    }

    /** True when this node is marked {@value #ROUTING}. */
    public boolean routing() {
        return "true".equals(extra.get(ROUTING));
    }

    /** This node marked partial, or not (the mark is left off a complete node). */
    public Node withPartial(boolean mark) {
        if (mark == "true".equals(extra.get(PARTIAL))) {
            return this;
        }
        Map<String, String> next = new java.util.HashMap<>(extra);
        if (mark) {
            next.put(PARTIAL, "true");
        } else {
            next.remove(PARTIAL);
        }
        return new Node(
                version, height, range, size, updated, analyzer, id, entries, children, next);
    }

    /** This node with other entries; its size becomes their count. */
    public Node withEntries(List<Entry> newEntries, Range newRange, Instant when) {
        return new Node(
                version,
                height,
                newRange,
                newEntries.size(),
                when,
                analyzer,
                id,
                newEntries,
                List.of(),
                extra);
    }

    /** This node with other children and size. */
    public Node withChildren(
            List<ChildRef> newChildren, Range newRange, long newSize, Instant when) {
        return new Node(
                version,
                height,
                newRange,
                newSize,
                when,
                analyzer,
                id,
                List.of(),
                newChildren,
                extra);
    }

    /** This node declaring an analyzer (or none). */
    public Node withAnalyzer(@Nullable String newAnalyzer) {
        return new Node(
                version, height, range, size, updated, newAnalyzer, id, entries, children, extra);
    }

    /** This node as an orphan copy with a fragment id, or as a file's own node (null id). */
    public Node withId(@Nullable String newId) {
        return new Node(
                version, height, range, size, updated, analyzer, newId, entries, children, extra);
    }

    /** The number of items: entries for a leaf, children otherwise. */
    public int itemCount() {
        return isLeaf() ? entries.size() : children.size();
    }
}
