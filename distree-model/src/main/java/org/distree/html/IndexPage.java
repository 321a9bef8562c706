package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.distree.model.Node;
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

    /** The page for a tree whose root is at {@code rootHref}, with no search page. */
    public static byte[] write(String rootHref, Node root) {
        return write(rootHref, root, false);
    }

    /**
     * The page for a tree whose root is at {@code rootHref}; with {@code searchPage}, it links
     * {@value #SEARCH_PAGE} under its heading.
     */
    public static byte[] write(String rootHref, Node root, boolean searchPage) {
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
                        + " the word you want.</p>\n</body></html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The start of an entry page as {@link #write} writes it, up to the root's link. */
    private static final String WRITTEN_HEAD =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width\">"
                    + "<title>Distree index</title><link rel=\"distree-root\" href=\"";

    /**
     * The root's link in an entry page exactly as {@link #write} writes it, read without an HTML
     * parser (a search that starts at a tree's folder then never loads one); null for any other
     * page, a page holding a {@code <distree>} element, or a link with a character reference
     * other than those {@link #write} makes: those are for the parser.
     */
    static @Nullable String writtenRootHref(String html) {
        if (!html.startsWith(WRITTEN_HEAD)
                || html.toLowerCase(java.util.Locale.ROOT).contains("<distree")) {
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
