package org.distree.crawl;

import java.net.InetAddress;
import java.util.function.Predicate;
import org.apache.hc.client5.http.DnsResolver;
import org.distree.analysis.KeyAnalyzer;
import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * Searches distrees across machines, the way a crawler would: from each root, fetch a node, keep
 * the children whose range meets the query, fetch those, and collect matching entries from the
 * leaves.
 *
 * <pre>{@code
 * try (Searcher searcher = new Searcher()) {
 *     SearchResult r = searcher.search(SearchRequest.words(
 *             List.of(URI.create("https://example.org/tree/")), List.of("apple")));
 *     r.hits().forEach(h -> System.out.println(h.entry().link()));
 * }
 * }</pre>
 *
 * <p>The walk: heights must strictly fall along it (a child that does not is ignored and
 * reported, which is what stops loops); each file is fetched once per search; at each node the
 * query's part of its range is covered by the preferred children only, so a healthy lookup
 * fetches just the path from root to leaf; a child that fails (or is missing, or does not hold
 * what its parent said) is routed around through the parent's overlapping alternates, and if the
 * parent has none, through the grandparent's. A child whose item is marked {@code data-partial}
 * (it vouches only for the entries it lists) is taken only where no complete one holds the
 * point; a leaf marked partial gives its entries and is routed around in the same way, and a
 * part only partial leaves hold is reported in {@link SearchResult#skipped()}. Budgets (from the request): node files [1,000],
 * bytes [64 MB] and time [30 s]. Fetch limits come from {@link CrawlConfig}. Local {@code file:}
 * roots are read from disk; a remote node may not link a local file.
 *
 * <p>Several words are each analyzed into keys (by the analyzer the first root declares, see
 * {@link KeyAnalyzer}), looked up, and the results merged by link: ranked by how many keys found
 * the link, then by how many distinct leaves list it. A search never throws for what it meets on
 * the way: what it could not use is in {@link SearchResult#skipped()}.
 *
 * <p>The same search runs over another network than the web: {@link #over} takes any {@link
 * NodeSource} (a simulator's network of many machines in memory, say) and fetches every node
 * file from it, with the same walk, budgets and per-host limits.
 *
 * <p>Thread-safe: searches may run at once and share the connection pool and the robots.txt
 * cache. Both are made on the first fetch over HTTP: a search of local files loads no HTTP
 * client classes and starts no thread (issue 15). Close it to release connections and threads.
 */
public final class Searcher implements AutoCloseable {
    private final CrawlConfig config;
    private final @Nullable NodeSource network;
    /** Where connections go (and which addresses may be reached); null: from the config. */
    private final @Nullable DnsResolver resolver;

    /** The web's fetcher and robots.txt cache, made on first use; null over another network. */
    private @Nullable Fetcher fetcher;

    private @Nullable RobotsCache robots;
    private boolean closed;

    /** A searcher with the {@link CrawlConfig#defaults() default} fetch limits. */
    public Searcher() {
        this(CrawlConfig.defaults());
    }

    /** A searcher over the web (and local files) with these fetch limits. */
    public Searcher(CrawlConfig config) {
        this.config = config;
        this.network = null;
        this.resolver = null;
    }

    /**
     * A searcher over the web that looks host names up with {@code lookup} and connects only to
     * addresses that pass {@code allowed} ({@link Addresses#resolver(Addresses.Lookup,
     * Predicate)}): for tests, which stand a loopback address of theirs for a public one;
     * {@code config}'s {@code allowPrivateAddresses} is then not read.
     */
    public Searcher(CrawlConfig config, Addresses.Lookup lookup, Predicate<InetAddress> allowed) {
        this.config = config;
        this.network = null;
        this.resolver = Addresses.resolver(lookup, allowed);
    }

    private Searcher(CrawlConfig config, NodeSource network) {
        this.config = config;
        this.network = network;
        this.resolver = null;
    }

    /**
     * A searcher over another network: every node file whose URL is not a {@code file:} URL is
     * fetched by {@code network.fetch}, called on the searching thread, so the source should
     * answer at once (an in-memory network; a cache). An {@link java.io.IOException} from it is
     * a failed fetch, routed around as any other; a {@link
     * org.distree.html.RootPointerException} is an entry page pointing at its root. From {@code
     * config} only the in-flight and per-host limits apply; robots.txt is not read, and the
     * searcher opens no connection.
     */
    public static Searcher over(NodeSource network, CrawlConfig config) {
        return new Searcher(config, network);
    }

    /**
     * Runs a search to its end or to its budgets. If the calling thread is interrupted, the
     * search stops, returns what it has, and the thread stays interrupted.
     *
     * @throws IllegalArgumentException when the request names an unknown analyzer, or a range
     *     whose low is not below its high once analyzed
     */
    public SearchResult search(SearchRequest request) {
        if (request.analyzer() != null) {
            KeyAnalyzer.forName(request.analyzer());
        }
        return new Crawl(
                        network == null ? this::web : null,
                        network,
                        config.maxInFlight(),
                        config.maxPerHost(),
                        request)
                .run();
    }

    /** The robots.txt cache over the one fetcher, both made now if not yet. */
    private synchronized RobotsCache web() {
        RobotsCache r = robots;
        if (r == null) {
            DnsResolver dns = resolver;
            Fetcher f = dns == null ? new Fetcher(config) : new Fetcher(config, dns);
            if (closed) {
                f.close(); // a closed searcher's fetches fail, as they always did
            }
            fetcher = f;
            r = new RobotsCache(f);
            robots = r;
        }
        return r;
    }

    @Override
    public void close() {
        Fetcher f;
        synchronized (this) {
            closed = true;
            f = fetcher;
        }
        if (f != null) {
            f.close();
        }
    }
}
