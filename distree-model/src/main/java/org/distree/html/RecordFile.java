package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Page records (docs/FORMAT.md, version 2): one HTML file that holds what the record entries
 * naming it lead to, once for all of them: a link, its title, a comment and a digest. A leaf's
 * record list links it ({@code ../p/1a.html}); a reader that shows a result fetches it.
 *
 * <pre>
 * &lt;distree-record version="2" data-digest="sha256-…"&gt;&lt;a href="LINK"&gt;TITLE&lt;/a&gt; COMMENT&lt;/distree-record&gt;
 * </pre>
 *
 * The link is resolved against the record file's URL, as every link. Files over {@link
 * NodeReader#DEFAULT_MAX_BYTES} and bytes that are not UTF-8 are refused.
 */
public final class RecordFile {
    /** The element that holds a record. */
    public static final String ELEMENT = "distree-record";

    private RecordFile() {}

    /** The file for {@code target} (a target that is not itself a record link). */
    public static byte[] write(Entry.Target target) {
        if (target.record()) {
            throw new IllegalArgumentException("a record holds a page's target, not a record link");
        }
        StringBuilder sb = new StringBuilder(512);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>");
        text(sb, target.displayTitle());
        sb.append("</title></head><body>\n<").append(ELEMENT).append(" version=\"2\"");
        if (target.digest() != null) {
            sb.append(" data-digest=\"");
            attr(sb, target.digest());
            sb.append('"');
        }
        sb.append("><a href=\"");
        attr(sb, target.link());
        sb.append("\">");
        text(sb, target.displayTitle());
        sb.append("</a>");
        if (!target.comment().isEmpty()) {
            sb.append(' ');
            text(sb, target.comment());
        }
        sb.append("</").append(ELEMENT).append(">\n</body></html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a record file's target: its link as written (relative links stay relative). */
    public static Entry.Target read(byte[] bytes, String name) throws NodeFormatException {
        if (bytes.length > NodeReader.DEFAULT_MAX_BYTES) {
            throw new NodeFormatException(
                    name,
                    null,
                    "file",
                    String.format(
                            java.util.Locale.ROOT,
                            "%,d bytes, over the %,d byte read limit",
                            bytes.length,
                            NodeReader.DEFAULT_MAX_BYTES));
        }
        return parse(NodeReader.decodeUtf8(bytes, name), name);
    }

    /** Reads a record from page text. */
    public static Entry.Target parse(String html, String name) throws NodeFormatException {
        Document doc = Jsoup.parse(html);
        Element record = doc.selectFirst(ELEMENT);
        if (record == null) {
            throw new NodeFormatException(name, null, ELEMENT, "no <" + ELEMENT + "> element");
        }
        Element a = record.selectFirst("a[href]");
        if (a == null) {
            throw new NodeFormatException(name, null, "a", "a record needs a link (<a href>)");
        }
        String comment = NodeReader.textAfter(record, a);
        String digest = record.hasAttr("data-digest") ? record.attr("data-digest") : null;
        try {
            return new Entry.Target(a.attr("href"), a.text(), comment, digest, Map.of());
        } catch (IllegalArgumentException e) {
            throw new NodeFormatException(name, null, ELEMENT, String.valueOf(e.getMessage()));
        }
    }

    /**
     * The target with its link resolved against {@code recordUrl}, the URL the record came from.
     *
     * @throws NodeFormatException when the link does not resolve
     */
    public static Entry.Target resolved(Entry.Target target, java.net.URI recordUrl)
            throws NodeFormatException {
        String link;
        try {
            link = Links.resolve(recordUrl, target.link()).toString();
        } catch (IllegalArgumentException e) {
            throw new NodeFormatException(
                    recordUrl.toString(), null, "href", String.valueOf(e.getMessage()));
        }
        return new Entry.Target(
                link, target.title(), target.comment(), target.digest(), target.extra());
    }

    private static void text(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.append(c);
            }
        }
    }

    private static void attr(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
    }
}
