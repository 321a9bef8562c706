package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distree.model.Node;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * One node file visited for one query ({@link Crawl}): who asked it for what, the node once
 * read (or why not), its children that may cover the query, what each was asked and what it
 * could not cover. Not thread-safe: the walk's thread alone uses it.
 */
final class NodeVisit {
    final int q;
    final URI url;
    final List<SegmentRequest> requesters = new ArrayList<>();
    boolean loaded;

    /** Why the node is not usable, once loaded; null when it is. */
    @Nullable
    String error;

    /** The node's machine answered that its file is not there (404, 410): the link is stale. */
    boolean gone;

    @Nullable
    Node node;

    /** The URL the node's file was read from, which its relative links resolve against. */
    @Nullable
    URI base;

    boolean expanded;
    final List<Candidate> candidates = new ArrayList<>();

    /**
     * The segments each child was asked for: it is not asked again at a point inside one (what
     * it handed back there it cannot cover), but is for another part that comes back.
     */
    final Map<Candidate, List<Range>> asked = new HashMap<>();

    /** The parts this node could not cover, handed back to each requester they meet. */
    final List<Range> uncovered = new ArrayList<>();

    /** The walk it is visited in ({@link SegmentRequest#scope}). */
    final String scope;

    NodeVisit(int q, URI url, String scope) {
        this.q = q;
        this.url = url;
        this.scope = scope;
    }
}
