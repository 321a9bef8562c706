package org.distree.html;

/**
 * Thrown when a page read as a node is an entry page instead: it holds no {@code <distree>}
 * element but links the root with {@code rel="distree-root"}. A walk follows {@link #href()}.
 */
public final class RootPointerException extends NodeFormatException {
    private final String href;

    public RootPointerException(String file, String href) {
        // The link as the page has it, cut and escaped in the message (found by fuzzing: a link
        // holding line breaks made a message of several lines).
        super(
                file,
                null,
                "distree",
                "an entry page pointing at the root '"
                        + org.distree.model.Keys.abbreviate(href, 200)
                        + "'");
        this.href = href;
    }

    /** The root's link, relative to the entry page. */
    public String href() {
        return href;
    }
}
