package org.distree.crawl;

import java.io.IOException;

/**
 * A node file could not be fetched: the server failed, refused or sent something unusable. The
 * message reads {@code URL: reason}; the fields carry the parts.
 */
public final class NodeFetchException extends IOException {
    private final String url;
    private final int status;
    private final String reason;

    /**
     * @param url the URL asked for
     * @param status the HTTP status, or 0 when there was no response (connection refused, reset,
     *     timed out, refused by robots.txt)
     * @param reason what went wrong, for a person
     */
    public NodeFetchException(String url, int status, String reason) {
        super(url + ": " + reason);
        this.url = url;
        this.status = status;
        this.reason = reason;
    }

    public String url() {
        return url;
    }

    /** The HTTP status, or 0 when no response was had. */
    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
