package org.distree.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An internal node's item: a link to a child node, with what the parent last saw of it.
 *
 * @param href the link as written: relative for a node on the same machine, absolute otherwise;
 *     a fragment ({@code file.html#id}) names an orphan copy in that file
 * @param range the child's range as last seen
 * @param height the child's height; always below the parent's
 * @param size the child's size: its entry count for a leaf
 * @param checked when the parent last checked the child, in whole seconds, or null if never
 * @param status what that check found
 * @param extra attributes of the link that this version of Distree does not know; kept as read
 */
public record ChildRef(
        String href,
        Range range,
        int height,
        long size,
        @Nullable Instant checked,
        Status status,
        Map<String, String> extra) {
    public ChildRef {
        href = href.strip();
        if (href.isEmpty()) {
            throw new IllegalArgumentException("child link is empty");
        }
        Text.requireMaxBytes("child link", href, Entry.MAX_LINK_BYTES);
        Keys.requireNoControl("child link", href);
        if (height < 0) {
            throw new IllegalArgumentException("child height " + height + " is negative");
        }
        if (size < 0) {
            throw new IllegalArgumentException("child size " + size + " is negative");
        }
        if (checked != null) {
            // The format writes whole seconds.
            checked = checked.truncatedTo(ChronoUnit.SECONDS);
        }
        extra = Text.requireExtra(extra);
    }

    /** A child item for a node just written on this machine. */
    public static ChildRef local(String href, Node child, Instant checked) {
        return new ChildRef(
                href,
                child.range(),
                child.height(),
                child.size(),
                checked,
                Status.OK,
                marks(child));
    }

    private static Map<String, String> marks(Node child) {
        Map<String, String> out = new java.util.HashMap<>();
        if (child.partial()) {
            out.put(Node.PARTIAL, "true");
        }
        if (child.routing()) {
            out.put(Node.ROUTING, "true");
        }
        return out;
    }

    /** True when the child was marked {@value Node#ROUTING} when last seen. */
    public boolean routing() {
        return "true".equals(extra.get(Node.ROUTING));
    }

    /**
     * True when the child vouches only for what it lists: it was marked {@value Node#PARTIAL}
     * when last seen, or the link names an orphan copy ({@code file.html#id}), which is frozen.
     */
    public boolean partial() {
        return href.indexOf('#') >= 0 || "true".equals(extra.get(Node.PARTIAL));
    }

    /** This item with the child's partial mark as now seen. */
    public ChildRef withPartial(boolean mark) {
        if (mark == "true".equals(extra.get(Node.PARTIAL))) {
            return this;
        }
        Map<String, String> next = new java.util.HashMap<>(extra);
        if (mark) {
            next.put(Node.PARTIAL, "true");
        } else {
            next.remove(Node.PARTIAL);
        }
        return new ChildRef(href, range, height, size, checked, status, next);
    }

    /**
     * The attribute of an item that links a node of the same machine which sums the node as it
     * was when the parent was written: 16 lowercase hex digits, the first 8 bytes of SHA-256 of
     * the node's own block as {@code NodeWriter} writes it alone (its file without orphan
     * copies). Since a node's block holds its children's items, sums and all, a sum stands for
     * the whole subtree of that machine: a reader that holds a copy of the node with the same
     * sum need not ask for it again, nor for anything below it whose sum is unchanged.
     * Optional: a tree written by {@code distree build}, or before 2026-12-05, has none.
     */
    public static final String SUM = "data-sum";

    /** The child's sum when the parent was written ({@value #SUM}), or null when not given. */
    public @Nullable String sum() {
        return extra.get(SUM);
    }

    /** This item with the child's sum, or without one when {@code sum} is null. */
    public ChildRef withSum(@Nullable String sum) {
        if (java.util.Objects.equals(sum, extra.get(SUM))) {
            return this;
        }
        Map<String, String> next = new java.util.HashMap<>(extra);
        if (sum == null) {
            next.remove(SUM);
        } else {
            next.put(SUM, sum);
        }
        return new ChildRef(href, range, height, size, checked, status, next);
    }

    /** This item with another link. */
    public ChildRef withHref(String newHref) {
        return new ChildRef(newHref, range, height, size, checked, status, extra);
    }
}
