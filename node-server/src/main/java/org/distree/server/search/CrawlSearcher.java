package org.distree.server.search;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.model.Bound;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;

/**
 * Answers {@code /search} with the crawler's search ({@link org.distree.crawl.Searcher}), from
 * this machine's root: local nodes are read from the data folder, nodes on other machines are
 * fetched over HTTP in parallel, with the crawler's routing around failed children.
 *
 * <pre>
 * /search ─► Query ─► SearchRequest(root = file:DATA/index.html, analyzer none) ─► crawler
 *                                                    └ http(s) children ─► other machines
 * </pre>
 *
 * <p>Keys are looked up as typed (analyzer {@code none}), as the page promises: {@code exact} is
 * one key, {@code prefix} and {@code range} are not lowercased. Budgets per search: {@code
 * maxNodes} node files, 64 MB and {@code timeout}. Which addresses may be fetched (loopback,
 * private, link-local) is the crawler's {@code CrawlConfig} setting.
 */
public final class CrawlSearcher implements Searcher, AutoCloseable {
    private final org.distree.crawl.Searcher crawler;
    private final List<URI> roots;
    private final int maxNodes;
    private final Duration timeout;

    /**
     * @param crawler the crawler; closed by {@link #close}
     * @param data the daemon's tree folder; the walk starts at its {@code index.html}
     * @param maxNodes node files one search fetches at most
     * @param timeout one search's time budget; what was found by then is returned
     */
    public CrawlSearcher(
            org.distree.crawl.Searcher crawler, Path data, int maxNodes, Duration timeout) {
        this.crawler = crawler;
        this.roots =
                List.of(data.toAbsolutePath().normalize().resolve("index.html").toUri());
        this.maxNodes = maxNodes;
        this.timeout = timeout;
    }

    @Override
    public Result search(Query query, int limit) {
        SearchRequest request = switch (query.kind()) {
            case EXACT -> SearchRequest.words(roots, List.of(query.text()));
            case PREFIX -> SearchRequest.prefix(roots, query.text());
            case RANGE ->
                SearchRequest.range(
                        roots, key(query.range().low()), key(query.range().high()));
        };
        SearchResult r = crawler.search(request.withAnalyzer(KeyAnalyzer.NONE)
                .withLimit(limit)
                .withBudgets(maxNodes, SearchRequest.DEFAULT_MAX_BYTES, timeout));
        List<Hit> hits = new ArrayList<>(r.hits().size());
        for (SearchResult.Hit h : r.hits()) {
            hits.add(new Hit(h.entry(), h.leaves(), h.score()));
        }
        List<String> skipped = new ArrayList<>(r.skipped().size());
        for (SearchResult.Skip s : r.skipped()) {
            skipped.add(s.url() + ": " + s.reason());
        }
        List<String> walk = new ArrayList<>(r.visits().size());
        for (SearchResult.Visit v : r.visits()) {
            walk.add(v.describe());
        }
        return new Result(hits, r.total(), r.stats().nodes(), skipped, walk);
    }

    private static String key(@Nullable Bound b) {
        return b == null ? "" : b.key();
    }

    @Override
    public void close() {
        crawler.close();
    }
}
