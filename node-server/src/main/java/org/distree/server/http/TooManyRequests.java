package org.distree.server.http;

import org.distree.server.metrics.Metrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers a client over its request rate: 429 with Retry-After. */
final class TooManyRequests implements Request.Handler {
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
