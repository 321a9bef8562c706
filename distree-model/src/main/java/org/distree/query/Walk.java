package org.distree.query;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.RootPointerException;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Status;

/**
 * A search walk, one node at a time, over any {@link NodeSource}: from the root, follow the
 * children whose range meets the query, and collect matching entries from the leaves.
 *
 * <p>Heights must strictly fall along a walk; a child that does not is skipped and reported,
 * which is what stops loops in hostile trees. Each URL is visited once, and a file is fetched
 * once however many fragments of it are linked. At most {@code maxNodes} nodes are visited
 * (default {@value #DEFAULT_MAX_NODES}).
 */
public final class Walk {
    /** The default node budget: 100,000 nodes. */
    public static final int DEFAULT_MAX_NODES = 100_000;

    /** A result: an entry, and how many distinct leaves listed its link under that key. */
    public record Hit(Entry entry, int leaves) {}

    /** Something the walk could not use, and why. */
    public record Skip(String url, String reason) {}

    /** What a walk found. */
    public record Result(List<Hit> hits, List<Skip> skipped, int nodes, long bytes) {}

    private Walk() {}

    /** Walks from {@code root} (a node file, or an entry page pointing at one). */
    public static Result run(NodeSource source, URI root, Query query, int maxNodes) {
        Map<String, Hit> hits = new LinkedHashMap<>();
        List<Skip> skipped = new ArrayList<>();
        Map<URI, NodeSource.Fetched> files = new HashMap<>();
        Set<URI> visited = new HashSet<>();
        Deque<Visit> stack = new ArrayDeque<>();
        stack.push(new Visit(root, Node.MAX_HEIGHT + 1, 0));
        int nodes = 0;
        long bytes = 0;
        while (!stack.isEmpty()) {
            Visit v = stack.pop();
            if (!visited.add(v.url)) {
                continue;
            }
            if (nodes >= maxNodes) {
                skipped.add(new Skip(v.url.toString(), "node budget of " + maxNodes + " spent"));
                continue;
            }
            URI fileUrl = Links.file(v.url);
            NodeSource.Fetched f = files.get(fileUrl);
            if (f == null) {
                try {
                    f = source.fetch(fileUrl);
                    bytes += f.bytes();
                    files.put(fileUrl, f);
                } catch (RootPointerException p) {
                    if (v.pointerHops < IndexPage.MAX_POINTER_HOPS && v.height > Node.MAX_HEIGHT) {
                        stack.push(new Visit(
                                Links.resolve(fileUrl, p.href()), v.height, v.pointerHops + 1));
                    } else {
                        skipped.add(new Skip(
                                v.url.toString(), "entry page where a node was" + " expected"));
                    }
                    continue;
                } catch (IOException | NodeFormatException | RuntimeException e) {
                    skipped.add(new Skip(v.url.toString(), String.valueOf(e.getMessage())));
                    continue;
                }
            }
            Node node = f.file().fragment(Links.fragment(v.url)).orElse(null);
            if (node == null) {
                skipped.add(new Skip(v.url.toString(), "no node with that fragment id"));
                continue;
            }
            nodes++;
            if (node.height() >= v.height) {
                skipped.add(new Skip(
                        v.url.toString(),
                        "height " + node.height() + " does not fall below its parent's "
                                + v.height));
                continue;
            }
            if (!query.meets(node.range())) {
                continue;
            }
            if (node.isLeaf()) {
                Set<String> seenHere = new HashSet<>();
                for (Entry e : node.entries()) {
                    if (query.matches(e)
                            && node.range().contains(e.position())
                            && seenHere.add(e.key() + "\n" + e.link())) {
                        hits.merge(
                                e.key() + "\n" + e.link(),
                                new Hit(e, 1),
                                (a, b) -> new Hit(a.entry(), a.leaves() + 1));
                    }
                }
                continue;
            }
            List<ChildRef> children = node.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                ChildRef c = children.get(i);
                if (c.status() == Status.DEAD
                        || !query.meets(c.range())
                        || !node.range().meets(c.range())) {
                    continue;
                }
                URI child;
                try {
                    child = Links.resolve(v.url, c.href());
                } catch (IllegalArgumentException e) {
                    skipped.add(new Skip(c.href(), String.valueOf(e.getMessage())));
                    continue;
                }
                if (!Links.followable(child)) {
                    skipped.add(new Skip(child.toString(), "scheme is not http, https or file"));
                    continue;
                }
                if (c.height() >= node.height()) {
                    skipped.add(new Skip(
                            child.toString(),
                            "linked at height " + c.height() + ", not below its parent's "
                                    + node.height()));
                    continue;
                }
                stack.push(new Visit(child, node.height(), 0));
            }
        }
        List<Hit> out = new ArrayList<>(hits.values());
        out.sort((a, b) -> a.entry().compareTo(b.entry()));
        return new Result(out, skipped, nodes, bytes);
    }

    private record Visit(URI url, int height, int pointerHops) {}
}
