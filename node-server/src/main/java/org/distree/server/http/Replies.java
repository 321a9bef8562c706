package org.distree.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing responses: the one place that sets content types and writes bodies. */
final class Replies {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HTML = "text/html;charset=utf-8";
    static final String TEXT = "text/plain;charset=utf-8";
    static final String JSON_TYPE = "application/json";

    private Replies() {}

    /** Sends a body with a status and content type; not cached unless Cache-Control is set. */
    static boolean send(
            Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    static boolean json(Response response, Callback callback, int status, Object body) {
        try {
            return send(
                    response, callback, status, JSON_TYPE, JSON.writeValueAsString(body) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A client error, as JSON when the client asked for it, else one line of text. */
    static boolean error(
            Request request, Response response, Callback callback, int status, String reason) {
        if (wantsJson(request)) {
            ObjectNode o = JSON.createObjectNode();
            o.put("status", status);
            o.put("error", reason);
            return json(response, callback, status, o);
        }
        return send(response, callback, status, TEXT, reason + "\n");
    }

    /** True when the Accept header prefers JSON over HTML. */
    static boolean wantsJson(Request request) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept == null) {
            return false;
        }
        int json = accept.indexOf("application/json");
        int html = accept.indexOf("text/html");
        return json >= 0 && (html < 0 || json < html);
    }
}
