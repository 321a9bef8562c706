package org.distree.server.http;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Serves the tree's files: {@code /index.html} and the node files {@code /n/<hex>.html} that
 * {@code NodeStore} writes, and nothing else. Jetty's {@link ResourceHandler} does the serving
 * (ETag, Last-Modified, conditional GET with 304, HEAD, ranges); this handler decides what may be
 * served.
 *
 * <p>Why an allow-list: a path reaches here only after Jetty has decoded and normalized it and
 * refused ambiguous forms (an encoded dot segment or slash gets 400); the list then admits only
 * names NodeStore makes, so no path can leave the data folder or reach {@code .distree/} (lock,
 * journal, token, submission queue), and no folder is ever listed.
 */
final class NodeFiles extends Handler.Wrapper {
    /** The names NodeStore gives node files, under its {@code n/} folder. */
    private static final Pattern SERVED = Pattern.compile("/index\\.html|/n/[0-9a-f]{1,16}\\.html");

    NodeFiles(Path data, int cacheMaxAge) {
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.root().newResource(data));
        files.setDirAllowed(false);
        files.setEtags(true);
        files.setAcceptRanges(true);
        files.setWelcomeFiles();
        files.setCacheControl("public, max-age=" + cacheMaxAge);
        setHandler(files);
    }

    /** True when the decoded path names a file this handler may serve. */
    static boolean served(String path) {
        return SERVED.matcher(path).matches();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (served(Request.getPathInContext(request))
                && super.handle(request, response, callback)) {
            return true;
        }
        return Replies.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
    }
}
