package org.distree.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.jspecify.annotations.Nullable;

/**
 * Reads a page exactly as {@link NodeWriter} writes it, without an HTML parser: the fast path of
 * {@link NodeReader#parse}. A tree's own files, and the files of every other Distree machine,
 * are in this form, so nearly every read takes this path; it reads a full leaf about five times
 * faster than building a document does (90 against 400 microseconds for a 10 KB leaf of the 1M
 * benchmark tree), which matters where a change reads hundreds of leaves.
 *
 * <p>It is strict rather than clever: it accepts the writer's layout and nothing else (the
 * head, each {@code <distree>} block, its summary, its list, each item's tags and text, the
 * tail), and gives up (null) at the first byte it does not expect, so that the HTML parser reads
 * that page instead. Where an HTML parser would change what it reads (a character reference other
 * than the four the writer makes, a control character, an attribute named twice, in upper case or
 * without a space before it, markup inside text), it gives up too. What it reads goes through
 * the same checks as the parser's result ({@link BlockReader#node}), so a page gives the same
 * node, or the same error, whichever reader read it; {@code CanonicalReaderTest} compares both
 * readers on generated nodes and on every cut and byte change of sample pages.
 */
final class CanonicalReader {
    private static final String HEAD = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width\"><title>distree ";
    private static final String HEAD_END = "</title></head><body>\n";
    private static final String TAIL = "</body></html>\n";
    private static final String BLOCK = "<distree";
    private static final String SUMMARY_END = "</p>\n<ol>\n";
    private static final String BLOCK_END = "</ol>\n</distree>\n";
    private static final String ITEM = "<li";
    private static final String ITEM_END = "</li>\n";
    private static final String LINK = "<a";
    private static final String LINK_END = "</a>";

    private final String s;
    private int at;

    private CanonicalReader(String s) {
        this.s = s;
    }

    /**
     * The file on this page, or null when the page is not exactly as the writer writes it (the
     * caller then parses it as HTML).
     *
     * @throws NodeFormatException if the page is in the writer's form but breaks a rule of the
     *     format (the same error the HTML parser's path gives)
     */
    static @Nullable NodeFile read(String html, String name) throws NodeFormatException {
        CanonicalReader r = new CanonicalReader(html);
        List<Node> nodes = r.nodes(name);
        return nodes == null ? null : NodeReader.file(nodes, name);
    }

    /**
     * The file made of {@code blocks}, {@code <distree>} blocks as the writer writes them inside
     * a page (an entry page's copy of the root: {@link IndexPage}), or null when they are not
     * exactly in that form.
     *
     * @throws NodeFormatException as {@link #read} does
     */
    static @Nullable NodeFile block(String blocks, String name) throws NodeFormatException {
        return read(HEAD + "copy" + HEAD_END + blocks + TAIL, name);
    }

    private @Nullable List<Node> nodes(String name) throws NodeFormatException {
        if (!s.startsWith(HEAD) || !s.endsWith(TAIL)) {
            return null;
        }
        at = HEAD.length();
        int headEnd = s.indexOf(HEAD_END, at);
        if (headEnd < 0 || !plainText(at, headEnd)) {
            return null;
        }
        at = headEnd + HEAD_END.length();
        List<Node> nodes = new ArrayList<>();
        while (s.startsWith(BLOCK, at)) {
            at += BLOCK.length();
            Attrs block = attrs();
            if (block == null || !expect(">\n<p>")) {
                return null;
            }
            int summaryEnd = s.indexOf(SUMMARY_END, at);
            if (summaryEnd < 0 || !plainText(at, summaryEnd)) {
                return null;
            }
            at = summaryEnd + SUMMARY_END.length();
            List<BlockReader.Item> items = new ArrayList<>();
            while (s.startsWith(ITEM, at)) {
                BlockReader.Item item = item();
                if (item == null) {
                    return null;
                }
                items.add(item);
            }
            if (!expect(BLOCK_END)) {
                return null;
            }
            nodes.add(BlockReader.node(block, name, nodes.isEmpty(), items));
        }
        return nodes.isEmpty() || at != s.length() - TAIL.length() ? null : nodes;
    }

