package org.distree.html;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jspecify.annotations.Nullable;

/**
 * The entry page of a tree, {@code index.html}: it points at the current root with {@code <link
 * rel="distree-root">} (the root's file changes when a root splits; this page's name does not),
 * and tells a person where to start.
 *
 * <p>An entry page may point at another entry page. Every reader (search, lint, the maintainer's
 * walk, the browser's search script) follows at most {@value #MAX_POINTER_HOPS} such pointers in
 * a row, then gives up: pages that point at each other cannot hold it up.
 */
public final class IndexPage {
    /**
     * The most {@code rel="distree-root"} pointers a reader follows in a row before it must reach
     * a node: 3. The one place for this limit (docs/FORMAT.md, "Files of a tree").
     */
    public static final int MAX_POINTER_HOPS = 3;

    /**
     * The in-browser search page that {@code distree index-site} writes next to a tree. When a
     * tree's folder holds it, the entry page links it.
     */
    public static final String SEARCH_PAGE = "search.html";

    private IndexPage() {}

    /** The page for a tree whose root is at {@code rootHref}, with no search page and no copy. */
    public static byte[] write(String rootHref, Node root) {
        return write(rootHref, root, false, 0);
    }

    /**
     * The page for a tree whose root is at {@code rootHref}, with no copy of the root; with {@code
     * searchPage}, it links {@value #SEARCH_PAGE} under its heading.
     */
    public static byte[] write(String rootHref, Node root, boolean searchPage) {
        return write(rootHref, root, searchPage, 0);
    }

    /**
     * The page for a tree whose root is at {@code rootHref}; with {@code searchPage}, it links
     * {@value #SEARCH_PAGE} under its heading. It holds the root's copy ({@link #copyOf}) when
     * the root is an internal node and the whole page, copy included, is at most {@code maxBytes}
     * (the 10 KB rule's measure, which the caller gives: {@code Rules.MAX_FILE_BYTES}; 0 for no
     * copy). A reader that starts at this page then has the root without another request.
     */
    public static byte[] write(String rootHref, Node root, boolean searchPage, int maxBytes) {
        StringBuilder out = new StringBuilder(1024);
        String href = escape(rootHref);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>Distree index</title>")
                .append("<link rel=\"distree-root\" href=\"")
                .append(href)
                .append("\">");
        if (root.analyzer() != null) {
            out.append("<meta name=\"distree-analyzer\" content=\"")
                    .append(escape(root.analyzer()))
                    .append("\">");
        }
        out.append("</head><body>\n<h1>Distree index</h1>\n");
        if (searchPage) {
            out.append("<p><a href=\"")
                    .append(SEARCH_PAGE)
                    .append("\">Search this index</a>")
                    .append(" as you type (in your browser), or follow the links below by hand.")
                    .append("</p>\n");
        }
        out.append("<p>")
                .append(String.format(Locale.ROOT, "%,d", root.size()))
                .append(" entries in a tree of height ")
                .append(root.height())
                .append(". <a rel=\"distree-root\" href=\"")
                .append(href)
                .append("\">Start at the root</a> and follow the links whose key range holds"
                        + " the word you want.</p>\n");
        byte[] plain = (out + TAIL).getBytes(StandardCharsets.UTF_8);
        Node copy = maxBytes > 0 ? copyOf(rootHref, root) : null;
        if (copy == null) {
            return plain;
        }
        out.append(COPY_HEADING).append(NodeWriter.block(copy)).append(TAIL);
        byte[] withCopy = out.toString().getBytes(StandardCharsets.UTF_8);
        return withCopy.length <= maxBytes ? withCopy : plain;
    }

    /** What an entry page ends with. */
    private static final String TAIL = "</body></html>\n";

    /** The line before the root's copy, for a person reading the page. */
    private static final String COPY_HEADING = "<h2>The root</h2>\n";

