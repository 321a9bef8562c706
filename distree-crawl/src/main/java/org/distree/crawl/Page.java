package org.distree.crawl;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A fetched response body, whole and within the size cap; for a {@code 304} answer to a
 * conditional GET, no body. A class rather than a record: the body is an array, which a
 * record's {@code equals} would compare by identity.
 */
final class Page {
    /** The status of a conditional GET's answer when the file has not changed. */
    static final int NOT_MODIFIED = 304;

    private final URI url;
    private final URI finalUrl;
    private final int status;
    private final @Nullable String contentType;
    private final byte[] body;
    private final Validators validators;

    /**
     * A response as received; the body is kept, not copied.
     *
     * @param url the URL asked for
     * @param finalUrl where the body came from after redirects: links in it resolve against this
     * @param status the HTTP status
     * @param contentType the Content-Type header, or null when absent
     * @param body the bytes, at most the cap
     * @param validators the response's ETag and Last-Modified
     */
    Page(
            URI url,
            URI finalUrl,
            int status,
            @Nullable String contentType,
            byte[] body,
            Validators validators) {
        this.url = url;
        this.finalUrl = finalUrl;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.validators = validators;
    }

    /** The URL asked for. */
    URI url() {
        return url;
    }

    /** Where the body came from after redirects: links in it resolve against this. */
    URI finalUrl() {
        return finalUrl;
    }

    /** The HTTP status. */
    int status() {
        return status;
    }

    /** The Content-Type header, or null when absent. */
    @Nullable
    String contentType() {
        return contentType;
    }

    /** The bytes, at most the cap; the array itself, not a copy. */
    byte[] body() {
        return body;
    }

    /** The response's ETag and Last-Modified. */
    Validators validators() {
        return validators;
    }
}
