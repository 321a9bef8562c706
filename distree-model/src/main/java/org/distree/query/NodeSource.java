package org.distree.query;

import java.io.IOException;
import java.net.URI;
import org.distree.html.NodeFormatException;
import org.distree.model.NodeFile;

/** Where a walk gets node files: the local disk, or the web through a crawler. */
public interface NodeSource {
    /** A fetched file and the number of bytes it took. */
    record Fetched(URI url, NodeFile file, int bytes) {}

    /**
     * Fetches and parses the file at {@code url} (without fragment).
     *
     * @throws IOException when it cannot be had
     * @throws NodeFormatException when it is not a valid node file
     */
    Fetched fetch(URI url) throws IOException, NodeFormatException;
}
