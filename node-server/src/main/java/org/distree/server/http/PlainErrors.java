package org.distree.server.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error responses Jetty makes itself (a malformed or ambiguous URI, headers too large, a
 * failure in a handler): one line of plain text. A client error says what Jetty found; a server
 * error says only that it happened and is logged here with its cause, so no exception text or
 * stack trace ever reaches a client.
 */
public final class PlainErrors implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(PlainErrors.class);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String text = status + " " + HttpStatus.getMessage(status);
        if (status < 500) {
            Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
            if (message != null && !String.valueOf(message).contains("Exception")) {
                text += ": " + message;
            }
        } else {
            Object cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
            LOG.warn(
                    "{} {} failed",
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    cause instanceof Throwable t ? t : null);
        }
        return Replies.send(response, callback, status, Replies.TEXT, text + "\n");
    }
}
