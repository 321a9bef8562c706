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
    private final boolean unanswered;

    /**
     * A failure that says nothing of whether the host answers (a status, a refusal, a file
     * unusable): {@link #unanswered()} is false.
     *
     * @param url the URL asked for
     * @param status the HTTP status, or 0 when there was no response (connection refused, reset,
     *     timed out, refused by robots.txt)
     * @param reason what went wrong, for a person
     */
    public NodeFetchException(String url, int status, String reason) {
        this(url, status, reason, false);
    }

    /**
     * @param unanswered the host did not answer at all: no connection could be made (refused,
     *     unreachable, unknown name, timed out connecting) or nothing came within the time
     *     allowed; {@link #unanswered()}
     */
    public NodeFetchException(String url, int status, String reason, boolean unanswered) {
        super(url + ": " + reason);
        this.url = url;
        this.status = status;
        this.reason = reason;
        this.unanswered = unanswered;
    }

    /**
     * Whether the host did not answer at all (no connection, or no complete response in the
     * time allowed), so that another file of the same host asked for now would most likely fail
     * the same way; false for a status, a refusal by policy or robots.txt, or a file that came
     * but could not be used.
     */
    public boolean unanswered() {
        return unanswered;
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
