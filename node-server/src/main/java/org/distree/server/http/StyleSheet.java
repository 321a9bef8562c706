package org.distree.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /style.css}: the pages' small stylesheet, from the classpath. */
final class StyleSheet extends Handler.Abstract {
    private final String css;

    StyleSheet() {
        try (InputStream in = StyleSheet.class.getResourceAsStream("style.css")) {
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
        return Replies.send(response, callback, HttpStatus.OK_200, "text/css;charset=utf-8", css);
    }
}
