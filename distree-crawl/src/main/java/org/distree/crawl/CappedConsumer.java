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
import org.distree.crawl.internal.Page;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body while it streams and fails the exchange the moment it would pass the
 * cap, so a 1 GB or endless body costs at most the cap in memory. It checks the status and the
 * content type before reading any of the body.
 */
final class CappedConsumer implements AsyncResponseConsumer<Page> {
    private final URI url;
    private final int maxBytes;
    private final boolean htmlOnly;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private @Nullable FutureCallback<Page> callback;
    private int status;
    private @Nullable String contentType;

    /**
     * @param htmlOnly refuse a non-2xx status and a Content-Type that is not HTML; when false
     *     (robots.txt), any status is returned as it is
     */
    CappedConsumer(URI url, int maxBytes, boolean htmlOnly) {
        this.url = url;
        this.maxBytes = maxBytes;
        this.htmlOnly = htmlOnly;
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
            resultCallback.completed(new Page(url, url, status, contentType, new byte[0]));
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
            cb.completed(new Page(url, url, status, contentType, body.toByteArray()));
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
