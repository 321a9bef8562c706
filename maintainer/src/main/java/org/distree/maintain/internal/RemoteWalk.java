package org.distree.maintain.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.RootPointerException;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * Finds the nodes of other machines: a breadth-first walk from the given starts through every
 * child link, fetching each file once within the run's budget. Heights must strictly fall along
 * the walk (a child that does not is ignored), which ends every cycle. Orphan copies in a file
 * are nodes too ({@code file.html#id}). Nodes of this machine are not walked.
 *
 * <pre>
 * starts (peer roots, submitted URLs, remembered neighbors, remote children)
 *   └─► fetch ─► entry page? follow rel=distree-root ─► node + orphans ─► children (lower)
 * </pre>
 */
public final class RemoteWalk {
    /** A node found on another machine, and the origin ({@link Links#origin}) serving it. */
    public record Seen(URI url, Node node, String origin) {}

    private record Step(URI url, int below, int hops) {}

    private RemoteWalk() {}

    /**
     * Walks from {@code starts}; stops quietly when the budget is spent. What cannot be fetched
     * or parsed is skipped.
     *
     * @param own true for URLs of this machine, which are not walked
     */
    public static List<Seen> walk(Fetches fetches, Collection<URI> starts, Predicate<URI> own) {
        List<Seen> out = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        Deque<Step> queue = new ArrayDeque<>();
        for (URI s : starts) {
            queue.add(new Step(s, Integer.MAX_VALUE, 0));
        }
        while (!queue.isEmpty()) {
            Step step = queue.poll();
            if (own.test(step.url) || !fetchable(step.url)) {
                continue;
            }
            NodeSource.Fetched f;
            try {
                f = fetches.fetch(step.url);
            } catch (Fetches.BudgetSpent e) {
                break;
            } catch (RootPointerException p) {
                URI to = pointer(step.url, p, step.hops);
                if (to != null) {
                    queue.addFirst(new Step(to, step.below, step.hops + 1));
                }
                continue;
            } catch (IOException | NodeFormatException | RuntimeException e) {
                continue;
            }
            URI file = Links.file(f.url());
            String origin = Links.origin(file);
            for (Node n : nodes(f, step.url)) {
                URI url = url(file, n);
                if (n.height() >= step.below || !visited.add(url)) {
                    continue;
                }
                out.add(new Seen(url, n, origin));
                for (ChildRef c : n.children()) {
                    if (c.height() >= n.height()) {
                        continue;
                    }
                    try {
                        queue.add(new Step(Links.resolve(file, c.href()), n.height(), 0));
                    } catch (IllegalArgumentException bad) {
                        // An invalid link in someone else's node: skip it.
                    }
                }
            }
        }
        return out;
    }

    /**
     * True for a URL another machine's walk may fetch: http or https (a remote node never makes
     * this machine read a local file).
     */
    static boolean fetchable(URI url) {
        return Links.followable(url) && !"file".equalsIgnoreCase(url.getScheme());
    }

    /**
     * Where an entry page at {@code url} points (its root), or null when the pointer is broken
     * or {@code hops} pointers were followed already ({@link IndexPage#MAX_POINTER_HOPS}).
     */
    static @Nullable URI pointer(URI url, RootPointerException p, int hops) {
        if (hops >= IndexPage.MAX_POINTER_HOPS) {
            return null;
        }
        try {
            return Links.resolve(Links.file(url), p.href());
        } catch (IllegalArgumentException bad) {
            return null; // a broken pointer: nothing to walk
        }
    }

    /** The nodes a fetched file offers for {@code url}: the one it names, then orphan copies. */
    static List<Node> nodes(NodeSource.Fetched f, URI url) {
        List<Node> nodes = new ArrayList<>();
        f.file().fragment(Links.fragment(url)).ifPresent(nodes::add);
        nodes.addAll(f.file().orphans());
        return nodes;
    }

    /** A node's URL in {@code file}: the file's, with the node's id as fragment if it has one. */
    static URI url(URI file, Node n) {
        return n.id() == null ? file : URI.create(file + "#" + n.id());
    }
}
