package org.distree.crawl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.distree.html.NodeFormatException;
import org.distree.model.Entry;
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
 * <p>{@link #fetchIfChanged} is the conditional GET ({@code If-None-Match}, {@code
 * If-Modified-Since}; a {@code 304} answer costs no body), under every one of these limits,
 * robots.txt included.
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
        this(new Fetcher(config));
    }

    /**
     * A source that looks host names up with {@code lookup} and connects only to
     * addresses that pass {@code allowed} ({@link Addresses#resolver(Addresses.Lookup,
     * Predicate)}): for tests, which stand a loopback address of theirs for a public one;
     * {@code config}'s {@code allowPrivateAddresses} is then not read.
     */
    public HttpNodeSource(
            CrawlConfig config, Addresses.Lookup lookup, Predicate<InetAddress> allowed) {
        this(new Fetcher(config, Addresses.resolver(lookup, allowed)));
    }

    private HttpNodeSource(Fetcher fetcher) {
        this.fetcher = fetcher;
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
        return parse(await(file, robots.fetchIfAllowed(file)));
    }

    /**
     * Fetches and parses the file at {@code url} unless it is unchanged since {@code known}: a
     * conditional GET with {@code If-None-Match} and {@code If-Modified-Since} from {@code known}
     * (a plain GET when it holds none). A fragment is ignored.
     *
     * @return the file and its new validators, or, on a {@code 304} answer to validators sent, no
     *     file and {@code known}
     * @throws NodeFetchException when it cannot be had: status (a {@code 304} to no validators
     *     included), timeout, size, type, address, robots.txt
     * @throws NodeFormatException when it is not a valid node file
     */
    public Revalidated fetchIfChanged(URI url, Validators known)
            throws IOException, NodeFormatException {
        URI file = org.distree.model.Links.file(url);
        Page p = await(file, robots.fetchIfAllowed(file, known));
        if (p.status() == Page.NOT_MODIFIED) {
            return new Revalidated(null, known);
        }
        return new Revalidated(parse(p), p.validators());
    }

    /**
     * Fetches the page record at {@code url} (format version 2), its link resolved against
     * where it came from after redirects.
     *
     * @throws NodeFetchException when it cannot be had
     * @throws NodeFormatException when it is not a record file
     */
    @Override
    public Entry.Target record(URI url) throws IOException, NodeFormatException {
        URI file = org.distree.model.Links.file(url);
        return PageDecoder.record(await(file, robots.fetchIfAllowed(file)));
    }

    private static Page await(URI file, CompletableFuture<Page> page) throws IOException {
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
        return p;
    }

    private static Fetched parse(Page p) throws NodeFormatException {
        NodeFile nodes = PageDecoder.parse(p);
        return new Fetched(p.finalUrl(), nodes, p.body().length);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
