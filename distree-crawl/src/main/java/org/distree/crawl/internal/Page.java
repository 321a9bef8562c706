package org.distree.crawl.internal;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A fetched response body, whole and within the size cap.
 *
 * @param url the URL asked for
 * @param finalUrl where the body came from after redirects: links in it resolve against this
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null when absent
 * @param body the bytes, at most the cap
 */
public record Page(
        URI url, URI finalUrl, int status, @Nullable String contentType, byte[] body) {}
