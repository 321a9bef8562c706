package org.distree.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.distree.html.NodeWriter;
import org.distree.model.Entry;
import org.distree.server.submit.Submissions;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code POST /submit} takes the URLs of another machine's new nodes (form field {@code url},
 * repeatable, {@code application/x-www-form-urlencoded}) and answers 202 with a receipt, or a 4xx
 * with the reason; {@code GET /submit/RECEIPT} tells where each URL of a receipt stands. Both
 * answer in JSON.
 */
final class Submit extends Handler.Abstract {
    private static final Pattern RECEIPT_PATH = Pattern.compile("/submit/([0-9a-f]{16})");

    private final Submissions submissions;
    private final URI baseUrl;
    private final int maxUrls;

    Submit(Submissions submissions, URI baseUrl, int maxUrls) {
        this.submissions = submissions;
        this.baseUrl = baseUrl;
        this.maxUrls = maxUrls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path.equals("/submit")) {
            if (!HttpMethod.POST.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                return Replies.error(
                        request,
                        response,
                        callback,
                        HttpStatus.METHOD_NOT_ALLOWED_405,
                        "use POST to submit URLs");
            }
            return submit(request, response, callback);
        }
        var m = RECEIPT_PATH.matcher(path);
        if (m.matches()
                && (HttpMethod.GET.is(request.getMethod())
                        || HttpMethod.HEAD.is(request.getMethod()))) {
            Optional<Submissions.Receipt> r = submissions.receipt(m.group(1));
            if (r.isEmpty()) {
                return Replies.error(
                        request,
                        response,
                        callback,
                        HttpStatus.NOT_FOUND_404,
                        "no such receipt (or it is too old to be remembered)");
            }
            return Replies.json(response, callback, HttpStatus.OK_200, toJson(r.get()));
        }
        return Replies.error(request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
    }

    private boolean submit(Request request, Response response, Callback callback) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null
                || !MimeTypes.Type.FORM_ENCODED.is(
                        type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    "Content-Type must be application/x-www-form-urlencoded");
        }
        List<String> urls;
        try {
            urls = formUrls(request, request, FormFields.getFormEncodedCharset(request), maxUrls);
        } catch (BadForm e) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    String.valueOf(e.getMessage()));
        }
        Submissions.Receipt receipt;
        try {
            receipt = submissions.submit(urls, clientAddress(request));
        } catch (Submissions.Refused e) {
            if (e.status() == HttpStatus.SERVICE_UNAVAILABLE_503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            }
            return Replies.error(
                    request, response, callback, e.status(), String.valueOf(e.getMessage()));
        }
        String status = "/submit/" + receipt.id();
        response.getHeaders()
                .put(HttpHeader.LOCATION, baseUrl.resolve(status.substring(1)).toString());
        return Replies.json(response, callback, HttpStatus.ACCEPTED_202, toJson(receipt));
    }

    /** A form that cannot be read: the reason, for a 400. */
    static final class BadForm extends Exception {
        private static final long serialVersionUID = 1L;

        BadForm(String reason) {
            super(reason);
        }
    }

    /**
     * The {@code url} fields of a form body ({@code application/x-www-form-urlencoded}), in
     * order: at most the URLs allowed plus a few other fields, each at most a URL's length
     * percent-encoded (SubmitFormFuzzTest).
     *
     * @throws BadForm when the body is not a form within those limits
     */
    static List<String> formUrls(
            Content.Source body, Attributes attributes, Charset charset, int maxUrls)
            throws BadForm {
        Fields fields;
        try {
            fields = FormFields.getFields(
                    body,
                    attributes,
                    charset,
                    maxUrls + 8,
                    (maxUrls + 8) * (Entry.MAX_LINK_BYTES * 3 + 16));
        } catch (CompletionException | IllegalStateException e) {
            throw new BadForm("the form could not be read: " + rootMessage(e));
        }
        List<String> given = fields.getValues("url");
        return given == null ? new ArrayList<>() : new ArrayList<>(given);
    }

    private ObjectNode toJson(Submissions.Receipt r) {
        ObjectNode o = Replies.JSON.createObjectNode();
        o.put("receipt", r.id());
        o.put("received", NodeWriter.instant(r.received()));
        o.put("status_url", baseUrl.resolve("submit/" + r.id()).toString());
        ArrayNode items = o.putArray("urls");
        for (Submissions.Item i : r.items()) {
            ObjectNode j = items.addObject();
            j.put("url", i.url().toString());
            j.put("state", i.state().label());
            if (!i.detail().isEmpty()) {
                j.put("detail", i.detail());
            }
        }
        return o;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** The client's address, as the connection (or a trusted Forwarded header) gives it. */
    static String clientAddress(Request request) {
        return Request.getRemoteAddr(request);
    }
}
