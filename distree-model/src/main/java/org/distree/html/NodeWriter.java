package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

    /**
     * Sets of two slots in {@link #RENDERED} (a power of two): 4,096 targets, about 2 MB at
     * most; a site of 1,200 pages has few sets with a third target.
     */
    private static final int RENDERED_SETS = 2048;

    /**
     * An entry's item without its key: the attributes after {@code data-key} and the {@code >},
     * then what follows the visible key ({@code ": <a href…>title</a> comment</li>"}); null
     * until the target is seen a second time.
     */
    private static final class Rendered {
        final Entry.Target target;
        final byte @Nullable [] attrs;
        final byte @Nullable [] rest;

        Rendered(Entry.Target target, byte @Nullable [] attrs, byte @Nullable [] rest) {
            this.target = target;
            this.attrs = attrs;
            this.rest = rest;
        }
    }

    /**
     * Targets seen lately, placed and found by identity, with their rendering once seen twice: the
     * entries of a page share one target (see {@link Entry#withKey}), so a bulk build renders a
     * page's target once rather than once a word, and entries that share nothing (parsed from a
     * file) cost one small object each. Slots are overwritten freely; their objects have only
     * final fields, so threads may share the table without locks.
     */
    private static final @Nullable Rendered[] RENDERED = new Rendered[2 * RENDERED_SETS];

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
        Out out = new Out(scratch);
        head(out, file.node());
        block(out, file.node());
        int nodeEnd = out.bytes;
        for (Node orphan : file.orphans()) {
            block(out, orphan);
        }
        out.raw(TAIL);
        byte[] grown = out.buf;
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
        Out out = new Out(new byte[4096]);
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
        Out out = new Out(null);
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
        Out out = new Out(null);
        if (e.isRecord()) {
            boolean more = continues(prev, e);
            recordEntry(out, more, e, !more, more ? null : Integer.toString(e.score()));
            if (more) {
                out.bytes += 1 + digits(e.score()); // " S" in the list's data-scores
            }
        } else {
            entry(out, e);
        }
        return out.bytes;
    }

    /** True when record entry {@code e} joins the record list of {@code prev}. */
    private static boolean continues(@Nullable Entry prev, Entry e) {
        return prev != null && prev.isRecord() && e.isRecord() && prev.key().equals(e.key());
    }

    /** The bytes one child item takes in an internal node. */
    public static int itemBytes(ChildRef c) {
        Out out = new Out(null);
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

    private static void head(Out out, Node node) {
        out.raw("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>distree ");
        out.raw(node.isLeaf() ? "leaf " : "node ");
        out.text(rangeText(node.range(), 24));
        out.raw("</title></head><body>\n");
    }

    private static void block(Out out, Node node) {
        openBlock(out, node);
        if (node.isLeaf()) {
            List<Entry> entries = node.entries();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.isRecord()) {
                    boolean more = i > 0 && continues(entries.get(i - 1), e);
                    boolean last = i + 1 == entries.size() || !continues(e, entries.get(i + 1));
                    recordEntry(out, more, e, last, more ? null : listScores(entries, i));
                } else {
                    entry(out, e);
                }
            }
        } else {
            for (ChildRef c : node.children()) {
                child(out, c);
            }
        }
        closeBlock(out);
    }

    private static void openBlock(Out out, Node node) {
        out.raw("<distree version=\"")
                .num(node.version())
                .raw("\" height=\"")
                .num(node.height())
                .raw("\"");
        if (node.id() != null) {
            attr(out, "id", node.id());
        }
        bound(out, "", "low", node.range().low());
        bound(out, "", "high", node.range().high());
        out.raw(" size=\"").num(node.size()).raw("\"");
        attr(out, "updated", instant(node.updated()));
        if (node.analyzer() != null) {
            attr(out, "analyzer", node.analyzer());
        }
        extra(out, node.extra());
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

    private static void closeBlock(Out out) {
        out.raw("</ol>\n</distree>\n");
    }

    private static void entry(Out out, Entry e) {
        RenderedKey key = renderedKey(e.key());
        out.bytes(key.start);
        Entry.Target t = e.target();
        byte[][] rendered = rendered(t);
        if (rendered != null) {
            out.bytes(rendered[0]).bytes(key.shown).bytes(rendered[1]);
        } else {
            targetAttrs(out, t);
            out.bytes(key.shown);
            targetRest(out, t);
        }
    }

    /**
     * A record entry: the start of a record list ({@code <li data-key="…" data-records
     * data-scores="…">key: }, with {@code scores} the list's {@value #SCORES}) unless it
     * continues one ({@code more}), its link, and the list's end when it is the {@code last} of
     * its key. Measured ({@link #itemBytes(Entry, Entry)}), the first entry of a list carries the
     * list's start (with its own score) and end, a later one a space, its link, and a space and
     * its score in the list's start.
     */
    private static void recordEntry(
            Out out, boolean more, Entry e, boolean last, @Nullable String scores) {
        if (more) {
            out.raw(" ");
        } else {
            RenderedKey key = renderedKey(e.key());
            out.bytes(key.start).raw(" ").raw(RECORDS);
            out.raw(" " + SCORES + "=\"").raw(scores == null ? "" : scores).raw("\"");
            out.raw(">").bytes(key.shown).raw(": ");
        }
        out.raw("<a");
        attr(out, "href", e.link());
        out.raw(">").text(e.displayTitle()).raw("</a>");
        if (last) {
            out.raw("</li>\n");
        }
    }

    /**
     * The scores of the record list that starts at {@code from}, in its order, separated by
     * spaces: 0 for an entry without one.
     */
    private static String listScores(List<Entry> entries, int from) {
        StringBuilder sb = new StringBuilder();
        sb.append(entries.get(from).score());
        for (int k = from + 1;
                k < entries.size() && continues(entries.get(k - 1), entries.get(k));
                k++) {
            sb.append(' ').append(entries.get(k).score());
        }
        return sb.toString();
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
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

    /**
     * An entry's key as written: the start of its item ({@code <li data-key="…"}) and the key as
     * shown before the link.
     */
    private static final class RenderedKey {
        final String key;
        final byte[] start;
        final byte[] shown;

        RenderedKey(String key, byte[] start, byte[] shown) {
            this.key = key;
            this.start = start;
            this.shown = shown;
        }
    }

    /**
     * The last key rendered: entries come in key order, so most follow an entry with the same
     * key (a site's word has an entry for each page holding it). Immutable, so threads may share
     * it without locks.
     */
    private static volatile @Nullable RenderedKey lastKey;

    private static RenderedKey renderedKey(String key) {
        RenderedKey last = lastKey;
        if (last != null && last.key.equals(key)) {
            return last;
        }
        Out start = new Out(new byte[128]);
        start.raw("<li");
        attr(start, "data-key", key);
        Out shown = new Out(new byte[64]);
        shown.text(shownKey(key));
        RenderedKey r = new RenderedKey(key, start.toBytes(), shown.toBytes());
        lastKey = r;
        return r;
    }

    /**
     * The rendering of a target seen before ({@link #RENDERED}): its attributes and its rest,
     * or null the first time.
     */
    @SuppressWarnings("ReferenceEquality") // a cache by identity, on purpose
    private static byte @Nullable [][] rendered(Entry.Target t) {
        // Two slots a set, the one used last first: a third target pushes out the older.
        int slot = 2 * (System.identityHashCode(t) & (RENDERED_SETS - 1));
        Rendered r = RENDERED[slot];
        // By identity: equal targets that are not the same object (entries parsed from files)
        // would cost a comparison of every field for nothing, as they are seldom seen twice.
        if (r == null || t != r.target) {
            Rendered other = RENDERED[slot + 1];
            RENDERED[slot + 1] = r;
            if (other == null || t != other.target) {
                RENDERED[slot] = new Rendered(t, null, null);
                return null;
            }
            r = other;
            RENDERED[slot] = r;
        }
        byte[] attrs = r.attrs;
        byte[] rest = r.rest;
        if (attrs == null || rest == null) {
            Out a = new Out(new byte[256]);
            targetAttrs(a, t);
            Out z = new Out(new byte[512]);
            targetRest(z, t);
            attrs = a.toBytes();
            rest = z.toBytes();
            RENDERED[slot] = new Rendered(t, attrs, rest);
        }
        return new byte[][] {attrs, rest};
    }

    /** The key as an entry shows it, before the link, for a person browsing. */
    private static String shownKey(String key) {
        return Keys.abbreviate(key, SHOWN_KEY_CHARS);
    }

    /** An entry's attributes after its key, and the end of its start tag. */
    private static void targetAttrs(Out out, Entry.Target t) {
        if (t.digest() != null) {
            attr(out, "data-digest", t.digest());
        }
        if (t.score() != 0) {
            out.raw(" " + SCORE + "=\"").num(t.score()).raw("\"");
        }
        extra(out, t.extra());
        out.raw(">");
    }

    /** What follows the visible key: the link with its title, and the comment. */
    private static void targetRest(Out out, Entry.Target t) {
        out.raw(": <a");
        attr(out, "href", t.link());
        out.raw(">").text(t.displayTitle()).raw("</a>");
        if (!t.comment().isEmpty()) {
            out.raw(" ").text(t.comment());
        }
        out.raw("</li>\n");
    }

    private static void child(Out out, ChildRef c) {
        out.raw("<li><a");
        attr(out, "href", c.href());
        bound(out, "data-", "low", c.range().low());
        bound(out, "data-", "high", c.range().high());
        out.raw(" data-height=\"")
                .num(c.height())
                .raw("\" data-size=\"")
                .num(c.size())
                .raw("\"");
        if (c.checked() != null) {
            attr(out, "data-checked", instant(c.checked()));
        }
        attr(out, "data-status", c.status().attribute());
        extra(out, c.extra());
        out.raw(">")
                .text(rangeText(c.range(), SHOWN_KEY_CHARS))
                .raw("</a> ")
                .num(c.size())
                .raw("</li>\n");
    }

    private static void bound(Out out, String prefix, String name, @Nullable Bound b) {
        if (b != null) {
            attr(out, prefix + name, b.key());
            if (!b.link().isEmpty()) {
                attr(out, prefix + name + "-link", b.link());
            }
        }
    }

    private static void extra(Out out, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> a : new TreeMap<>(extra).entrySet()) {
            attr(out, a.getKey(), a.getValue());
        }
    }

    private static void attr(Out out, String name, String value) {
        out.raw(" ").raw(name).raw("=\"").attrValue(value).raw("\"");
    }

    /**
     * Where output goes: UTF-8 bytes into an array, or only counted (so measuring a node never
     * builds its bytes): {@link Keys#utf8Length} and the escapes, which the tests compare with the
     * bytes written on every kind of character. A lone surrogate is one byte, {@code ?}, as
     * {@link String#getBytes} and {@link Keys#utf8Length} have it.
     * The bytes are encoded here rather than by a StringBuilder and then {@code getBytes}: one
     * pass instead of two, and a page with one non-Latin-1 character (the range's dash) is not
     * held as UTF-16.
     */
    private static final class Out {
        private static final int RAW = 0;
        private static final int ATTRIBUTE = 1;
        private static final int TEXT = 2;
        private static final byte[] AMP = ascii("&amp;");
        private static final byte[] QUOT = ascii("&quot;");
        private static final byte[] LT = ascii("&lt;");
        private static final byte[] GT = ascii("&gt;");

        /** Where a thread copies the characters of a string it puts (see {@link #put}). */
        private static final ThreadLocal<char[]> CHARS =
                ThreadLocal.withInitial(() -> new char[1024]);

        private static final int MAX_SCRATCH_CHARS = 1 << 16;

        private byte @Nullable [] buf;
        private char @Nullable [] chars;
        /** Bytes written or counted. */
        int bytes;

        Out(byte @Nullable [] buf) {
            this.buf = buf;
        }

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }

        Out raw(String s) {
            return put(s, RAW);
        }

        /** Bytes already encoded and escaped. */
        Out bytes(byte[] encoded) {
            if (buf != null) {
                System.arraycopy(encoded, 0, room(encoded.length), bytes, encoded.length);
            }
            bytes += encoded.length;
            return this;
        }

        Out num(long n) {
            if (n >= 0 && n < 10) {
                if (buf != null) {
                    room(1);
                    buf[bytes] = (byte) ('0' + n);
                }
                bytes++;
                return this;
            }
            return put(Long.toString(n), RAW);
        }

        /** An attribute value: escapes {@code &} and {@code "}. */
        Out attrValue(String v) {
            return put(v, ATTRIBUTE);
        }

        /** Text content: escapes {@code &}, {@code <} and {@code >}. */
        Out text(String v) {
            return put(v, TEXT);
        }

        private Out put(String v, int mode) {
            int n = v.length();
            byte[] b = buf;
            if (b == null) {
                bytes += count(v, mode);
                return this;
            }
            char[] cs = chars(n);
            v.getChars(0, n, cs, 0); // a loop over an array: charAt costs calls per character
            if (b.length - bytes < 6 * n) { // at most 6 bytes a char: "&quot;"
                b = room(6 * n);
            }
            int at = bytes;
            for (int i = 0; i < n; i++) {
                char c = cs[i];
                if (c < 0x80) {
                    // Nothing above '>' is escaped: most text passes this first test.
                    byte[] escape = c > '>' || mode == RAW ? null : escape(c, mode);
                    if (escape == null) {
                        b[at++] = (byte) c;
                    } else {
                        System.arraycopy(escape, 0, b, at, escape.length);
                        at += escape.length;
                    }
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xC0 | c >> 6);
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c)
                        && i + 1 < n
                        && Character.isLowSurrogate(cs[i + 1])) {
                    int cp = Character.toCodePoint(c, cs[++i]);
                    b[at++] = (byte) (0xF0 | cp >> 18);
                    b[at++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                    b[at++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                    b[at++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    b[at++] = '?';
                } else {
                    b[at++] = (byte) (0xE0 | c >> 12);
                    b[at++] = (byte) (0x80 | (c >> 6 & 0x3F));
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            bytes = at;
            return this;
        }

        /**
         * The bytes {@link #put} writes for {@code v}. Reads the string itself: a measure is
         * made for each item, and fetching a thread's scratch array for each cost more than the
         * count.
         */
        private static int count(String v, int mode) {
            int extra = 0;
            if (mode != RAW) {
                for (int i = 0, n = v.length(); i < n; i++) {
                    char c = v.charAt(i);
                    if (c <= '>') {
                        byte[] escape = escape(c, mode);
                        if (escape != null) {
                            extra += escape.length - 1;
                        }
                    }
                }
            }
            return Keys.utf8Length(v) + extra;
        }

        /** A scratch array of at least {@code n} chars, this thread's. */
        private char[] chars(int n) {
            char[] cs = chars;
            if (cs == null || cs.length < n) {
                cs = CHARS.get();
                if (cs.length < n) {
                    cs = new char[Math.max(n, 2 * cs.length)];
                    if (cs.length <= MAX_SCRATCH_CHARS) {
                        CHARS.set(cs);
                    }
                }
                chars = cs;
            }
            return cs;
        }

        private static byte @Nullable [] escape(char c, int mode) {
            return switch (c) {
                case '&' -> mode == RAW ? null : AMP;
                case '"' -> mode == ATTRIBUTE ? QUOT : null;
                case '<' -> mode == TEXT ? LT : null;
                case '>' -> mode == TEXT ? GT : null;
                default -> null;
            };
        }

        /** The array, grown if needed to take {@code more} bytes. */
        private byte[] room(int more) {
            byte[] b = buf;
            if (b == null) {
                throw new IllegalStateException("a counting Out has no room");
            }
            if (b.length - bytes < more) {
                b = java.util.Arrays.copyOf(b, Math.max(2 * b.length, bytes + more));
                buf = b;
            }
            return b;
        }

        byte[] toBytes() {
            return java.util.Arrays.copyOf(room(0), bytes);
        }
    }
}