    /**
     * An item: {@code <li …>}, then text and links ({@code <a …>text</a>}) in turn, then
     * {@code </li>} and a line break. An entry (no {@code data-records}, a {@code data-key})
     * holds one link.
     */
    private BlockReader.@Nullable Item item() {
        at += ITEM.length();
        Attrs li = attrs();
        if (li == null || !expect(">")) {
            return null;
        }
        List<BlockReader.Link> links = new ArrayList<>();
        // The text after the first link, each piece followed by a space as the parser's reader
        // has it (NodeReader.textAfter), less the blanks at its ends: the same once normalized,
        // as every use of it is, and an entry's comment is then already in normal form.
        List<String> after = new ArrayList<>();
        while (true) {
            int lt = s.indexOf('<', at);
            if (lt < 0) {
                return null;
            }
            String text = text(at, lt);
            if (text == null) {
                return null;
            }
            if (!links.isEmpty() && lt > at) {
                after.add(text);
            }
            at = lt;
            if (s.startsWith(ITEM_END, at)) {
                at += ITEM_END.length();
                break;
            }
            if (!s.startsWith(LINK, at)) {
                return null;
            }
            at += LINK.length();
            Attrs a = attrs();
            if (a == null || !expect(">")) {
                return null;
            }
            int end = s.indexOf(LINK_END, at);
            String label = end < 0 ? null : text(at, end);
            if (label == null || !a.has("href")) {
                return null;
            }
            if (!links.isEmpty()) {
                after.add(label);
            }
            links.add(new BlockReader.Link(a, label));
            at = end + LINK_END.length();
        }
        boolean entry = li.has("data-key") && !li.has(NodeWriter.RECORDS);
        if (entry && links.size() != 1) {
            return null; // the HTML parser's reading of text around extra links is its own
        }
        return new BlockReader.Item(li, links, trimSpaces(String.join(" ", after)));
    }

    /** The text without the spaces at its ends. */
    private static String trimSpaces(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        return text.substring(from, to);
    }

    /**
     * A start tag's attributes up to its {@code >} (not taken): each a space, a lower-case name
     * and, but for a bare name, {@code ="value"}; null for anything else.
     */
    private @Nullable Attrs attrs() {
        Map<String, String> all = new LinkedHashMap<>();
        while (at < s.length() && s.charAt(at) == ' ') {
            int start = ++at;
            while (at < s.length() && isNameChar(s.charAt(at))) {
                at++;
            }
            if (at == start) {
                return null;
            }
            String name = s.substring(start, at);
            String value = "";
            if (s.startsWith("=\"", at)) {
                int end = s.indexOf('"', at + 2);
                value = end < 0 ? null : decode(at + 2, end, false);
                if (value == null) {
                    return null;
                }
                at = end + 1;
            }
            if (all.put(name, value) != null) {
                return null; // named twice: the HTML parser's path names the error
            }
        }
        return at < s.length() && s.charAt(at) == '>' ? new Attrs(all) : null;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    private boolean expect(String literal) {
        if (!s.startsWith(literal, at)) {
            return false;
        }
        at += literal.length();
        return true;
    }

    /** True when {@code s[from, to)} is text the writer could have written (it is not kept). */
    private boolean plainText(int from, int to) {
        return text(from, to) != null;
    }

    /** Text content, decoded, or null where an HTML parser could read it otherwise. */
    private @Nullable String text(int from, int to) {
        return decode(from, to, true);
    }

    /**
     * Decodes the references the writer makes (amp and quot in attribute values; amp, lt and gt
     * in text, each written as an ampersand, the name and a semicolon); null on any other
     * reference, a control character other than a tab or a line feed (a carriage return, which
     * HTML parsers turn into a line feed), or a {@code <} in text.
     */
    private @Nullable String decode(int from, int to, boolean textMode) {
        StringBuilder out = null;
        int copied = from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n')
                    || (c >= 0x7F && c <= 0x9F)
                    || (textMode && c == '<')) {
                return null;
            }
            if (c != '&') {
                continue;
            }
            char decoded;
            int length;
            if (s.startsWith("&amp;", i)) {
                decoded = '&';
                length = 5;
            } else if (!textMode && s.startsWith("&quot;", i)) {
                decoded = '"';
                length = 6;
            } else if (textMode && s.startsWith("&lt;", i)) {
                decoded = '<';
                length = 4;
            } else if (textMode && s.startsWith("&gt;", i)) {
                decoded = '>';
                length = 4;
            } else {
                return null;
            }
            if (i + length > to) {
                return null;
            }
            if (out == null) {
                out = new StringBuilder(to - from);
            }
            out.append(s, copied, i).append(decoded);
            i += length - 1;
            copied = i + 1;
        }
        return out == null ? s.substring(from, to) : out.append(s, copied, to).toString();
    }

    /** A tag's attributes, read by this reader. */
    private record Attrs(Map<String, String> values) implements BlockReader.Tag {
        @Override
        public boolean has(String name) {
            return values.containsKey(name);
        }

        @Override
        public String attr(String name) {
            String v = values.get(name);
            return v == null ? "" : v;
        }

        @Override
        public Map<String, String> all() {
            return values;
        }
    }
}
