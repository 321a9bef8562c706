package org.distree.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Headers on every response. The content security policy allows no script at all, so a
 * {@code <script>} or {@code javascript:} link that reached a node file (they hold other
 * machines' text) cannot run in a browser that opens it from this origin.
 */
final class SecurityHeaders extends Handler.Wrapper {
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
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(CSP_FIELD);
        response.getHeaders().put(NOSNIFF);
        response.getHeaders().put(NO_REFERRER);
        return super.handle(request, response, callback);
    }
}
