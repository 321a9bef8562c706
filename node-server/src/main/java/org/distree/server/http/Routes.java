package org.distree.server.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distree.server.metrics.Metrics;
import org.distree.server.search.Searcher;
import org.distree.server.submit.Submissions;
import org.distree.server.write.EntryWriter;
import org.distree.server.write.Token;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * The daemon's handlers, in the order a request meets them:
 *
 * <pre>
 * security headers ─► rate limit per client (429) ─┬► /index.html, /n/HEX.html: {@link NodeFiles}
 *                                                  │    (ETag, 304, HEAD, ranges, gzip; cached)
 *                                                  └► body size limit (413) ─► gzip ─► pages
 *   /                       landing page (also an entry page)     {@link Landing}
 *   /.well-known/distree    302 to the root node                   {@link Landing}
 *   /search                 HTML or JSON                           {@link Search}
 *   /cdx                    the CDX server API (capture indexes)    {@link Cdx}
 *   /submit, /submit/ID     202 + receipt; receipt status          {@link Submit}
 *   /entries                bearer token; 200 once durable         {@link Entries}
 *   /healthz                200 while the root can be read           {@link Health}
 *   /metrics                Prometheus text                        {@link MetricsPage}
 *   /style.css              the pages' stylesheet                  {@link StyleSheet}
 *   anything else           404                                    {@link NotFound}
 * </pre>
 *
 * {@link SecurityHeaders} adds its headers to every response, {@link RateLimit} answers with
 * {@link TooManyRequests}, and {@link OnPool} reads a request's body without a thread, then runs
 * the pages, which may block, on the pool.
 *
 * Node files skip the size limit (they take no body) and Jetty's gzip handler: {@link
 * NodeFiles} sends each file gzipped once per version rather than once per request.
 */
public final class Routes {
    /** What the handlers need to know of the settings. */
    public record Settings(
            Path data,
            URI baseUrl,
            int cacheMaxAge,
            int rateLimit,
            int rateBurst,
            long fileCacheBytes,
            int maxBodyBytes,
            int maxEntries,
            int maxSubmitUrls,
            int searchLimit,
            Duration bodyTimeout) {}

    private Routes() {}

    /** The most client addresses the rate limit tracks at once. */
    static final int MAX_CLIENTS = 100_000;

    /** The handler chain. */
    public static Handler handler(
            Settings s,
            TreeView tree,
            Searcher searcher,
            Submissions submissions,
            EntryWriter writer,
            Token token,
            Metrics metrics) {
        // Node files first (NodeFiles takes only the names on its allow-list), else the pages.
        // Neither blocks a selector thread, so the whole chain is non-blocking (a fixed
        // sequence; Jetty counts a PathMappingsHandler as blocking, since it may change).
        Handler routes = new Handler.Sequence(
                false,
                List.of(
                        new NodeFiles(s.data(), s.cacheMaxAge(), s.fileCacheBytes()),
                        new OnPool(
                                pages(s, tree, searcher, submissions, writer, token, metrics),
                                s.maxBodyBytes(),
                                s.bodyTimeout())));
        Handler limited = routes;
        if (s.rateLimit() > 0) {
            limited = new RateLimit(
                    routes,
                    s.rateLimit(),
                    s.rateBurst(),
                    MAX_CLIENTS,
                    new TooManyRequests(metrics),
                    System::nanoTime);
        }
        return new SecurityHeaders(limited);
    }

    /** Everything but the node files: pages, forms and the API, with a body limit and gzip. */
    private static Handler pages(
            Settings s,
            TreeView tree,
            Searcher searcher,
            Submissions submissions,
            EntryWriter writer,
            Token token,
            Metrics metrics) {
        PathMappingsHandler routes = new PathMappingsHandler.NoContext();
        Landing landing = new Landing(tree, s.baseUrl());
        routes.addMapping(PathSpec.from(""), landing);
        routes.addMapping(PathSpec.from("/.well-known/distree"), landing);
        routes.addMapping(PathSpec.from("/search"), new Search(searcher, s.searchLimit()));
        routes.addMapping(PathSpec.from("/cdx"), new Cdx(searcher, s.searchLimit()));
        Submit submit = new Submit(submissions, s.baseUrl(), s.maxSubmitUrls());
        routes.addMapping(PathSpec.from("/submit"), submit);
        routes.addMapping(PathSpec.from("/submit/*"), submit);
        routes.addMapping(
                PathSpec.from("/entries"),
                new Entries(token, writer, s.maxEntries(), s.maxBodyBytes(), metrics));
        routes.addMapping(PathSpec.from("/healthz"), new Health(tree));
        routes.addMapping(PathSpec.from("/metrics"), new MetricsPage(metrics));
        routes.addMapping(PathSpec.from("/style.css"), new StyleSheet());
        routes.addMapping(PathSpec.from("/"), new NotFound());

        CompressionHandler gzip = new CompressionHandler(routes);
        gzip.putCompression(new GzipCompression());
        // Responses are gzipped for clients that accept it; request bodies are never
        // decompressed (a small compressed body could expand past every limit).
        gzip.putConfiguration(
                "/",
                CompressionConfig.builder()
                        .defaults()
                        .decompressExcludePath("/*")
                        .build());
        SizeLimitHandler size = new SizeLimitHandler(s.maxBodyBytes(), -1);
        size.setHandler(gzip);
        return size;
    }
}
