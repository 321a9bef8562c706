package org.distree.maintain;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.transport.HttpTransport;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.distree.tree.Trees;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Machines for tests: each a tree folder served by a minimal real Jetty 12 server on a loopback
 * address (127.0.0.2 to 127.0.0.6, several ports per address beyond five machines), with a
 * maintainer in process. The server serves {@code /index.html} and {@code /n/*.html} from the
 * tree's committed files (with an {@code ETag}, answering {@code If-None-Match} with {@code 304},
 * as the node daemon does) and takes {@code POST /submit}, queueing each URL the way the node
 * daemon does ({@code .distree/submissions/*.json}, format {@code distree-submission/1}); the
 * maintainer checks the node itself before using it. A test may have it redirect a path
 * ({@link Machine#redirects}).
 */
final class Cluster implements AutoCloseable {
    /** One machine. */
    static final class Machine implements AutoCloseable {
        final int index;
        final Path data;
        final LocalTree tree;
        final Server server;
        final URI base;
        final List<Entry> own = new ArrayList<>();
        Maintainer maintainer;
        HttpTransport transport;
        private final AtomicInteger queued = new AtomicInteger();
        /** GET requests for node files and entry pages this machine answered. */
        final java.util.concurrent.atomic.AtomicLong served =
                new java.util.concurrent.atomic.AtomicLong();
        /** Bytes of the files it sent in those answers (a 304 sends none). */
        final java.util.concurrent.atomic.AtomicLong bytesServed =
                new java.util.concurrent.atomic.AtomicLong();
        /**
         * Paths this machine answers with a {@code 302} to another URL, as a server whose file
         * moved does (checked before its own files).
         */
        final Map<String, URI> redirects = new java.util.concurrent.ConcurrentHashMap<>();

        boolean running = true;

        Machine(int index, Path data, String host) throws Exception {
            this.index = index;
            this.data = data;
            this.tree = LocalTree.open(NodeStore.open(data, false), Clock.systemUTC());
            QueuedThreadPool pool = new QueuedThreadPool(16, 2);
            pool.setName("machine-" + index);
            server = new Server(pool);
            ServerConnector connector = new ServerConnector(server, 1, 1);
            connector.setHost(host);
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback)
                        throws Exception {
                    serve(request, response, callback);
                    return true;
                }
            });
            server.start();
            base = URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
        }

        private void serve(Request request, Response response, Callback callback)
                throws IOException {
            String path = request.getHttpURI().getPath();
            OutputStream out = Content.Sink.asOutputStream(response);
            try (out) {
                if ("POST".equals(request.getMethod()) && path.equals("/submit")) {
                    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                    for (String pair : body.split("&", -1)) {
                        if (pair.startsWith("url=")) {
                            queue(URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8));
                        }
                    }
                    response.setStatus(202);
                } else if (redirects.containsKey(path)) {
                    response.setStatus(302);
                    response.getHeaders()
                            .put(HttpHeader.LOCATION, redirects.get(path).toString());
                } else if (path.equals("/index.html") || path.matches("/n/[0-9a-f]+\\.html")) {
                    byte[] bytes;
                    try {
                        bytes = tree.store().readBytes(path.substring(1));
                    } catch (java.nio.file.NoSuchFileException e) {
                        bytes = null;
                    }
                    served.incrementAndGet();
                    if (bytes == null) {
                        response.setStatus(404);
                    } else {
                        String etag = etag(bytes);
                        response.getHeaders().put(HttpHeader.ETAG, etag);
                        if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                            response.setStatus(304);
                        } else {
                            response.getHeaders()
                                    .put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                            out.write(bytes);
                            bytesServed.addAndGet(bytes.length);
                        }
                    }
                } else {
                    response.setStatus(404);
                }
                callback.succeeded();
            } catch (IOException | RuntimeException e) {
                callback.failed(e);
            }
        }

        /** A strong ETag: a digest of the file's bytes, as a server that hashes content sends. */
        static String etag(byte[] bytes) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
                return "\"" + java.util.HexFormat.of().formatHex(d, 0, 12) + "\"";
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void queue(String url) throws IOException {
            Path dir = data.resolve(SubmissionQueue.FOLDER);
            Files.createDirectories(dir);
            String name = System.currentTimeMillis() + "-" + index + "-" + queued.incrementAndGet()
                    + ".json";
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(
                    tmp,
                    "{\"format\":\"" + SubmissionQueue.FORMAT + "\",\"url\":\""
                            + url.replace("\\", "").replace("\"", "") + "\"}");
            Files.move(tmp, dir.resolve(name));
        }

        URI root() {
            return base.resolve("index.html");
        }

        /** Every entry this machine's leaves hold. */
        Set<Bound> held() throws IOException {
            Set<Bound> out = new HashSet<>();
            for (LocalNodes.Local l : LocalNodes.list(tree)) {
                l.node().entries().forEach(e -> out.add(e.position()));
            }
            return out;
        }

        void stop() throws Exception {
            running = false;
            server.stop();
        }

        @Override
        public void close() throws IOException {
            if (running) {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            if (transport != null) {
                transport.close();
            }
            tree.close();
        }
    }

    final List<Machine> machines = new ArrayList<>();
    final Searcher searcher = new Searcher();

    /**
     * Starts {@code n} machines, each with {@code entries} own entries and told only the next
     * machine's root (a ring).
     */
    Cluster(Path dir, int n, int entries, long seed, Map<String, String> settings)
            throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            Machine m = new Machine(i, dir.resolve("m" + i), "127.0.0." + (2 + i % 5));
            machines.add(m);
            for (int k = 0; k < entries; k++) {
                Entry e = Trees.entry(random);
                m.own.add(Entry.of(e.key(), e.link() + "/m" + i, e.title(), e.comment()));
            }
            m.tree.insert(m.own);
        }
        for (int i = 0; i < n; i++) {
            Machine m = machines.get(i);
            Map<String, String> s = new java.util.LinkedHashMap<>(settings);
            s.put("base-url", m.base.toString());
            s.put("peers", machines.get((i + 1) % n).root().toString());
            s.put("allow-private", "true");
            s.put("per-host-interval-ms", "0");
            MaintainerConfig config = MaintainerConfig.of(m.data, s);
            m.transport = new HttpTransport(config.fetchTimeout(), config.allowPrivate());
            m.maintainer = new Maintainer(config, m.tree, m.transport, Clock.systemUTC());
        }
    }

    /** Every machine's own entries. */
    Set<Bound> allEntries() {
        Set<Bound> out = new HashSet<>();
        machines.forEach(m -> m.own.forEach(e -> out.add(e.position())));
        return out;
    }

    /** One maintenance round on every running machine; returns the changes its jobs made. */
    int round() throws IOException {
        int changes = 0;
        for (Machine m : machines) {
            if (m.running) {
                for (JobReport r : m.maintainer.round()) {
                    changes += r.changes();
                }
            }
        }
        return changes;
    }

    /** The entries a search of every key from this machine's root finds. */
    Set<Bound> found(Machine m) {
        SearchResult r = searcher.search(SearchRequest.range(List.of(m.root()), null, null)
                .withBudgets(20_000, 256L << 20, Duration.ofSeconds(60)));
        Set<Bound> out = new HashSet<>();
        r.hits().forEach(h -> out.add(h.entry().position()));
        return out;
    }

    /** The smallest share of {@code wanted} that a search from a running machine's root finds. */
    double recall(Set<Bound> wanted) {
        double min = 1;
        for (Machine m : machines) {
            if (m.running) {
                Set<Bound> f = found(m);
                long hit = wanted.stream().filter(f::contains).count();
                min = Math.min(min, (double) hit / wanted.size());
            }
        }
        return min;
    }

    Linter.Report lint(Machine m) throws IOException {
        synchronized (m.tree) {
            return Trees.lint(m.tree);
        }
    }

    @Override
    public void close() throws IOException {
        searcher.close();
        for (Machine m : machines) {
            m.close();
        }
    }
}
