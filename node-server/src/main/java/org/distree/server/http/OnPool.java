package org.distree.server.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs a handler that may block (reads a body, waits for a write, fetches from other
 * machines) on a thread of the server's pool, so that the handlers before it and {@link
 * NodeFiles} never block and Jetty may call them on its selector threads, as an event loop
 * (nginx's design) with no hand-off between threads for a node file.
 */
final class OnPool extends Handler.Wrapper {
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
