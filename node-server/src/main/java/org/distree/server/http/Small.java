package org.distree.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.distree.server.metrics.Metrics;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The small handlers: health, metrics, the stylesheet, headers for every response, and 429. */
final class Small {
    private Small() {}

    /** {@code /healthz}: 200 "ok" while the tree's root can be read and writes are taken. */
    static final class Health extends Handler.Abstract {
        private final TreeView tree;

        Health(TreeView tree) {
            this.tree = tree;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            try {
                tree.root();
                return Replies.send(response, callback, HttpStatus.OK_200, Replies.TEXT, "ok\n");
            } catch (IOException | RuntimeException e) {
                return Replies.send(
                        response,
                        callback,
                        HttpStatus.SERVICE_UNAVAILABLE_503,
                        Replies.TEXT,
                        "unhealthy: the tree cannot be read\n");
            }
        }
    }

    /** {@code /metrics}: the Prometheus text format. */
    static final class MetricsPage extends Handler.Abstract {
        private final Metrics metrics;

        MetricsPage(Metrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return Replies.send(
                    response,
                    callback,
                    HttpStatus.OK_200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape());
        }
    }

    /** {@code /style.css}: the pages' small stylesheet, from the classpath. */
    static final class Style extends Handler.Abstract {
        private final String css;

        Style() {
            try (InputStream in = Small.class.getResourceAsStream("style.css")) {
                if (in == null) {
                    throw new IllegalStateException("style.css is missing from the jar");
                }
                css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read style.css", e);
            }
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
            return Replies.send(
                    response, callback, HttpStatus.OK_200, "text/css;charset=utf-8", css);
        }
    }

    /**
     * Headers on every response. The content security policy allows no script at all, so a
     * {@code <script>} or {@code javascript:} link that reached a node file (they hold other
     * machines' text) cannot run in a browser that opens it from this origin.
     */
    static final class SecurityHeaders extends Handler.Wrapper {
        static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self';"
                + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        // Encoded once: every response carries them.
        private static final HttpField CSP_FIELD =
                new PreEncodedHttpField("Content-Security-Policy", CSP);
        private static final HttpField NOSNIFF =
                new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
        private static final HttpField NO_REFERRER =
                new PreEncodedHttpField("Referrer-Policy", "no-referrer");

        SecurityHeaders(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback)
                throws Exception {
            response.getHeaders().put(CSP_FIELD);
            response.getHeaders().put(NOSNIFF);
            response.getHeaders().put(NO_REFERRER);
            return super.handle(request, response, callback);
        }
    }

    /** Answers a client over its request rate: 429 with Retry-After. */
    static final class TooManyRequests implements Request.Handler {
        private final Metrics metrics;

        TooManyRequests(Metrics metrics) {
            this.metrics = metrics;
            metrics.counter("distree_rate_limited_total", "Requests refused with 429.");
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            metrics.add("distree_rate_limited_total", 1);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.TOO_MANY_REQUESTS_429,
                    "too many requests from your address; slow down");
        }
    }

    /**
     * Runs a handler that may block (reads a body, waits for a write, fetches from other
     * machines) on a thread of the server's pool, so that the handlers before it and {@link
     * NodeFiles} never block and Jetty may call them on its selector threads, as an event loop
     * (nginx's design) with no hand-off between threads for a node file.
     */
    static final class OnPool extends Handler.Wrapper {
        OnPool(Handler blocking) {
            super(blocking);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            request.getComponents().getExecutor().execute(() -> {
                try {
                    if (!super.handle(request, response, callback)) {
                        Replies.error(
                                request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
                    }
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
            return true;
        }
    }

    /** Anything else: 404. */
    static final class NotFound extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return Replies.error(
                    request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
        }
    }
}
