package org.distree.crawl;

import org.jspecify.annotations.Nullable;

/**
 * What a server said identifies the version of a file it sent: its {@code ETag} and its {@code
 * Last-Modified} headers, each null when it sent none (or a blank value, or one over 256
 * characters). Sent back as {@code If-None-Match} and {@code If-Modified-Since} by a conditional
 * GET ({@link HttpNodeSource#fetchIfChanged}).
 */
public record Validators(@Nullable String etag, @Nullable String lastModified) {
    /** Nothing known: a conditional fetch is then a plain one. */
    public static final Validators NONE = new Validators(null, null);

    /** True when neither is known. */
    public boolean none() {
        return etag == null && lastModified == null;
    }
}
