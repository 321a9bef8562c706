package org.distree.crawl;

import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * A request that a node cover a segment of one query, made by a parent's visit or, with no
 * parent, by a root ({@link Crawl}). Only {@link #accepted} changes: set once the node asked
 * takes the segment on. Not thread-safe: the walk's thread alone uses it.
 */
final class SegmentRequest {
    /** The query's index. */
    final int q;

    /** The visit that asked, or null for a root's request. */
    final @Nullable NodeVisit parent;

    /** The part of the query asked for. */
    final Range segment;

    /** The asking node's height, which the node asked must fall below; roots: above any. */
    final int parentHeight;

    /** Why the node is read, for the search's record. */
    final String why;

    /** For a root's request: -1 for a given root, else the index of another machine's. */
    final int other;

    /**
     * The walk the node is visited in: the parent's, or the empty one of the roots; a machine's
     * own root asked for a part ({@link OtherRoots#askOwnRoot}) starts one of its own, so that
     * the nodes it reaches are visited afresh there and not joined to visits that are waiting
     * for that very part (its links may lead back through the node that asked).
     */
    final String scope;

    boolean accepted;

    /** A given root's request, or a child's in its parent's walk. */
    SegmentRequest(int q, @Nullable NodeVisit parent, Range segment, int parentHeight, String why) {
        this(q, parent, segment, parentHeight, why, -1, parent == null ? "" : parent.scope);
    }

    SegmentRequest(
            int q,
            @Nullable NodeVisit parent,
            Range segment,
            int parentHeight,
            String why,
            int other,
            String scope) {
        this.q = q;
        this.parent = parent;
        this.segment = segment;
        this.parentHeight = parentHeight;
        this.why = why;
        this.other = other;
        this.scope = scope;
    }
}
