package org.distree.server.search;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distree.html.NodeFormatException;
import org.distree.query.FileSource;
import org.distree.query.NodeSource;
import org.distree.query.Query;
import org.distree.query.Walk;

/**
 * Searches with the model's {@link Walk}, from the tree in the data folder. Local nodes are read
 * from disk, only inside the data folder and never under {@code .distree/}; nodes on other
 * machines are fetched with {@code remote} when one is given, and skipped otherwise.
 */
public final class WalkSearcher implements Searcher {
    private final Path data;
    private final URI root;
    private final int maxNodes;
    private final NodeSource local;
    private final NodeSource remote;

    /**
     * @param maxNodes at most this many nodes are visited per search
     * @param remote where http and https nodes are fetched from, or null to skip them
     */
    public WalkSearcher(Path data, int maxNodes, NodeSource remote) {
        this.data = data.toAbsolutePath().normalize();
        this.root = this.data.resolve("index.html").toUri();
        this.maxNodes = maxNodes;
        this.local = new FileSource();
        this.remote = remote;
    }

    /** A searcher of the local tree only. */
    public static WalkSearcher localOnly(Path data, int maxNodes) {
        return new WalkSearcher(data, maxNodes, url -> {
            throw new IOException("not searched: nodes on other machines need the crawler");
        });
    }

    @Override
    public Result search(Query query, int limit) {
        Walk.Result r = Walk.run(this::fetch, root, query, maxNodes);
        List<Hit> hits = new ArrayList<>();
        for (Walk.Hit h : r.hits().subList(0, Math.min(limit, r.hits().size()))) {
            hits.add(new Hit(h.entry(), h.leaves()));
        }
        List<String> skipped = new ArrayList<>();
        for (Walk.Skip s : r.skipped()) {
            skipped.add(s.url() + ": " + s.reason());
        }
        return new Result(hits, r.hits().size(), r.nodes(), skipped);
    }

    private NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (scheme.equalsIgnoreCase("file")) {
            Path p = Path.of(url).toAbsolutePath().normalize();
            // A hostile child link such as file:///etc/... must not read outside the tree.
            if (!p.startsWith(data) || data.relativize(p).toString().startsWith(".")) {
                throw new IOException("outside this machine's tree folder");
            }
            return local.fetch(url);
        }
        return remote.fetch(url);
    }
}
