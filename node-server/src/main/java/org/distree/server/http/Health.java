package org.distree.server.http;

import java.io.IOException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /healthz}: 200 "ok" while the tree's root can be read and writes are taken. */
final class Health extends Handler.Abstract {
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
