package org.distree.maintain.transport;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.query.NodeSource;

/**
 * How the maintainer reaches other machines: fetch a node file, submit node URLs. {@link
 * HttpTransport} does it over HTTP; tests may use an in-memory one to simulate many machines.
 * Implementations are thread-safe.
 */
public interface Transport extends AutoCloseable {
    /**
     * Fetches and parses one node file ({@code url} without fragment).
     *
     * @throws IOException when it cannot be had
     * @throws NodeFormatException when it is not a valid node file (or is an entry page: {@link
     *     org.distree.html.RootPointerException})
     */
    NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException;

    /**
     * Fetches one node file unless it is unchanged since {@code known}: a conditional GET with
     * {@code If-None-Match} and {@code If-Modified-Since}. This default fetches the file whole
     * and knows no validators.
     *
     * @throws IOException when it cannot be had
     * @throws NodeFormatException when it is not a valid node file
     */
    default Revalidated fetchIfChanged(URI url, Validators known)
            throws IOException, NodeFormatException {
        return new Revalidated(fetch(url), Validators.NONE);
    }

    /**
     * Submits the URLs of this machine's nodes to the machine at {@code origin} ({@code
     * scheme://host:port}): {@code POST origin/submit} with one form field {@code url} per node.
     * Returns once the machine took them (a 2xx answer).
     *
     * @throws IOException when it refused them or could not be reached
     */
    void submit(URI origin, List<URI> nodes) throws IOException;

    @Override
    void close();
}
