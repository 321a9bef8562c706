package org.distree.crawl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body while it streams and fails the exchange the moment it would pass the
 * cap, so a 1 GB or endless body costs at most the cap in memory. It checks the status and the
 * content type before reading any of the body, and keeps the response's validators (ETag,
 * Last-Modified).
 */
final class CappedConsumer implements AsyncResponseConsumer<Page> {
    private final URI url;
    private final int maxBytes;
    private final boolean htmlOnly;
    private final boolean conditional;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private @Nullable FutureCallback<Page> callback;
    private int status;
    private @Nullable String contentType;
    private Validators validators = Validators.NONE;

    /**
     * @param htmlOnly refuse a non-2xx status and a Content-Type that is not HTML; when false
     *     (robots.txt), any status is returned as it is
     * @param conditional the request was a conditional GET: a {@code 304} is an answer, with no
     *     body
     */
    CappedConsumer(URI url, int maxBytes, boolean htmlOnly, boolean conditional) {
        this.url = url;
        this.maxBytes = maxBytes;
        this.htmlOnly = htmlOnly;
        this.conditional = conditional;
    }

    @Override
    public void consumeResponse(
            HttpResponse response,
            @Nullable EntityDetails entity,
            HttpContext context,
            FutureCallback<Page> resultCallback)
            throws IOException {
        status = response.getCode();
        Header ct = response.getFirstHeader("Content-Type");
        contentType = ct == null ? null : ct.getValue();
        validators =
                new Validators(validator(response, "ETag"), validator(response, "Last-Modified"));
        if (conditional && status == Page.NOT_MODIFIED) {
            resultCallback.completed(page(new byte[0]));
            return;
        }
        if (htmlOnly) {
            if (status < 200 || status > 299) {
                throw new NodeFetchException(
                        url.toString(),
                        status,
                        "HTTP " + status
                                + (response.getReasonPhrase() == null
                                        ? ""
                                        : " " + clip(response.getReasonPhrase())));
            }
            if (contentType != null && !NodeResponses.isHtml(contentType)) {
                throw new NodeFetchException(
                        url.toString(),
                        status,
                        "content type '" + clip(contentType) + "' is not HTML");
            }
        }
        long declared = entity == null ? 0 : entity.getContentLength();
        if (declared > maxBytes) {
            throw tooLarge("declares " + String.format(Locale.ROOT, "%,d", declared) + " bytes");
        }
        if (entity == null) {
            resultCallback.completed(page(new byte[0]));
        } else {
            this.callback = resultCallback;
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(Math.max(1, maxBytes + 1 - body.size()));
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (body.size() + (long) n > maxBytes) {
            throw tooLarge("body runs past "
                    + String.format(Locale.ROOT, "%,d", body.size() + (long) n) + " bytes");
        }
        byte[] chunk = new byte[n];
        src.get(chunk);
        body.write(chunk, 0, n);
    }

    @Override
    public void streamEnd(@Nullable List<? extends Header> trailers) {
        FutureCallback<Page> cb = callback;
        if (cb != null) {
            callback = null;
            cb.completed(page(body.toByteArray()));
        }
    }

    @Override
    public void failed(Exception cause) {
        FutureCallback<Page> cb = callback;
        if (cb != null) {
            callback = null;
            cb.failed(cause);
        }
    }

    @Override
    public void releaseResources() {}

    private Page page(byte[] bytes) {
        return new Page(url, url, status, contentType, bytes, validators);
    }

    /** A validator header, stripped; null when absent, blank or over 256 characters. */
    private static @Nullable String validator(HttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        if (h == null
                || h.getValue() == null
                || h.getValue().isBlank()
                || h.getValue().length() > 256) {
            return null;
        }
        return h.getValue().strip();
    }

    private NodeFetchException tooLarge(String what) {
        return new NodeFetchException(
                url.toString(),
                status,
                String.format(Locale.ROOT, "response %s, over the %,d byte limit", what, maxBytes));
    }

    private static String clip(String s) {
        return org.distree.model.Keys.abbreviate(s.replaceAll("\\p{Cntrl}", "?"), 60);
    }
}
