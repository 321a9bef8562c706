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

    boolean accepted;

    SegmentRequest(int q, @Nullable NodeVisit parent, Range segment, int parentHeight, String why) {
        this(q, parent, segment, parentHeight, why, -1);
    }

    SegmentRequest(
            int q,
            @Nullable NodeVisit parent,
            Range segment,
            int parentHeight,
            String why,
            int other) {
        this.q = q;
        this.parent = parent;
        this.segment = segment;
        this.parentHeight = parentHeight;
        this.why = why;
        this.other = other;
    }
}
