package org.distree.crawl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.distree.crawl.internal.Page;
import org.distree.crawl.internal.PageDecoder;
import org.distree.html.NodeFormatException;
import org.distree.model.NodeFile;
import org.distree.query.NodeSource;

/**
 * Fetches one node file over http or https and parses it, blocking until it has it: for callers
 * that want one file at a time (the node daemon checking a submission, {@code distree lint URL}).
 * {@link Searcher} walks many at once on the same machinery.
 *
 * <p>Limits, all from {@link CrawlConfig} ({@link CrawlConfig#defaults() defaults} in brackets):
 * at most {@code maxInFlight} requests at once [16] and {@code maxPerHost} per host [4], over
 * kept-alive connections, HTTP/2 where a TLS server offers it; connect [5 s], idle [10 s] and
 * whole-response [20 s] timeouts; at most {@code maxRedirects} redirects [3]; a body of at most
 * {@code maxResponseBytes} [256 KB], refused as soon as it streams past that; a 2xx status and a
 * Content-Type of {@code text/html} or {@code application/xhtml+xml} (or none); the charset from
 * the header, else the page's {@code <meta charset>}, else UTF-8; robots.txt obeyed and cached
 * per host [on]; private and loopback addresses allowed unless turned off [allowed].
 *
 * <p>Only http and https URLs are fetched: a {@code file:} URL is refused, so outside input
 * cannot read the local disk through this class. Thread-safe; close it to release its
 * connections and threads.
 */
public final class HttpNodeSource implements NodeSource, AutoCloseable {
    private final Fetcher fetcher;
    private final RobotsCache robots;

    /** A source with the {@link CrawlConfig#defaults() defaults}. */
    public HttpNodeSource() {
        this(CrawlConfig.defaults());
    }

    public HttpNodeSource(CrawlConfig config) {
        this.fetcher = new Fetcher(config);
        this.robots = new RobotsCache(fetcher);
    }

    /**
     * Fetches and parses the file at {@code url}; a fragment is ignored (the file is fetched).
     * The returned {@link Fetched#url()} is where the file came from after redirects, which is
     * the URL its relative links resolve against.
     *
     * @throws NodeFetchException when it cannot be had: status, timeout, size, type, robots.txt
     * @throws NodeFormatException when it is not a valid node file
     */
    @Override
    public Fetched fetch(URI url) throws IOException, NodeFormatException {
        URI file = org.distree.model.Links.file(url);
        CompletableFuture<Page> page = robots.fetchIfAllowed(file);
        Page p;
        try {
            p = page.get();
        } catch (InterruptedException e) {
            page.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + file);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof NodeFetchException n
                    ? n
                    : new NodeFetchException(file.toString(), 0, String.valueOf(cause));
        }
        NodeFile nodes = PageDecoder.parse(p);
        return new Fetched(p.finalUrl(), nodes, p.body().length);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
