package org.distree.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * What the pages show of the local tree: the root's file name and node, read from disk through
 * the entry page and cached until the next write.
 */
public final class TreeView {
    /** The root: its file name relative to the tree folder (such as {@code n/1.html}). */
    public record Root(String name, Node node) {}

    private final Path data;
    private final LongSupplier writes;
    private @Nullable Root cached;
    private long cachedAt = -1;

    /**
     * @param writes a count that changes whenever the tree is written
     */
    public TreeView(Path data, LongSupplier writes) {
        this.data = data;
        this.writes = writes;
    }

    /** The current root. */
    public synchronized Root root() throws IOException {
        long w = writes.getAsLong();
        if (cached == null || w != cachedAt) {
            cached = read();
            cachedAt = w;
        }
        return cached;
    }

    private Root read() throws IOException {
        String page = Files.readString(data.resolve(NodeStore.INDEX), StandardCharsets.UTF_8);
        String href = IndexPage.rootHref(page);
        if (href == null || !Links.isRelative(href)) {
            throw new IOException("index.html does not link a local root");
        }
        String name = data.toUri()
                .relativize(Links.resolve(data.resolve(NodeStore.INDEX).toUri(), href))
                .toString();
        try {
            Node node = NodeReader.read(data.resolve(name), name, NodeReader.DEFAULT_MAX_BYTES)
                    .node();
            return new Root(name, node);
        } catch (NodeFormatException e) {
            throw new IOException("the root is malformed: " + e.getMessage(), e);
        }
    }
}
