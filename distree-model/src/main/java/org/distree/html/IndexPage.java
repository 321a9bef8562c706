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
 */
public final class IndexPage {
    private IndexPage() {}

    /** The page for a tree whose root is at {@code rootHref}. */
    public static byte[] write(String rootHref, Node root) {
        StringBuilder out = new StringBuilder(1024);
        String href = escape(rootHref);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>Distree index</title>")
                .append("<link rel=\"distree-root\" href=\"").append(href).append("\">");
        if (root.analyzer() != null) {
            out.append("<meta name=\"distree-analyzer\" content=\"")
                    .append(escape(root.analyzer())).append("\">");
        }
        out.append("</head><body>\n<h1>Distree index</h1>\n<p>")
                .append(String.format(Locale.ROOT, "%,d", root.size()))
                .append(" entries in a tree of height ").append(root.height())
                .append(". <a rel=\"distree-root\" href=\"").append(href)
                .append("\">Start at the root</a> and follow the links whose key range holds"
                        + " the word you want.</p>\n</body></html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The root's link in an entry page, or null when the page has none. */
    public static @Nullable String rootHref(String html) {
        Document doc = Jsoup.parse(html);
        Element e = doc.selectFirst("link[rel=distree-root][href], a[rel=distree-root][href]");
        return e == null ? null : e.attr("href");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
