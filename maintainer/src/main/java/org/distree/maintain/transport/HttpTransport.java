package org.distree.maintain.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.util.Timeout;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.HttpNodeSource;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.model.Links;
import org.distree.query.NodeSource;

/**
 * The maintainer's HTTP transport. Fetches go through the crawler's {@link HttpNodeSource} (its
 * size, time and redirect caps, and its address policy: loopback, private and link-local
 * addresses are refused unless {@code allow-private} is set). Submissions are posted only to
 * machines that have served a valid node file through that fetcher in this process, so outside
 * input cannot aim a POST at an address the fetcher would refuse. The link check's conditional
 * fetches ({@link #fetchIfChanged}) go through the same fetcher ({@link
 * HttpNodeSource#fetchIfChanged}), with the same limits and robots.txt.
 */
public final class HttpTransport implements Transport {
    private final HttpNodeSource source;
    private final CloseableHttpClient poster;
    private final Set<String> vetted = ConcurrentHashMap.newKeySet();

    /**
     * A transport for the maintainer settings {@code fetch-timeout-ms} and {@code allow-private}.
     *
     * @param fetchTimeout the time allowed for one fetch or submission (connecting: at most 5 s,
     *     for a submission too)
     * @param allowPrivate fetch from and submit to loopback, private and link-local addresses
     */
    public HttpTransport(Duration fetchTimeout, boolean allowPrivate) {
        long ms = fetchTimeout.toMillis();
        CrawlConfig crawl = CrawlConfig.defaults()
                .withPrivateAddresses(allowPrivate)
                .withTimeouts(
                        Duration.ofMillis(Math.min(ms, 5_000)),
                        Duration.ofMillis(ms),
                        Duration.ofMillis(ms));
        this.source = new HttpNodeSource(crawl);
        Timeout t = Timeout.of(ms, TimeUnit.MILLISECONDS);
        // The connect timeout too: HttpClient's default is 3 minutes, and a submission to a
        // machine cut off (its SYNs lost) held one of the maintainer's two job threads that long,
        // so sync hardly ran during a partition (issue 16, docs/RELIABILITY.md).
        ConnectionConfig connect = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(Math.min(ms, 5_000), TimeUnit.MILLISECONDS))
                .setSocketTimeout(t)
                .build();
        this.poster = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connect)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(t)
                        .setResponseTimeout(t)
                        .setRedirectsEnabled(false)
                        .build())
                .setUserAgent(CrawlConfig.DEFAULT_USER_AGENT)
                .disableAutomaticRetries()
                .build();
    }

    @Override
    public NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
        NodeSource.Fetched f = source.fetch(url);
        vetted.add(Links.origin(f.url()));
        return f;
    }

    /** A conditional GET through the crawler's fetcher ({@link HttpNodeSource#fetchIfChanged}). */
    @Override
    public Revalidated fetchIfChanged(URI url, Validators known)
            throws IOException, NodeFormatException {
        Revalidated r = source.fetchIfChanged(url, known);
        NodeSource.Fetched f = r.fetched();
        vetted.add(Links.origin(f == null ? url : f.url()));
        return r;
    }

    @Override
    public void submit(URI origin, List<URI> nodes) throws IOException {
        String o = Links.origin(origin);
        if (!vetted.contains(o)) {
            throw new NodeFetchException(
                    o,
                    0,
                    "no node was fetched from this machine yet, so it" + " is not submitted to");
        }
        HttpPost post = new HttpPost(URI.create(o + "/submit"));
        List<NameValuePair> form = new ArrayList<>();
        for (URI u : nodes) {
            form.add(new BasicNameValuePair("url", u.toString()));
        }
        post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        int status = poster.execute(post, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
        if (status / 100 != 2) {
            throw new NodeFetchException(o + "/submit", status, "submission refused");
        }
    }

    @Override
    public void close() {
        source.close();
        try {
            poster.close();
        } catch (IOException e) {
            // Closing idle connections; nothing is lost.
        }
    }
}
