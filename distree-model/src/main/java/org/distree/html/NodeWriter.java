package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * at a time. An entry's bytes depend on the entry before it in the same leaf ({@link
 * #itemBytes(Entry, Entry)}): record entries of one key share one item, a record list (format
 * version 2), so the first of them carries the item's start and end and each later one only its
 * link. The visible text repeats the fields for a person; readers ignore it.
 *
 * <pre>
 * page  = HEAD + block(node) + block(orphan)* + TAIL
 * block = "&lt;distree …&gt;" + summary + "&lt;ol&gt;" + item* + "&lt;/ol&gt;&lt;/distree&gt;"
 * record list = "&lt;li data-key=K data-records&gt;K: " + link + (" " + link)* + "&lt;/li&gt;"
 * </pre>
 */
public final class NodeWriter {
    /** Code points of a key shown in a child item's visible text; longer keys are cut. */
    static final int SHOWN_KEY_CHARS = 12;

    private static final String TAIL = "</body></html>\n";

    /**
     * Where a thread renders pages before copying each out at its exact size: 32 KB to start
     * (a node holding itself alone is at most 10 KB), kept up to 1 MB if a file with orphan
     * copies grew it. A bulk build of 11,000 files made and grew 290 MB of arrays without it.
     */
    private static final ThreadLocal<byte[]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    private static final int MAX_SCRATCH_BYTES = 1 << 20;

    private NodeWriter() {}

    /** The page for a file, as UTF-8 bytes. */
    public static byte[] write(NodeFile file) {
        return writeMeasured(file).page();
    }

    /**
     * A file's page and the measure of its node: {@code nodeBytes} is {@link #byteSize} of the
     * file's node, the page's length without its orphan copies' blocks (a page is its head, the
     * node's block, the copies' blocks and its tail), so a writer renders a file once to both
     * write it and check the 10 KB rule.
     */
    public static final class Measured {
        private final byte[] page;
        private final int nodeBytes;

        Measured(byte[] page, int nodeBytes) {
            this.page = page;
            this.nodeBytes = nodeBytes;
        }

        /** The page; the caller owns the array (it is not copied). */
        public byte[] page() {
            return page;
        }

        /** {@link #byteSize} of the file's node: the measure of the 10 KB rule. */
        public int nodeBytes() {
            return nodeBytes;
        }
    }

    /** The page for a file, with its node's measure; see {@link Measured}. */
    public static Measured writeMeasured(NodeFile file) {
        byte[] scratch = SCRATCH.get();
        HtmlOut out = new HtmlOut(scratch);
        head(out, file.node());
        block(out, file.node());
        int nodeEnd = out.bytes;
        for (Node orphan : file.orphans()) {
            block(out, orphan);
        }
        out.raw(TAIL);
        byte[] grown = out.buffer();
        if (grown != null && grown != scratch && grown.length <= MAX_SCRATCH_BYTES) {
            SCRATCH.set(grown); // a file with orphan copies: keep the room for the next one
        }
        byte[] page = out.toBytes();
        return new Measured(page, nodeEnd + TAIL_BYTES);
    }

    private static final int TAIL_BYTES = TAIL.getBytes(StandardCharsets.UTF_8).length;

    /**
     * The {@code <distree>} block of {@code node} alone, from its start tag to the line break after
     * its end tag, exactly as {@link #write} renders it inside a page: what an entry page holds as
     * the root's copy ({@link IndexPage}).
     */
    public static String block(Node node) {
        HtmlOut out = new HtmlOut(new byte[4096]);
        block(out, node);
        return new String(out.toBytes(), StandardCharsets.UTF_8);
    }

    /** The page for a file, as text: {@link #write} decoded. */
    public static String render(NodeFile file) {
        return new String(write(file), StandardCharsets.UTF_8);
    }

