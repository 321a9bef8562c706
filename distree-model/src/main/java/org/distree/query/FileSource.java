package org.distree.query;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.model.NodeFile;

/**
 * Reads node files from the local disk ({@code file:} URLs only), refusing a file larger than
 * {@link NodeReader#DEFAULT_MAX_BYTES} unread.
 */
public final class FileSource implements NodeSource {
    @Override
    public Fetched fetch(URI url) throws IOException, NodeFormatException {
        if (!"file".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("not a local file: " + url + " (this search reads files only)");
        }
        Path p = Path.of(url);
        long size = Files.size(p);
        if (size > NodeReader.DEFAULT_MAX_BYTES) {
            throw new NodeFormatException(
                    p.toString(),
                    null,
                    "file",
                    String.format(
                            Locale.ROOT,
                            "%,d bytes, over the %,d byte read limit",
                            size,
                            NodeReader.DEFAULT_MAX_BYTES));
        }
        byte[] bytes = Files.readAllBytes(p);
        NodeFile file = NodeReader.read(bytes, p.toString());
        return new Fetched(url, file, bytes.length);
    }
}
