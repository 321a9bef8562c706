package org.distree.query;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.Links;

/**
 * Reads node files (and page records) from the local disk ({@code file:} URLs only), refusing a file larger than
 * {@link NodeReader#DEFAULT_MAX_BYTES} unread.
 */
public final class FileSource implements NodeSource {
    @Override
    public Fetched fetch(URI url) throws IOException, NodeFormatException {
        if (!"file".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("not a local file: " + url + " (this search reads files only)");
        }
        Path p = Path.of(url);
        byte[] bytes = NodeReader.readBytes(p, p.toString(), NodeReader.DEFAULT_MAX_BYTES);
        return new Fetched(url, NodeReader.read(bytes, p.toString()), bytes.length);
    }

    @Override
    public Entry.Target record(URI url) throws IOException, NodeFormatException {
        if (!"file".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("not a local file: " + url + " (this search reads files only)");
        }
        URI file = Links.file(url);
        Path p = Path.of(file);
        byte[] bytes = NodeReader.readBytes(p, p.toString(), NodeReader.DEFAULT_MAX_BYTES);
        return RecordFile.resolved(RecordFile.read(bytes, p.toString()), file);
    }
}
