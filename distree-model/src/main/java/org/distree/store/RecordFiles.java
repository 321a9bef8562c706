package org.distree.store;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * Where a tree keeps its page records (format version 2): the file of record {@code NAME} is
 * {@code p/NAME.html} in the tree's folder ({@link NodeStore#RECORD_DIR}, names {@link
 * NodeStore#RECORD_NAME}), and a leaf in {@code n/} links it as {@code ../p/NAME.html}. The one
 * place for those paths, for the site indexer, the capture index and the readers of a local
 * tree.
 */
public final class RecordFiles {
    private static final Pattern RECORD_LINK = Pattern.compile(
            "\\.\\./" + NodeStore.RECORD_DIR + "/(" + NodeStore.RECORD_NAME + ")\\.html");

    private RecordFiles() {}

    /** A record's file in a store: {@code p/NAME.html}. */
    public static String file(String name) {
        return NodeStore.RECORD_DIR + "/" + name + ".html";
    }

    /** A record's link from a leaf (in {@code n/}): {@code ../p/NAME.html}. */
    public static String link(String name) {
        return "../" + file(name);
    }

    /**
     * The record name in a link of the form {@link #link} gives, or null for any other link (one
     * that leads elsewhere, or out of the store).
     */
    public static @Nullable String nameOf(String link) {
        Matcher m = RECORD_LINK.matcher(link);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * The target of the page record that record entry link {@code link} names in {@code store}:
     * its link as written (relative links stay relative).
     *
     * @throws NodeFormatException when the link does not name a record of the store ({@link
     *     #nameOf}), or the record file does not read
     * @throws IOException when the file cannot be read (a missing one included)
     */
    public static Entry.Target read(NodeStore store, String link)
            throws IOException, NodeFormatException {
        String name = nameOf(link);
        if (name == null) {
            throw new NodeFormatException(
                    link, null, "href", "not a record of this tree (../p/NAME.html)");
        }
        String file = file(name);
        return RecordFile.read(
                NodeReader.readBytes(store.path(file), file, NodeReader.DEFAULT_MAX_BYTES), file);
    }
}
