package org.distree.maintain.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.distree.crawl.Addresses;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.NodeResponses;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * Conditional GET of node files for the link check: {@code If-None-Match} and {@code
 * If-Modified-Since} from what the server sent last time, so that an unchanged file costs a
 * {@code 304} and no body. The crawler's fetcher cannot send these headers yet, so this one keeps
 * its limits itself, the same values ({@link CrawlConfig#defaults()}): at most 3 redirects, a body
 * of at most 256 KB (refused as soon as it streams past that), a {@code 2xx} or {@code 304}
 * status, an HTML Content-Type (or none), the whole exchange within {@code fetch-timeout-ms}, and
 * no loopback, private or link-local address (checked for every address a name resolves to,
 * redirects included) unless {@code allow-private}. Node files are UTF-8 (docs/FORMAT.md).
 * robots.txt is not read here: it is read when a node is first fetched through the crawler's
 * fetcher. Thread-safe.
 */
final class ConditionalFetcher implements AutoCloseable {
    private static final CrawlConfig LIMITS = CrawlConfig.defaults();

    private final CloseableHttpClient client;
    private final Duration timeout;

    /**
     * @param timeout the whole exchange, from connecting to the last byte
     * @param allowPrivate fetch from loopback, private and link-local addresses
     */
    public ConditionalFetcher(Duration timeout, boolean allowPrivate) {
        this.timeout = timeout;
        Timeout t = Timeout.ofMilliseconds(timeout.toMillis());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(Addresses.resolver(allowPrivate))
                        .setMaxConnPerRoute(2)
                        .setMaxConnTotal(16)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(
                                        Timeout.ofMilliseconds(Math.min(timeout.toMillis(), 5_000)))
                                .setSocketTimeout(t)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(t)
                        .setResponseTimeout(t)
                        .setRedirectsEnabled(true)
                        .setMaxRedirects(LIMITS.maxRedirects())
                        .setCircularRedirectsAllowed(false)
                        .build())
                .setUserAgent(LIMITS.userAgent())
                .disableCookieManagement()
                .disableAutomaticRetries()
                .build();
    }

    /**
     * Fetches {@code url} (without fragment) unless it is unchanged since {@code known}.
     *
     * @throws NodeFetchException when it cannot be had: status, timeout, size, type, address
     * @throws NodeFormatException when it is not a valid node file
     */
    public Transport.Revalidated fetch(URI url, Transport.Validators known)
            throws IOException, NodeFormatException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new NodeFetchException(
                    url.toString(), 0, "not an http or https URL with a" + " host");
        }
        HttpGet get = new HttpGet(url);
        get.addHeader("Accept", NodeResponses.ACCEPT);
        if (known.etag() != null) {
            get.addHeader("If-None-Match", known.etag());
        }
        if (known.lastModified() != null) {
            get.addHeader("If-Modified-Since", known.lastModified());
        }
        HttpClientContext context = HttpClientContext.create();
        AtomicBoolean timedOut = new AtomicBoolean();
        // The socket timeout bounds each read; this bounds the whole exchange.
        CompletableFuture<Void> timer = CompletableFuture.runAsync(
                () -> {
                    timedOut.set(true);
                    get.cancel();
                },
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            return client.execute(get, context, response -> {
                try {
                    return read(url, NodeResponses.finalUrl(url, context), response, known);
                } catch (IOException | RuntimeException e) {
                    // Drop the connection: closing a refused body would read it to its end
                    // (for reuse), and a hostile server can make that endless.
                    get.cancel();
                    throw e;
                }
            });
        } catch (NodeFormatWrapper e) {
            throw e.unwrap();
        } catch (NodeFetchException e) {
            throw e;
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new NodeFetchException(
                        url.toString(),
                        0,
                        String.format(
                                Locale.ROOT,
                                "no complete response within %,d ms",
                                timeout.toMillis()));
            }
            throw new NodeFetchException(url.toString(), 0, "connection failed: " + e);
        } finally {
            timer.cancel(false);
        }
    }

    private static Transport.Revalidated read(
            URI url, URI finalUrl, ClassicHttpResponse r, Transport.Validators known)
            throws IOException {
        int status = r.getCode();
        if (status == 304 && !known.none()) {
            return new Transport.Revalidated(null, known);
        }
        if (status < 200 || status > 299) {
            throw new NodeFetchException(url.toString(), status, "HTTP " + status);
        }
        String type = header(r, "Content-Type");
        if (type != null && !NodeResponses.isHtml(type)) {
            throw new NodeFetchException(
                    url.toString(),
                    status,
                    "content type '" + org.distree.model.Keys.abbreviate(type, 60)
                            + "' is not HTML");
        }
        byte[] body = capped(url, r.getEntity());
        try {
            NodeSource.Fetched f = new NodeSource.Fetched(
                    finalUrl, NodeReader.read(body, finalUrl.toString()), body.length);
            return new Transport.Revalidated(
                    f, new Transport.Validators(header(r, "ETag"), header(r, "Last-Modified")));
        } catch (NodeFormatException e) {
            throw new NodeFormatWrapper(e);
        }
    }

    private static byte[] capped(URI url, @Nullable HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        int max = LIMITS.maxResponseBytes();
        if (entity.getContentLength() > max) {
            throw new NodeFetchException(
                    url.toString(),
                    200,
                    String.format(
                            Locale.ROOT,
                            "declares %,d bytes, over the %,d byte limit",
                            entity.getContentLength(),
                            max));
        }
        InputStream in = entity.getContent();
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            // Not closed here: closing would read the rest; the caller cancels the exchange.
            throw new NodeFetchException(
                    url.toString(),
                    200,
                    String.format(Locale.ROOT, "body is over the %,d byte limit", max));
        }
        in.close(); // at its end already: nothing left to read
        return bytes;
    }

    private static @Nullable String header(ClassicHttpResponse r, String name) {
        Header h = r.getFirstHeader(name);
        if (h == null
                || h.getValue() == null
                || h.getValue().isBlank()
                || h.getValue().length() > 256) {
            return null;
        }
        return h.getValue().strip();
    }

    /** Carries a parse failure out of the response handler, which may throw only IOException. */
    private static final class NodeFormatWrapper extends IOException {
        NodeFormatWrapper(NodeFormatException e) {
            super(e);
        }

        NodeFormatException unwrap() {
            return (NodeFormatException) getCause();
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing idle connections; nothing is lost.
        }
    }
}
