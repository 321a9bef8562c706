package org.distree.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.HttpNodeSource;
import org.distree.maintain.MaintainerConfig;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.query.NodeSource;
import org.distree.server.http.PlainErrors;
import org.distree.server.http.Routes;
import org.distree.server.http.TreeView;
import org.distree.server.metrics.Metrics;
import org.distree.server.search.CrawlSearcher;
import org.distree.server.search.Searcher;
import org.distree.server.submit.Submissions;
import org.distree.server.submit.UrlPolicy;
import org.distree.server.write.EntryWriter;
import org.distree.server.write.Token;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node daemon: an embedded Jetty 12 server over one tree folder.
 *
 * <pre>
 * Jetty ─► GracefulHandler ─► StatisticsHandler ─► {@link Routes} (files, pages, submit, entries)
 *                                                     │ POST /entries ─► {@link EntryWriter} ─► LocalTree
 *                                                     │ POST /submit  ─► {@link Submissions} ─► queue files
 *                                                     └ /search       ─► {@link Searcher}
 * {@link HostedMaintenance} (Quartz: sync, submit, link-check, rules) ─► the same LocalTree;
 *     sync takes the queue files in as neighbors
 * </pre>
 *
 * Threads: one selector per core parses requests and answers node files itself, from memory,
 * without handing them to another thread (no handler before them blocks); the pages, forms and
 * API run on the request thread pool ({@code threads}), as do node files that must be read from
 * disk.
 *
 * <p>The daemon owns the tree while it runs: it holds the store's writer lock, so {@code distree
 * add} on the same folder fails until it stops. {@link #close} stops gracefully: new requests
 * get 503, requests in flight (and the writes they wait for) finish within the shutdown timeout,
 * the maintenance jobs stop (runs in progress finish), queued writes are written, then the tree
 * is closed.
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

    private final ServerConfig config;
    private final Server server;
    private final ServerConnector connector;
    private final EntryWriter writer;
    private final Submissions submissions;
    private final Metrics metrics;
    private @Nullable HostedMaintenance maintenance;
    private boolean closed;

    private NodeServer(
            ServerConfig config,
            Server server,
            ServerConnector connector,
            EntryWriter writer,
            Submissions submissions,
            Metrics metrics) {
        this.config = config;
        this.server = server;
        this.connector = connector;
        this.writer = writer;
        this.submissions = submissions;
        this.metrics = metrics;
    }

    /**
     * Starts a daemon. Submitted nodes are fetched with {@code remote}; {@code /search} answers
     * with {@code searcher} (in {@code distree serve}, a {@link
     * org.distree.server.search.CrawlSearcher} from this machine's root). The caller closes
     * both after the daemon. Unless {@code maintain} is false, the maintenance jobs run on the
     * daemon's tree once it listens (settings: {@link HostedMaintenance#config}).
     *
     * @throws IOException when the tree cannot be opened (such as another writer holding it) or
     *     the port cannot be bound
     * @throws IllegalArgumentException when a maintainer setting is unknown or invalid
     */
    public static NodeServer start(ServerConfig config, NodeSource remote, Searcher searcher)
            throws IOException {
        Path data = config.data();
        Files.createDirectories(data);
        MaintainerConfig maintainer = config.maintain() ? HostedMaintenance.config(config) : null;
        Metrics metrics = new Metrics();
        Token token = config.token() != null
                ? Token.of(config.token())
                : Token.loadOrCreate(config.tokenFile());
        LocalTree tree = LocalTree.open(data);
        EntryWriter writer = null;
        Submissions submissions = null;
        try {
            writer = new EntryWriter(tree, config.writeBatch(), config.applyBacklog(), metrics);
            SubmissionQueue queue = new SubmissionQueue(data, config.maxQueued());
            submissions = new Submissions(
                    new UrlPolicy(config.allowPrivate()),
                    remote,
                    queue,
                    config.maxSubmitUrls(),
                    config.maxPendingSubmissions(),
                    config.submitWorkers(),
                    metrics,
                    Clock.systemUTC());
            EntryWriter w = writer;
            // Every commit of the store, the daemon's writes and the maintainer's alike.
            TreeView view = new TreeView(data, tree.store()::commits);
            Searcher s = searcher;
            treeGauges(metrics, view, data, w);

            QueuedThreadPool threads = new QueuedThreadPool(config.threads(), 8);
            threads.setName("distree-http");
            Server server = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setRequestHeaderSize(config.maxHeaderBytes());
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            if (config.trustForwarded()) {
                http.addCustomizer(new ForwardedRequestCustomizer());
            }
            // Node files are answered on the selector threads (the handlers never block), so
            // one selector per core, as nginx runs one worker per core.
            ServerConnector connector = new ServerConnector(
                    server,
                    1,
                    Runtime.getRuntime().availableProcessors(),
                    new HttpConnectionFactory(http));
            connector.setHost(config.bind());
            connector.setPort(config.port());
            connector.setIdleTimeout(config.idleTimeout().toMillis());
            if (config.maxClientConnections() > 0) {
                ClientConnections perClient = new ClientConnections(config.maxClientConnections());
                connector.addBean(perClient);
                metrics.counterFrom(
                        "distree_http_connections_refused_total",
                        "Connections closed at their opening: the client already held"
                                + " max-client-connections.",
                        "",
                        perClient::refused);
            }
            server.addConnector(connector);

            server.setErrorHandler(new PlainErrors());

            Routes.Settings settings = new Routes.Settings(
                    data,
                    config.baseUrl(),
                    config.cacheMaxAge(),
                    config.rateLimit(),
                    config.rateBurst(),
                    config.fileCacheBytes(),
                    config.maxBodyBytes(),
                    config.maxEntries(),
                    config.maxSubmitUrls(),
                    config.searchLimit(),
                    config.bodyTimeout());
            StatisticsHandler stats = new StatisticsHandler(
                    Routes.handler(settings, view, s, submissions, w, token, metrics));
            httpGauges(metrics, stats);
            server.setHandler(new GracefulHandler(stats));
            server.setStopTimeout(config.shutdownTimeout().toMillis());
            server.setStopAtShutdown(false);
            NodeServer node = new NodeServer(config, server, connector, w, submissions, metrics);
            try {
                server.start();
            } catch (Exception e) {
                try {
                    server.stop();
                } catch (Exception ignored) {
                    // Already failing; the cause below is what matters.
                }
                throw new IOException(
                        "cannot listen on " + config.bind() + ":" + config.port() + ": "
                                + e.getMessage(),
                        e);
            }
            if (maintainer != null) {
                try {
                    node.maintenance = HostedMaintenance.start(maintainer, tree, metrics);
                } catch (RuntimeException e) {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // Already failing; the cause below is what matters.
                    }
                    throw e;
                }
                LOG.info(
                        "maintenance: peers {}, sync every {} ms",
                        maintainer.peers(),
                        maintainer
                                .interval(MaintainerConfig.Key.SYNC_INTERVAL_MS)
                                .toMillis());
            }
            LOG.info("serving {} at {} (public URL {})", data, node.url(), config.baseUrl());
            return node;
        } catch (IOException | RuntimeException e) {
            if (submissions != null) {
                submissions.close(0);
            }
            if (writer != null) {
                writer.close();
            } else {
                tree.close();
            }
            throw e;
        }
    }

    private static void treeGauges(Metrics metrics, TreeView view, Path data, EntryWriter w) {
        metrics.gauge(
                "distree_entries", "Entries in this machine's tree (the root's size).", () -> {
                    try {
                        return view.root().node().size();
                    } catch (IOException e) {
                        return Double.NaN;
                    }
                });
        long[] nodes = {-1, 0};
        metrics.gauge("distree_nodes", "Node files in this machine's tree.", () -> {
            synchronized (nodes) {
                if (nodes[0] != w.transactions()) {
                    nodes[0] = w.transactions();
                    nodes[1] = countNodes(data.resolve(NodeStore.NODE_DIR));
                }
                return nodes[1];
            }
        });
    }

    private static long countNodes(Path dir) {
        long n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.html")) {
            for (Path ignored : files) {
                n++;
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    private static void httpGauges(Metrics metrics, StatisticsHandler stats) {
        String requests = "distree_http_requests_total";
        String help = "HTTP responses sent, by status class.";
        metrics.counterFrom(requests, help, "code=\"1xx\"", stats::getResponses1xx);
        metrics.counterFrom(requests, help, "code=\"2xx\"", stats::getResponses2xx);
        metrics.counterFrom(requests, help, "code=\"3xx\"", stats::getResponses3xx);
        metrics.counterFrom(requests, help, "code=\"4xx\"", stats::getResponses4xx);
        metrics.counterFrom(requests, help, "code=\"5xx\"", stats::getResponses5xx);
        metrics.counterFrom(
                "distree_http_request_bytes_total",
                "Request body bytes read.",
                "",
                stats::getBytesRead);
        metrics.counterFrom(
                "distree_http_response_bytes_total",
                "Response body bytes" + " written.",
                "",
                stats::getBytesWritten);
        metrics.gauge(
                "distree_http_requests_active",
                "Requests being handled.",
                stats::getRequestsActive);
    }

    /** Whether Jetty may call the handlers on its selector threads (it may unless one blocks). */
    boolean handlersBlock() {
        return server.getInvocationType() != Invocable.InvocationType.NON_BLOCKING;
    }

    /** The URL the daemon listens on, such as {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The port bound (useful when the settings asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops gracefully: refuses new requests, lets those in flight finish (within the shutdown
     * timeout), writes queued entries and closes the tree. Safe to call more than once.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping: finishing requests in flight");
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
        if (maintenance != null) {
            maintenance.close();
        }
        submissions.close(config.shutdownTimeout().toMillis());
        writer.close();
        LOG.info("stopped");
    }

    /**
     * Fetches nodes from other machines, for submissions and searches: the crawler's capped
     * fetch, refusing private addresses unless {@code allow-private} is set.
     */
    public static HttpNodeSource remoteSource(ServerConfig c) {
        return new HttpNodeSource(crawlConfig(c));
    }

    /**
     * Answers {@code /search} with the crawler from this machine's root, following links to
     * other machines within {@code search-max-nodes} and {@code search-timeout-ms}.
     */
    public static CrawlSearcher searcher(ServerConfig c) {
        return new CrawlSearcher(
                new org.distree.crawl.Searcher(crawlConfig(c)),
                c.data(),
                c.searchMaxNodes(),
                c.searchTimeout());
    }

    /**
     * How the daemon fetches from other machines: the crawler's limits, {@code
     * fetch-timeout-ms} per file, and no loopback, private or link-local address unless {@code
     * allow-private} is set.
     */
    public static CrawlConfig crawlConfig(ServerConfig c) {
        Duration fetch = c.fetchTimeout();
        Duration connect =
                fetch.compareTo(Duration.ofSeconds(5)) < 0 ? fetch : Duration.ofSeconds(5);
        return CrawlConfig.defaults()
                .withPrivateAddresses(c.allowPrivate())
                .withTimeouts(connect, fetch, fetch);
    }
}