    /** Stands for the tree's folder when links are moved from the root's file to this page. */
    private static final URI TREE = URI.create("http://tree.invalid/t/");

    /**
     * The root's copy as an entry page holds it: {@code root} with each link to a node of the
     * same tree rewritten relative to the entry page ({@code 4f.html} in {@code n/1.html} becomes
     * {@code n/4f.html}), links to other machines as they are; null when the root is a leaf (its
     * entries' links are not moved) or a link would leave the tree's folder. The one place for
     * that rewriting: {@code distree lint} checks a page's copy against it.
     */
    public static @Nullable Node copyOf(String rootHref, Node root) {
        if (root.isLeaf()) {
            return null;
        }
        URI rootUrl;
        try {
            rootUrl = Links.resolve(TREE, rootHref);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String tree = TREE.toString();
        List<ChildRef> children = new ArrayList<>(root.children().size());
        for (ChildRef c : root.children()) {
            String href = c.href();
            if (Links.isRelative(href)) {
                String moved;
                try {
                    moved = Links.resolve(rootUrl, href).toString();
                } catch (IllegalArgumentException e) {
                    return null;
                }
                if (!moved.startsWith(tree) || moved.length() == tree.length()) {
                    return null;
                }
                href = moved.substring(tree.length());
            }
            children.add(c.withHref(href));
        }
        return root.withChildren(children, root.range(), root.size(), root.updated());
    }

    /** The start of an entry page as {@link #write} writes it, up to the root's link. */
    private static final String WRITTEN_HEAD =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width\">"
                    + "<title>Distree index</title><link rel=\"distree-root\" href=\"";

    /**
     * The root's link in an entry page exactly as {@link #write} writes it, read without an HTML
     * parser (a search that starts at a tree's folder then never loads one); null for any other
     * page, or a link with a character reference other than those {@link #write} makes: those are
     * for the parser. The page may hold the root's copy ({@link #writtenCopy}).
     */
    static @Nullable String writtenRootHref(String html) {
        if (!html.startsWith(WRITTEN_HEAD)) {
            return null;
        }
        int from = WRITTEN_HEAD.length();
        int end = html.indexOf('"', from);
        if (end < 0 || !html.startsWith("\">", end)) {
            return null;
        }
        String raw = html.substring(from, end);
        String href = raw.replace("&quot;", "\"").replace("&lt;", "<").replace("&amp;", "&");
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == '<' || c == 0x7F) {
                return null;
            }
            if (c == '&'
                    && !raw.startsWith("&amp;", i)
                    && !raw.startsWith("&quot;", i)
                    && !raw.startsWith("&lt;", i)) {
                return null;
            }
        }
        return href;
    }

    /**
     * The root's copy in an entry page: read without an HTML parser ({@link CanonicalReader})
     * when the copy is as {@link #write} writes it, else with the parser; null when the page holds
     * no {@code <distree>} element. Its links are relative to the entry page.
     *
     * @throws NodeFormatException if the copy breaks a rule of the format
     */
    static @Nullable NodeFile writtenCopy(String html, String name) throws NodeFormatException {
        int start = html.indexOf(COPY_HEADING + "<distree ");
        if (start >= 0 && html.endsWith(TAIL)) {
            String block =
                    html.substring(start + COPY_HEADING.length(), html.length() - TAIL.length());
            NodeFile copy = CanonicalReader.block(block, name);
            if (copy != null) {
                return copy;
            }
        }
        return html.toLowerCase(Locale.ROOT).contains("<distree")
                ? NodeReader.parseHtml(html, name, false)
                : null;
    }

    /** The root's link in an entry page, or null when the page has none. */
    public static @Nullable String rootHref(String html) {
        String written = writtenRootHref(html);
        if (written != null) {
            return written;
        }
        Document doc = Jsoup.parse(html);
        Element e = doc.selectFirst("link[rel=distree-root][href], a[rel=distree-root][href]");
        return e == null ? null : e.attr("href");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
