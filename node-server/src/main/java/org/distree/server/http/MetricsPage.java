package org.distree.server.http;

import org.distree.server.metrics.Metrics;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /metrics}: the Prometheus text format. */
final class MetricsPage extends Handler.Abstract {
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
