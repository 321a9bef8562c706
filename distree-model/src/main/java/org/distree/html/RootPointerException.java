package org.distree.html;

import org.distree.model.NodeFile;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a page read as a node is an entry page instead: it links the root with {@code
 * rel="distree-root"}. A walk follows {@link #href()}, or takes the root's copy the page may hold
 * ({@link #copy()}, docs/FORMAT.md "The root's copy") and saves the request.
 */
public final class RootPointerException extends NodeFormatException {
    private final String href;
    private final transient @Nullable NodeFile copy;
    private final @Nullable String copyError;

    /** An entry page that holds no copy of the root. */
    public RootPointerException(String file, String href) {
        this(file, href, null, null);
    }

    /**
     * An entry page; {@code copy} is the root's copy it holds, or null; {@code copyError} says why
     * a copy it holds could not be read (then ignored: the pointer still leads to the root).
     */
    public RootPointerException(
            String file, String href, @Nullable NodeFile copy, @Nullable String copyError) {
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
        this.copy = copy;
        this.copyError = copyError;
    }

    /** Why the root's copy the page holds could not be read, or null. */
    public @Nullable String copyError() {
        return copyError;
    }

    /**
     * The root's copy the entry page holds, its links written relative to the entry page (so a
     * reader resolves them against the entry page's URL, as for any node it reads there), or null
     * when the page holds none.
     */
    public @Nullable NodeFile copy() {
        return copy;
    }

    /** The root's link, relative to the entry page. */
    public String href() {
        return href;
    }
}
