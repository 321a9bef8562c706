package org.distree.server.http;

import java.net.URI;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The landing page at {@code /}, which is also an entry page (it links the root with {@code
 * rel="distree-root"}, so a crawler given this machine's URL finds the root), and the redirect
 * {@code /.well-known/distree} to the root node.
 */
final class Landing extends Handler.Abstract {
    private final TreeView tree;
    private final URI baseUrl;

    Landing(TreeView tree, URI baseUrl) {
        this.tree = tree;
        this.baseUrl = baseUrl;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        TreeView.Root root = tree.root();
        if (path.equals("/.well-known/distree")) {
            response.setStatus(HttpStatus.FOUND_302);
            response.getHeaders()
                    .put(HttpHeader.LOCATION, baseUrl.resolve(root.name()).toString());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            callback.succeeded();
            return true;
        }
        String rootHref = "/" + Html.text(root.name());
        String body = "<h1>Distree node</h1>\n"
                + "<p>This machine serves a distree: an index whose nodes are plain HTML pages."
                + String.format(
                        Locale.ROOT,
                        " It holds %,d entries in a tree of height %d.",
                        root.node().size(),
                        root.node().height())
                + " <a rel=\"distree-root\" href=\"" + rootHref + "\">Browse from the root</a>"
                + " and follow the links whose key range holds the word you want, or search"
                + " below.</p>\n"
                + Search.form("", "prefix")
                + "<h2>For other machines</h2>\n<ul>"
                + "<li>The root: <code>"
                + Html.text(baseUrl.resolve(".well-known/distree").toString())
                + "</code> redirects to it; <a href=\"/index.html\">"
                + "index.html</a> links it.</li>"
                + "<li>Submit new leaves or branches: <code>POST /submit</code> with the form"
                + " field <code>url</code> (repeatable).</li>"
                + "<li>Search results as JSON: <code>/search?q=…</code> with"
                + " <code>Accept: application/json</code>.</li></ul>";
        String head = "<link rel=\"distree-root\" href=\"" + rootHref + "\">";
        return Replies.send(
                response,
                callback,
                HttpStatus.OK_200,
                Replies.HTML,
                Html.page("Distree node", head, body));
    }
}
