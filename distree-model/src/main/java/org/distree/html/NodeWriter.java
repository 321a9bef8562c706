package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * Writes nodes as HTML pages in the format of docs/FORMAT.md, and measures them.
 *
 * <p>This class is the one place that knows how many bytes a node takes: {@link #byteSize} is
 * exactly the length of {@link #write} for a file holding that node alone, and is the sum of
 * {@link #fixedBytes} and {@link #itemBytes} over the items, so a splitter can measure items one
 * at a time. The visible text repeats the fields for a person; readers ignore it.
 *
 * <pre>
 * page  = HEAD + block(node) + block(orphan)* + TAIL
 * block = "&lt;distree …&gt;" + summary + "&lt;ol&gt;" + item* + "&lt;/ol&gt;&lt;/distree&gt;"
 * </pre>
 */
public final class NodeWriter {
    /** Code points of a key shown in a child item's visible text; longer keys are cut. */
    static final int SHOWN_KEY_CHARS = 12;

    private static final String TAIL = "</body></html>\n";

    private NodeWriter() {}

    /** The page for a file, as UTF-8 bytes. */
    public static byte[] write(NodeFile file) {
        return render(file).getBytes(StandardCharsets.UTF_8);
    }

    /** The page for a file, as text. */
    public static String render(NodeFile file) {
        StringBuilder out = new StringBuilder(12 * 1024);
        out.append(head(file.node()));
        block(out, file.node());
        for (Node orphan : file.orphans()) {
            block(out, orphan);
        }
        return out.append(TAIL).toString();
    }

    /** The bytes of a file holding {@code node} alone: the measure of the 10 KB rule. */
    public static int byteSize(Node node) {
        int bytes = fixedBytes(node);
        if (node.isLeaf()) {
            for (Entry e : node.entries()) {
                bytes += itemBytes(e);
            }
        } else {
            for (ChildRef c : node.children()) {
                bytes += itemBytes(c);
            }
        }
        return bytes;
    }

    /** The bytes of a file holding {@code node} alone, not counting its items. */
    public static int fixedBytes(Node node) {
        StringBuilder out = new StringBuilder(1024);
        out.append(head(node));
        openBlock(out, node);
        closeBlock(out);
        out.append(TAIL);
        return Keys.utf8Length(out.toString());
    }

    /** The bytes one entry takes in a leaf. */
    public static int itemBytes(Entry e) {
        StringBuilder out = new StringBuilder(256);
        entry(out, e);
        return Keys.utf8Length(out.toString());
    }

    /** The bytes one child item takes in an internal node. */
    public static int itemBytes(ChildRef c) {
        StringBuilder out = new StringBuilder(256);
        child(out, c);
        return Keys.utf8Length(out.toString());
    }

    /** Formats an instant as the format writes it: UTC, whole seconds. */
    public static String instant(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The visible name of a range, such as "apple – banana" or "start – banana". */
    public static String rangeText(Range r, int maxChars) {
        return boundText(r.low(), "start", maxChars) + " – " + boundText(r.high(), "end", maxChars);
    }

    private static String boundText(@Nullable Bound b, String none, int maxChars) {
        return b == null ? none : Keys.abbreviate(b.key(), maxChars);
    }

    private static String head(Node node) {
        StringBuilder out = new StringBuilder(256);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>distree ")
                .append(node.isLeaf() ? "leaf" : "node")
                .append(' ');
        text(out, rangeText(node.range(), 24));
        out.append("</title></head><body>\n");
        return out.toString();
    }

    private static void block(StringBuilder out, Node node) {
        openBlock(out, node);
        if (node.isLeaf()) {
            for (Entry e : node.entries()) {
                entry(out, e);
            }
        } else {
            for (ChildRef c : node.children()) {
                child(out, c);
            }
        }
        closeBlock(out);
    }

    private static void openBlock(StringBuilder out, Node node) {
        out.append("<distree version=\"").append(node.version()).append('"');
        out.append(" height=\"").append(node.height()).append('"');
        if (node.id() != null) {
            attr(out, "id", node.id());
        }
        bound(out, "", "low", node.range().low());
        bound(out, "", "high", node.range().high());
        out.append(" size=\"").append(node.size()).append('"');
        attr(out, "updated", instant(node.updated()));
        if (node.analyzer() != null) {
            attr(out, "analyzer", node.analyzer());
        }
        extra(out, node.extra());
        out.append(">\n<p>");
        if (node.id() != null) {
            out.append("Copy of a moved node. ");
        }
        out.append(node.isLeaf() ? "Leaf" : "Height " + node.height())
                .append(", ")
                .append(node.size())
                .append(node.size() == 1 ? " entry" : " entries")
                .append(", keys ");
        text(out, rangeText(node.range(), 24));
        out.append(".</p>\n<ol>\n");
    }

    private static void closeBlock(StringBuilder out) {
        out.append("</ol>\n</distree>\n");
    }

    private static void entry(StringBuilder out, Entry e) {
        out.append("<li");
        attr(out, "data-key", e.key());
        if (e.digest() != null) {
            attr(out, "data-digest", e.digest());
        }
        extra(out, e.extra());
        out.append("><a");
        attr(out, "href", e.link());
        out.append('>');
        text(out, e.displayTitle());
        out.append("</a>");
        if (!e.comment().isEmpty()) {
            out.append(' ');
            text(out, e.comment());
        }
        out.append("</li>\n");
    }

    private static void child(StringBuilder out, ChildRef c) {
        out.append("<li><a");
        attr(out, "href", c.href());
        bound(out, "data-", "low", c.range().low());
        bound(out, "data-", "high", c.range().high());
        out.append(" data-height=\"").append(c.height()).append('"');
        out.append(" data-size=\"").append(c.size()).append('"');
        if (c.checked() != null) {
            attr(out, "data-checked", instant(c.checked()));
        }
        attr(out, "data-status", c.status().attribute());
        extra(out, c.extra());
        out.append('>');
        text(out, rangeText(c.range(), SHOWN_KEY_CHARS));
        out.append("</a> ").append(c.size()).append("</li>\n");
    }

    private static void bound(StringBuilder out, String prefix, String name, @Nullable Bound b) {
        if (b != null) {
            attr(out, prefix + name, b.key());
            if (!b.link().isEmpty()) {
                attr(out, prefix + name + "-link", b.link());
            }
        }
    }

    private static void extra(StringBuilder out, Map<String, String> extra) {
        for (Map.Entry<String, String> a : new TreeMap<>(extra).entrySet()) {
            attr(out, a.getKey(), a.getValue());
        }
    }

    private static void attr(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    private static void text(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
    }
}
