package org.distree.html;

/**
 * Thrown when a page read as a node is an entry page instead: it holds no {@code <distree>}
 * element but links the root with {@code rel="distree-root"}. A walk follows {@link #href()}.
 */
public final class RootPointerException extends NodeFormatException {
    private final String href;

    public RootPointerException(String file, String href) {
        super(file, null, "distree", "an entry page pointing at the root '" + href + "'");
        this.href = href;
    }

    /** The root's link, relative to the entry page. */
    public String href() {
        return href;
    }
}
