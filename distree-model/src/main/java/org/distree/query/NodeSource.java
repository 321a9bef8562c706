package org.distree.query;

import java.io.IOException;
import java.net.URI;
import org.distree.html.NodeFormatException;
import org.distree.model.Entry;
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

    /**
     * Fetches and reads the page record at {@code url} (docs/FORMAT.md, version 2): what the
     * record entries that link it lead to, its link resolved against where the record came
     * from. A source that cannot fetch records says so with an {@link IOException} (the
     * default).
     *
     * @throws IOException when it cannot be had
     * @throws NodeFormatException when it is not a record file
     */
    default Entry.Target record(URI url) throws IOException, NodeFormatException {
        throw new IOException("page records are not read from this source: " + url);
    }
}
