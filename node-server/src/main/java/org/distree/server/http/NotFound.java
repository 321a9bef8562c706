package org.distree.server.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Anything else: 404. */
final class NotFound extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return Replies.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
    }
}
