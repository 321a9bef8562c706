package org.distree.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.model.Node;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;

/**
 * The in-browser search written next to a tree: {@value #PAGE} and {@value #SCRIPT} (no
 * dependencies; they fetch the node files from the same host; the script published without its
 * comments and indentation, {@link #compact}), and the entry page {@code index.html} with a link
 * to the search page. The node pages stay browsable without them.
 */
public final class SearchAssets {
    /** The search page. */
    public static final String PAGE = IndexPage.SEARCH_PAGE;

    /** The search script. */
    public static final String SCRIPT = "distree-search.js";

    private SearchAssets() {}

    /** The files by name: the entry page for this root, the search page and its script. */
    public static Map<String, byte[]> files(String rootName, Node root) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(NodeStore.INDEX, indexPage(rootName, root));
        out.put(PAGE, resource(PAGE));
        out.put(
                SCRIPT,
                compact(new String(resource(SCRIPT), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * Writes the files into the store's folder in one transaction, leaving alone those whose
     * bytes are already there; returns the names written.
     */
    public static List<String> write(NodeStore store) throws IOException {
        String rootName = store.rootName();
        if (rootName == null) {
            throw new IOException("no tree in " + store.dir() + " (index.html is missing)");
        }
        Node root;
        try {
            root = store.read(rootName).node();
        } catch (NodeFormatException e) {
            throw new IOException("the root is damaged: " + e.getMessage(), e);
        }
        NodeStore.Transaction txn = store.begin();
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files(rootName, root).entrySet()) {
            // The store's view, not the disk's: committed files may not be in place yet.
            if (!store.exists(f.getKey())
                    || !Arrays.equals(store.readBytes(f.getKey()), f.getValue())) {
                txn.putBytes(f.getKey(), f.getValue());
                written.add(f.getKey());
            }
        }
        txn.commit();
        return written;
    }

    /**
     * The model's entry page, with a link to the search page under its heading and the root's
     * copy when it fits.
     */
    static byte[] indexPage(String rootName, Node root) {
        return IndexPage.write(rootName, root, true, Rules.MAX_FILE_BYTES);
    }

    /** The first line of the script as written next to a tree: where its commented source is. */
    static final String COMPACT_HEAD =
            "// distree-search.js, without its comments and indentation: the commented source is"
                    + " org/distree/site/distree-search.js in Distree's distree-site module.\n";

    /**
     * The search script as published: its lines without their indentation, with no blank lines
     * and no comment that takes whole lines ({@code //} lines, and {@code /*} blocks that start a
     * line), 37 KB to 23 KB for every reader's first search. Every line break between statements
     * stays, so the script reads as the source does (no semicolon is inserted or lost). A source
     * this cannot compact safely (a backtick in code, which may start a template literal whose
     * lines would lose their spaces; a line of code ending in a backslash; code after a comment
     * on its line; a comment left open) is published as it is.
     */
    static String compact(String js) {
        StringBuilder out = new StringBuilder(js.length());
        out.append(COMPACT_HEAD);
        boolean inBlock = false;
        for (String line : js.split("\n", -1)) {
            String t = line.strip();
            if (inBlock || t.startsWith("/*")) {
                int end = t.indexOf("*/", inBlock ? 0 : 2);
                if (end >= 0 && end + 2 != t.length()) {
                    return js; // code after a comment on its line
                }
                inBlock = end < 0;
                continue;
            }
            if (t.startsWith("//") || t.isEmpty()) {
                continue;
            }
            if (t.indexOf('`') >= 0 || t.endsWith("\\")) {
                return js; // a template literal or a string continued on the next line
            }
            out.append(t).append('\n');
        }
        return inBlock ? js : out.toString();
    }

    private static byte[] resource(String name) {
        try (InputStream in = SearchAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from this build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
