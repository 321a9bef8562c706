package org.distree.site;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.analysis.KeyAnalyzer;
import org.distree.model.Entry;

/**
 * One page of a site, as indexed: where it lives, what it is called, a short snippet, its words
 * and the digest of its bytes.
 *
 * @param path the file's path relative to the site folder, with {@code /} separators
 * @param link the page's public URL (the site's base URL joined with the path)
 * @param title the page's title (its {@code <title>}, else its first heading, else its path)
 * @param snippet a short text shown under the title in results
 * @param text the page's visible text (title and body), which its keys are made from: its words
 *     as jsoup's {@code text()} has them, its whitespace as the page has it (see {@code PageText})
 * @param headings the text of the body's headings ({@code h1} to {@code h6}), one a line: a
 *     word there counts more towards the page's score for it (see {@code Relevance})
 * @param digest {@code sha256-} and the base64 SHA-256 of the file's bytes (the form of an HTML
 *     {@code integrity} attribute)
 */
public record Page(
        String path,
        String link,
        String title,
        String snippet,
        String text,
        String headings,
        String digest) {

    /** The entries of this page: one per distinct key of its text. */
    public List<Entry> entries(KeyAnalyzer analyzer) {
        List<String> keys = analyzer.keys(text);
        List<Entry> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            out.add(entry(key));
        }
        return out;
    }

    /** This page's entry for {@code key}: its link, title, snippet and digest. */
    public Entry entry(String key) {
        return new Entry(key, target());
    }

    /** What this page's entries lead to, as its record holds it: link, title, snippet, digest. */
    public Entry.Target target() {
        return new Entry.Target(link, title, snippet, digest, Map.of());
    }
}
