package org.distree.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A real Jetty 12 server on a loopback address (127.0.0.2 and up stand in for other machines)
 * that answers each path with a {@link Reply}. Paths with no reply get a 404. Counts requests
 * per path so tests can assert what was fetched.
 */
public final class StubServer implements AutoCloseable {
    /** Writes the response to a request; may block (the handler runs on a pool thread). */
    @FunctionalInterface
    public interface Reply {
        void write(Request request, Response response, OutputStream out) throws Exception;
    }

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final Map<String, Reply> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public StubServer(String host) throws Exception {
        this.host = host;
        QueuedThreadPool pool = new QueuedThreadPool(24, 2);
        pool.setName("stub-" + host);
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = request.getHttpURI().getPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                Reply reply = routes.get(path);
                OutputStream out = Content.Sink.asOutputStream(response);
                try {
                    if (reply == null) {
                        response.setStatus(404);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                        out.write("not found".getBytes(StandardCharsets.UTF_8));
                    } else {
                        reply.write(request, response, out);
                    }
                    out.close();
                    callback.succeeded();
                } catch (Throwable e) {
                    callback.failed(e);
                }
                return true;
            }
        });
        server.start();
    }

    /** Serves {@code html} at {@code path} as text/html; charset=utf-8. */
    public StubServer html(String path, String html) {
        return bytes(path, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    public StubServer bytes(String path, String contentType, byte[] body) {
        return route(path, (req, res, out) -> {
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            res.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            out.write(body);
        });
    }

    public StubServer redirect(String path, String location) {
        return route(path, (req, res, out) -> {
            res.setStatus(302);
            res.getHeaders().put(HttpHeader.LOCATION, location);
        });
    }

    public StubServer route(String path, Reply reply) {
        routes.put(path, reply);
        return this;
    }

    public StubServer remove(String path) {
        routes.remove(path);
        return this;
    }

    public URI url(String path) {
        return URI.create("http://" + host + ":" + connector.getLocalPort() + path);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return host;
    }

    /** Requests seen for {@code path}. */
    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Requests seen for every path but robots.txt. */
    public int nodeHits() {
        return hits.entrySet().stream()
                .filter(e -> !e.getKey().equals("/robots.txt"))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    public void resetHits() {
        hits.clear();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the server on " + host, e);
        }
    }

    public static void writeQuietly(OutputStream out, byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }
}
