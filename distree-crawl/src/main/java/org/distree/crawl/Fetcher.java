package org.distree.crawl;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.CircularRedirectException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * One HttpClient 5 async client with the crawler's limits: a pool of at most {@code maxInFlight}
 * connections, {@code maxPerHost} per host, kept alive between requests; HTTP/2 when the server
 * offers it through TLS (ALPN); connect, idle and whole-response timeouts; at most {@code
 * maxRedirects} redirects; bodies capped while they stream ({@link CappedConsumer}); a
 * conditional GET ({@code If-None-Match}, {@code If-Modified-Since}) under the same limits.
 *
 * <pre>
 *   get(url) ──► pool (per host ≤ 4, total ≤ 16) ──► redirects ≤ 3 ──► CappedConsumer ──► Page
 *      └── a timer cancels the exchange at fetchTimeout, whatever the server does
 * </pre>
 *
 * Every failure completes the future with a {@link NodeFetchException} naming the URL.
 */
final class Fetcher implements AutoCloseable {
    private final CrawlConfig config;
    private final DnsResolver resolver;
    private final ScheduledExecutorService timer;
    /** Made on the first fetch: a search of local files never pays for it (about 0.3 s). */
    private @Nullable CloseableHttpAsyncClient client;

    private boolean closed;

    public Fetcher(CrawlConfig config) {
        this(config, Addresses.resolver(config.allowPrivateAddresses()));
    }

