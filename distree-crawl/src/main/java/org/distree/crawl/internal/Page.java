package org.distree.crawl.internal;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A fetched response body, whole and within the size cap. A class rather than a record: the body
 * is an array, which a record's {@code equals} would compare by identity.
 */
public final class Page {
    private final URI url;
    private final URI finalUrl;
    private final int status;
    private final @Nullable String contentType;
    private final byte[] body;

    /**
     * A response as received; the body is kept, not copied.
     *
     * @param url the URL asked for
     * @param finalUrl where the body came from after redirects: links in it resolve against this
     * @param status the HTTP status
     * @param contentType the Content-Type header, or null when absent
     * @param body the bytes, at most the cap
     */
    public Page(URI url, URI finalUrl, int status, @Nullable String contentType, byte[] body) {
        this.url = url;
        this.finalUrl = finalUrl;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    /** The URL asked for. */
    public URI url() {
        return url;
    }

    /** Where the body came from after redirects: links in it resolve against this. */
    public URI finalUrl() {
        return finalUrl;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The Content-Type header, or null when absent. */
    public @Nullable String contentType() {
        return contentType;
    }

    /** The bytes, at most the cap; the array itself, not a copy. */
    public byte[] body() {
        return body;
    }
}
