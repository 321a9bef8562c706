package org.distree.site;

/**
 * A file that cannot be indexed as a page (too big, binary, bad encoding, unreadable), with a
 * reason a user can act on. The indexer reports it and goes on with the next file.
 */
public final class PageSkippedException extends Exception {
    private final String path;

    public PageSkippedException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    /** The file's path relative to the site folder. */
    public String path() {
        return path;
    }
}
