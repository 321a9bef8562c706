package org.distree.html;

import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * A node file that does not follow docs/FORMAT.md. The message names the file, the fragment
 * (the node's fragment id, or the item number) and the field, such as {@code
 * n/1a.html#item 3: data-size: 'x' is not a whole number}.
 */
public class NodeFormatException extends Exception {
    private final String file;
    private final @Nullable String fragment;
    private final String field;
    private final String reason;

    public NodeFormatException(
            String file, @Nullable String fragment, String field, String reason) {
        // One line whatever the file holds: the fragment id and the reason quote the file, and
        // are shown cut and with control characters escaped (found by fuzzing: an id holding
        // line breaks made a message of several lines).
        super(file
                + (fragment == null ? "" : "#" + Keys.abbreviate(fragment, 80))
                + ": "
                + field
                + ": "
                + Keys.abbreviate(reason, 1000));
        this.file = file;
        this.fragment = fragment;
        this.field = field;
        this.reason = reason;
    }

    /** The file or URL that was read. */
    public String file() {
        return file;
    }

    /** Where in the file: a node's fragment id or an item, or null for the whole file. */
    public @Nullable String fragment() {
        return fragment;
    }

    /** The field or part at fault, such as {@code data-size} or {@code file}. */
    public String field() {
        return field;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}
