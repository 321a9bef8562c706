package org.distree.crawl.internal;

import java.net.URI;
import org.distree.crawl.Validators;
import org.jspecify.annotations.Nullable;

/**
 * A fetched response body, whole and within the size cap; for a {@code 304} answer to a
 * conditional GET, no body.
 *
 * @param url the URL asked for
 * @param finalUrl where the body came from after redirects: links in it resolve against this
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null when absent
 * @param body the bytes, at most the cap
 * @param validators the response's ETag and Last-Modified
 */
public record Page(
        URI url,
        URI finalUrl,
        int status,
        @Nullable String contentType,
        byte[] body,
        Validators validators) {
    /** The status of a conditional GET's answer when the file has not changed. */
    public static final int NOT_MODIFIED = 304;
}