    /** A fetcher whose connections go where {@code resolver} says (it also checks addresses). */
    Fetcher(CrawlConfig config, DnsResolver resolver) {
        this.config = config;
        this.resolver = resolver;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "distree-fetch-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The client, made and started on first use. */
    private synchronized CloseableHttpAsyncClient client() {
        if (closed) {
            throw new IllegalStateException("the fetcher is closed");
        }
        CloseableHttpAsyncClient c = client;
        if (c == null) {
            c = newClient(config, resolver);
            c.start();
            client = c;
        }
        return c;
    }

    private static CloseableHttpAsyncClient newClient(CrawlConfig config, DnsResolver resolver) {
        PoolingAsyncClientConnectionManager pool =
                PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(config.maxInFlight())
                        .setMaxConnPerRoute(config.maxPerHost())
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout(config.connectTimeout()))
                                .setSocketTimeout(timeout(config.responseTimeout()))
                                .build())
                        .setDefaultTlsConfig(TlsConfig.custom()
                                .setVersionPolicy(HttpVersionPolicy.NEGOTIATE)
                                .build())
                        .build();
        return HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.min(2, Runtime.getRuntime().availableProcessors()))
                        .setSoTimeout(timeout(config.responseTimeout()))
                        .build())
                .setUserAgent(config.userAgent())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(config.maxRedirects() > 0)
                        .setMaxRedirects(config.maxRedirects())
                        .setCircularRedirectsAllowed(false)
                        .setResponseTimeout(timeout(config.responseTimeout()))
                        // Waiting for a pooled connection counts against the whole-fetch timer.
                        .setConnectionRequestTimeout(timeout(config.fetchTimeout()))
                        .build())
                .setRetryStrategy(new Retries())
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * HttpClient's retries (one more try of a GET that failed on its way, such as a kept-alive
     * connection the other side had closed; a 429 or 503 after its Retry-After, at most the
     * whole-fetch timer), except of an answer this client refused itself (a status other than
     * 200, a body over the cap, not HTML: a {@link NodeFetchException} from the body's
     * consumer), which a second request would only fetch again. Before, a 404 was asked twice.
     */
    private static final class Retries extends DefaultHttpRequestRetryStrategy {
        Retries() {
            super(1, TimeValue.ofSeconds(1));
        }

        @Override
        public boolean retryRequest(
                HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return !(exception instanceof NodeFetchException)
                    && super.retryRequest(request, exception, execCount, context);
        }
    }

    public CrawlConfig config() {
        return config;
    }

    /** Fetches a node page: a 2xx HTML response of at most the configured cap. */
    public CompletableFuture<Page> getHtml(URI url) {
        return getHtml(url, Validators.NONE);
    }

    /**
     * Fetches a node page unless it is unchanged since {@code known}: with validators, a
     * conditional GET, whose {@code 304} answer is a {@link Page} of that status and no body;
     * otherwise as {@link #getHtml(URI)}.
     */
    public CompletableFuture<Page> getHtml(URI url, Validators known) {
        return get(url, config.maxResponseBytes(), true, known);
    }

    /**
     * Fetches {@code url}.
     *
     * @param htmlOnly refuse non-2xx statuses and content types that are not HTML
     */
    public CompletableFuture<Page> get(URI url, int maxBytes, boolean htmlOnly) {
        return get(url, maxBytes, htmlOnly, Validators.NONE);
    }

    private CompletableFuture<Page> get(URI url, int maxBytes, boolean htmlOnly, Validators known) {
        CompletableFuture<Page> result = new CompletableFuture<>();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
            result.completeExceptionally(new NodeFetchException(
                    url.toString(), 0, "not an http or https URL with a host"));
            return result;
        }
        HttpClientContext context = HttpClientContext.create();
        AsyncRequestBuilder request =
                AsyncRequestBuilder.get(url).addHeader("Accept", NodeResponses.ACCEPT);
        if (known.etag() != null) {
            request.addHeader("If-None-Match", known.etag());
        }
        if (known.lastModified() != null) {
            request.addHeader("If-Modified-Since", known.lastModified());
        }
        Future<Page> exchange;
        try {
            exchange = client().execute(
                            request.build(),
                            new CappedConsumer(url, maxBytes, htmlOnly, !known.none()),
                            context,
                            new FutureCallback<>() {
                                @Override
                                public void completed(Page page) {
                                    result.complete(new Page(
                                            url,
                                            NodeResponses.finalUrl(url, context),
                                            page.status(),
                                            page.contentType(),
                                            page.body(),
                                            page.validators()));
                                }

                                @Override
                                public void failed(Exception e) {
                                    result.completeExceptionally(describe(url, e));
                                }

                                @Override
                                public void cancelled() {
                                    result.completeExceptionally(
                                            new NodeFetchException(url.toString(), 0, "cancelled"));
                                }
                            });
        } catch (RuntimeException e) {
            result.completeExceptionally(describe(url, e));
            return result;
        }
        long ms = config.fetchTimeout().toMillis();
        ScheduledFuture<?> timeout = timer.schedule(
                () -> {
                    if (result.completeExceptionally(new NodeFetchException(
                            url.toString(),
                            0,
                            String.format(Locale.ROOT, "no complete response within %,d ms", ms),
                            true))) {
                        exchange.cancel(true);
                    }
                },
                ms,
                TimeUnit.MILLISECONDS);
        // Cancelling the returned future (a search out of time) aborts the exchange too. The
        // callback only cancels: the stage whenComplete returns is not needed.
        var unused = result.whenComplete((p, e) -> {
            timeout.cancel(false);
            if (e instanceof CancellationException) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    /** Turns a client failure into one line a person can read. */
    static NodeFetchException describe(URI url, Throwable e) {
        if (e instanceof NodeFetchException n) {
            return n;
        }
        String u = url.toString();
        if (e instanceof CircularRedirectException) {
            return new NodeFetchException(u, 0, "redirect loop");
        }
        if (e instanceof RedirectException) {
            return new NodeFetchException(u, 0, "too many redirects (" + e.getMessage() + ")");
        }
        if (e instanceof ProtocolException) {
            return new NodeFetchException(u, 0, "protocol error: " + e.getMessage());
        }
        if (e instanceof ConnectException) {
            return new NodeFetchException(u, 0, "cannot connect: " + e.getMessage(), true);
        }
        if (e instanceof SocketTimeoutException) {
            return new NodeFetchException(u, 0, "timed out: " + e.getMessage(), true);
        }
        if (e instanceof UnknownHostException) {
            return new NodeFetchException(u, 0, "unknown host: " + e.getMessage(), true);
        }
        if (e instanceof SSLException) {
            return new NodeFetchException(u, 0, "TLS failed: " + e.getMessage());
        }
        if (e instanceof IOException) {
            return new NodeFetchException(u, 0, "connection failed: " + e);
        }
        return new NodeFetchException(u, 0, "failed: " + e);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        CloseableHttpAsyncClient c;
        synchronized (this) {
            closed = true;
            c = client;
        }
        if (c != null) {
            c.close(CloseMode.IMMEDIATE);
        }
    }

    private static Timeout timeout(java.time.Duration d) {
        return Timeout.ofMilliseconds(d.toMillis());
    }
}
