package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Node;
import org.jspecify.annotations.Nullable;

/**
 * A machine's root other than the given ones, read once a search: asked for the parts the given
 * roots could not cover, or for what a node of its machine no longer covers ({@link Crawl}).
 * What waits for it runs once it is read, or could not be. Not thread-safe: the walk's thread
 * alone uses it.
 */
final class OtherRoot {
    private boolean done;

    private @Nullable URI url;

    private @Nullable Node node;

    private final List<Runnable> waiting = new ArrayList<>();

    /** Runs {@code then} once the root is read, or could not be: now if it is done. */
    void whenRead(Runnable then) {
        if (done) {
            then.run();
        } else {
            waiting.add(then);
        }
    }

    /** The read ended: the root's URL and node, the node null when it could not be read. */
    void read(URI rootUrl, @Nullable Node rootNode) {
        url = rootUrl;
        node = rootNode;
        done = true;
        List<Runnable> now = new ArrayList<>(waiting);
        waiting.clear();
        now.forEach(Runnable::run);
    }

    /** The root node's URL once read, or null when it is not read or could not be. */
    @Nullable
    URI usableUrl() {
        return node == null ? null : url;
    }
}