    /** The bytes of a file holding {@code node} alone: the measure of the 10 KB rule. */
    public static int byteSize(Node node) {
        int bytes = fixedBytes(node);
        if (node.isLeaf()) {
            Entry prev = null;
            for (Entry e : node.entries()) {
                bytes += itemBytes(prev, e);
                prev = e;
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
        HtmlOut out = new HtmlOut(null);
        head(out, node);
        openBlock(out, node);
        closeBlock(out);
        out.raw(TAIL);
        return out.bytes;
    }

    /** The bytes one entry takes in a leaf as its first item (or after another key's). */
    public static int itemBytes(Entry e) {
        return itemBytes(null, e);
    }

    /**
     * The bytes {@code e} adds to a leaf right after {@code prev} (null: first in the leaf). A
     * record entry after one of the same key adds only its link to that entry's record list;
     * otherwise an entry takes a whole item.
     */
    public static int itemBytes(@Nullable Entry prev, Entry e) {
        return EntryItems.itemBytes(prev, e);
    }

    /** The bytes one child item takes in an internal node. */
    public static int itemBytes(ChildRef c) {
        HtmlOut out = new HtmlOut(null);
        child(out, c);
        return out.bytes;
    }

    /** Formats an instant as the format writes it: UTC, whole seconds. */
    public static String instant(Instant t) {
        // Most instants of a tree are the same few (a build's "now"): the last one is kept.
        Instant second = t.truncatedTo(ChronoUnit.SECONDS);
        FormattedInstant last = lastInstant;
        if (last != null && last.at.equals(second)) {
            return last.text;
        }
        String text = second.toString();
        lastInstant = new FormattedInstant(second, text);
        return text;
    }

    private record FormattedInstant(Instant at, String text) {}

    private static volatile @Nullable FormattedInstant lastInstant;

    /** The visible name of a range, such as "apple – banana" or "start – banana". */
    public static String rangeText(Range r, int maxChars) {
        return boundText(r.low(), "start", maxChars) + " – " + boundText(r.high(), "end", maxChars);
    }

    private static String boundText(@Nullable Bound b, String none, int maxChars) {
        return b == null ? none : Keys.abbreviate(b.key(), maxChars);
    }

    private static void head(HtmlOut out, Node node) {
        out.raw("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>distree ");
        out.raw(node.isLeaf() ? "leaf " : "node ");
        out.text(rangeText(node.range(), 24));
        out.raw("</title></head><body>\n");
    }

    private static void block(HtmlOut out, Node node) {
        openBlock(out, node);
        if (node.isLeaf()) {
            EntryItems.items(out, node.entries());
        } else {
            for (ChildRef c : node.children()) {
                child(out, c);
            }
        }
        closeBlock(out);
    }

    private static void openBlock(HtmlOut out, Node node) {
        out.raw("<distree version=\"")
                .num(node.version())
                .raw("\" height=\"")
                .num(node.height())
                .raw("\"");
        if (node.id() != null) {
            out.attr("id", node.id());
        }
        bound(out, "", "low", node.range().low());
        bound(out, "", "high", node.range().high());
        out.raw(" size=\"").num(node.size()).raw("\"");
        out.attr("updated", instant(node.updated()));
        if (node.analyzer() != null) {
            out.attr("analyzer", node.analyzer());
        }
        out.attrs(node.extra());
        out.raw(">\n<p>");
        if (node.id() != null) {
            out.raw("Copy of a moved node. ");
        }
        out.raw(node.isLeaf() ? "Leaf" : "Height " + node.height())
                .raw(", ")
                .num(node.size())
                .raw(node.size() == 1 ? " entry" : " entries")
                .raw(", keys ");
        out.text(rangeText(node.range(), 24));
        out.raw(".</p>\n<ol>\n");
    }

    private static void closeBlock(HtmlOut out) {
        out.raw("</ol>\n</distree>\n");
    }

    /** The attribute that makes a leaf item a record list (format version 2). */
    public static final String RECORDS = "data-records";

    /**
     * The attribute of a plain entry's item that holds its score (since 2026-12-05); on a record
     * entry's link it held the score in version 2 as first written, still read there, no longer
     * written ({@link #SCORES}).
     */
    public static final String SCORE = "data-score";

    /**
     * The attribute of a record list that holds its entries' scores, one whole number a link, in
     * the links' order, separated by single spaces, {@code 0} for a link without one (format
     * version 2, since 2026-12-05).
     */
    public static final String SCORES = "data-scores";

    private static void child(HtmlOut out, ChildRef c) {
        out.raw("<li><a");
        out.attr("href", c.href());
        bound(out, "data-", "low", c.range().low());
        bound(out, "data-", "high", c.range().high());
        out.raw(" data-height=\"")
                .num(c.height())
                .raw("\" data-size=\"")
                .num(c.size())
                .raw("\"");
        if (c.checked() != null) {
            out.attr("data-checked", instant(c.checked()));
        }
        out.attr("data-status", c.status().attribute());
        out.attrs(c.extra());
        out.raw(">")
                .text(rangeText(c.range(), SHOWN_KEY_CHARS))
                .raw("</a> ")
                .num(c.size())
                .raw("</li>\n");
    }

    private static void bound(HtmlOut out, String prefix, String name, @Nullable Bound b) {
        if (b != null) {
            out.attr(prefix + name, b.key());
            if (!b.link().isEmpty()) {
                out.attr(prefix + name + "-link", b.link());
            }
        }
    }
}
