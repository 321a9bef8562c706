package org.distree.html;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.Parser;
import org.jspecify.annotations.Nullable;

/**
 * Reads node files: any HTML page holding one or more {@code <distree>} fragments (docs/FORMAT.md).
 *
 * <p>Extra tags and text around and inside the fragments are ignored. The first fragment is the
 * file's node; later ones are orphan copies and need an {@code id}. Unknown {@code data-*}
 * attributes are kept; other unknown attributes are ignored. Anything malformed is refused with
 * a {@link NodeFormatException} naming the file, fragment and field. Files are refused by their
 * size before parsing: the limit is {@value #DEFAULT_MAX_BYTES} bytes unless set.
 */
public final class NodeReader {
    /** Files larger than this are refused unread: 1 MiB, far above the 10 KB rule. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private static final Set<String> NODE_ATTRS = Set.of(
            "version",
            "height",
            "id",
            "low",
            "low-link",
            "high",
            "high-link",
            "size",
            "updated",
            "analyzer");
    private static final Set<String> ENTRY_ATTRS =
            Set.of("data-key", "data-digest", NodeWriter.SCORE, NodeWriter.RECORDS);
    private static final Set<String> CHILD_ATTRS = Set.of(
            "href",
            "data-low",
            "data-low-link",
            "data-high",
            "data-high-link",
            "data-height",
            "data-size",
            "data-checked",
            "data-status");

    /** Pages with this many HTML errors are refused: 10,000. */
    static final int MAX_PARSE_ERRORS = 10_000;

    /** The longest value of an unknown attribute that is kept, in UTF-8 bytes. */
    private static final int MAX_EXTRA_BYTES = 256;

    private NodeReader() {}

    /** Reads a file from disk, refusing it unread if it is over {@code maxBytes}. */
    public static NodeFile read(Path path, String name, int maxBytes)
            throws IOException, NodeFormatException {
        return read(readBytes(path, name, maxBytes), name);
    }

    /**
     * The bytes of a file on disk, refusing it unread if it is over {@code maxBytes} (the one
     * read limit check of a node file on disk).
     */
    public static byte[] readBytes(Path path, String name, int maxBytes)
            throws IOException, NodeFormatException {
        long size = Files.size(path);
        if (size > maxBytes) {
            throw overLimit(name, size, maxBytes);
        }
        return Files.readAllBytes(path);
    }

    /** The refusal of a file of {@code size} bytes over the read limit {@code maxBytes}. */
    private static NodeFormatException overLimit(String name, long size, long maxBytes) {
        return new NodeFormatException(
                name,
                null,
                "file",
                String.format(
                        Locale.ROOT, "%,d bytes, over the %,d byte read limit", size, maxBytes));
    }

    /** Reads UTF-8 bytes; bytes that are not UTF-8 are refused. */
    public static NodeFile read(byte[] bytes, String name) throws NodeFormatException {
        if (bytes.length > DEFAULT_MAX_BYTES) {
            throw overLimit(name, bytes.length, DEFAULT_MAX_BYTES);
        }
        return parse(decodeUtf8(bytes, name), name);
    }

    /** Decodes strict UTF-8, naming the offset of the first bad byte. */
    public static String decodeUtf8(byte[] bytes, String name) throws NodeFormatException {
        // The runtime's own decoding is several times faster, but replaces bad bytes with
        // U+FFFD: only a text holding that character is decoded again, strictly.
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new NodeFormatException(
                    name,
                    null,
                    "file",
                    "bytes are not UTF-8 (at or after byte " + in.position() + ")");
        }
    }

    /**
     * Parses page text. A page exactly as {@link NodeWriter} writes it is read by {@link
     * CanonicalReader} without building a document (a full leaf about five times faster); any
     * other page, or one that reader is unsure of, goes through the HTML parser. Both give the
     * same node or the same error: they share every check below ({@link #node}).
     */
    public static NodeFile parse(String html, String name) throws NodeFormatException {
        NodeFile canonical = CanonicalReader.read(html, name);
        if (canonical != null) {
            return canonical;
        }
        String root = IndexPage.writtenRootHref(html); // an entry page as this project writes it
        if (root != null) {
            throw entryPage(name, root, html, true);
        }
        return parseHtml(html, name);
    }

    /**
     * Parses page text with the HTML parser, as a browser would. A page that links a root with
     * {@code rel="distree-root"} is an entry page: its {@code <distree>} block, if any, is the
     * root's copy ({@link RootPointerException#copy()}).
     */
    static NodeFile parseHtml(String html, String name) throws NodeFormatException {
        return parseHtml(html, name, true);
    }

    /**
     * Parses page text with the HTML parser; with {@code pointers}, a page linking a root is an
     * entry page (thrown as {@link RootPointerException}), else only its blocks are read.
     */
    static NodeFile parseHtml(String html, String name, boolean pointers)
            throws NodeFormatException {
        // Positions tell whether each <distree> was closed by its own end tag, and which tag a
        // parse error is in. The parser drops a repeated attribute and only reports it as an
        // error, so every error must be seen: a page with more errors than the cap is refused.
        Parser parser = Parser.htmlParser().setTrackErrors(MAX_PARSE_ERRORS).setTrackPosition(true);
        Document doc = parser.parseInput(html, "");
        if (parser.getErrors().size() >= MAX_PARSE_ERRORS) {
            throw new NodeFormatException(
                    name,
                    null,
                    "file",
                    String.format(
                            Locale.ROOT,
                            "more than %,d HTML errors; not a node file",
                            MAX_PARSE_ERRORS));
        }
        Map<Element, String> repeated = repeatedAttributes(doc, html, parser.getErrors());
        List<Element> blocks = doc.getElementsByTag("distree");
        Element pointer = pointers
                ? doc.selectFirst("link[rel=distree-root][href], a[rel=distree-root][href]")
                : null;
        if (pointer != null) {
            throw entryPage(name, pointer.attr("href"), html, !blocks.isEmpty());
        }
        if (blocks.isEmpty()) {
            throw new NodeFormatException(
                    name,
                    null,
                    "distree",
                    "no <distree> element (and no link with rel=distree-root)");
        }
        List<Node> nodes = new ArrayList<>(); // the node, then its orphan copies
        for (int i = 0; i < blocks.size(); i++) {
            Element block = blocks.get(i);
            if (block.parents().stream().anyMatch(p -> p.nameIs("distree"))) {
                throw new NodeFormatException(
                        name,
                        block.id().isEmpty() ? null : block.id(),
                        "distree",
                        "a <distree> element inside another");
            }
            if (block.endSourceRange().isImplicit()) {
                // The HTML parser closed it without its end tag, as a browser would: the file is
                // cut short (counting end tags in the text is fooled by one in a comment), or an
                // element around it (<p>, <a>) closed it early and its items fell outside, or a
                // <p> or <div> left open inside it made the parser ignore </distree>.
                throw new NodeFormatException(
                        name,
                        block.id().isEmpty() ? null : block.id(),
                        "distree",
                        "no </distree> tag closes this element: the file is cut short, the"
                                + " element is inside a <p> or <a> that closed it early, or a"
                                + " <p> or <div> inside it is left open");
            }
            nodes.add(htmlNode(block, name, i == 0, repeated));
        }
        return file(nodes, name);
    }

    /**
     * An entry page linking the root {@code href}, with the root's copy when {@code withCopy} and
     * the page holds one that can be read; a copy that cannot is left out and said why (the
     * pointer still leads to the root, and {@code distree lint} names it).
     */
    private static RootPointerException entryPage(
            String name, String href, String html, boolean withCopy) {
        if (!withCopy) {
            return new RootPointerException(name, href);
        }
        try {
            return new RootPointerException(name, href, IndexPage.writtenCopy(html, name), null);
        } catch (NodeFormatException e) {
            return new RootPointerException(name, href, null, e.getMessage());
        }
    }

    /** The node and its orphan copies as one file. */
    static NodeFile file(List<Node> nodes, String name) throws NodeFormatException {
        try {
            return new NodeFile(nodes.get(0), nodes.subList(1, nodes.size()));
        } catch (IllegalArgumentException e) {
            throw new NodeFormatException(name, null, "distree", String.valueOf(e.getMessage()));
        }
    }

    /**
     * The tags that held a repeated attribute, each with the attribute's name (or "attributes"
     * when it cannot be told), found from the parser's errors and the tags' source positions.
     */
    private static Map<Element, String> repeatedAttributes(
            Document doc, String html, List<ParseError> errors) {
        IdentityHashMap<Element, String> out = new IdentityHashMap<>();
        List<Integer> positions = new ArrayList<>();
        for (ParseError error : errors) {
            if (error.getErrorMessage().toLowerCase(Locale.ROOT).contains("duplicate attribute")) {
                positions.add(error.getPosition());
            }
        }
        if (positions.isEmpty()) {
            return out;
        }
        for (Element e : doc.getAllElements()) {
            org.jsoup.nodes.Range tag = e.sourceRange();
            if (!tag.isTracked() || tag.isImplicit()) {
                continue;
            }
            for (int pos : positions) {
                if (tag.startPos() < pos && pos <= tag.endPos()) {
                    // A start tag cut short by the end of the file ends, for jsoup, one past the
                    // text (found by fuzzing: a StringIndexOutOfBoundsException).
                    int end = Math.min(tag.endPos(), html.length());
                    out.put(e, repeatedName(html.substring(Math.min(tag.startPos(), end), end)));
                }
            }
        }
        return out;
    }

    private static final Pattern ATTRIBUTE =
            Pattern.compile("([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s>]*))?");

    /** The first attribute name that a start tag's source text holds twice. */
    private static String repeatedName(String tag) {
        Matcher m = ATTRIBUTE.matcher(tag);
        Set<String> seen = new HashSet<>();
        boolean first = true;
        while (m.find()) {
            String attr = m.group(1).toLowerCase(Locale.ROOT);
            if (first) {
                first = false; // the tag name
            } else if (!seen.add(attr)) {
                return attr;
            }
        }
        return "attributes";
    }

    /** A node from a parsed {@code <distree>} element: its items as both readers give them. */
    private static Node htmlNode(
            Element block, String file, boolean first, Map<Element, String> repeated)
            throws NodeFormatException {
        String id = block.hasAttr("id") ? block.attr("id").strip() : null;
        Ctx ctx = new Ctx(file, id);
        if (repeated.containsKey(block)) {
            throw ctx.error(repeated.get(block), "the attribute is repeated");
        }
        List<Item> items = new ArrayList<>();
        int index = 0;
        for (Element li : items(block)) {
            index++;
            Ctx item = new Ctx(file, (id == null ? "" : id + "/") + "item " + index);
            for (Element e : li.getAllElements()) {
                if (repeated.containsKey(e)) {
                    throw item.error(repeated.get(e), "the attribute is repeated");
                }
            }
            List<Link> links = new ArrayList<>();
            for (Element a : li.select("a[href]")) {
                links.add(new Link(new HtmlTag(a), a.text()));
            }
            Element a = li.selectFirst("a[href]");
            items.add(new Item(new HtmlTag(li), links, a == null ? "" : textAfter(li, a)));
        }
        return node(new HtmlTag(block), file, first, items);
    }

    /**
     * A start tag's attributes as both readers give them: names in lower case, values with
     * their character references decoded.
     */
    interface Tag {
        /** True when the tag has the attribute. */
        boolean has(String name);

        /** The attribute's value, or "" when the tag has none. */
        String attr(String name);

        /** Every attribute, in the order of the source. */
        Map<String, String> all();
    }

    /** A tag of the HTML parser's document. */
    private record HtmlTag(Element e) implements Tag {
        @Override
        public boolean has(String name) {
            return e.hasAttr(name);
        }

        @Override
        public String attr(String name) {
            return e.attr(name);
        }

        @Override
        public Map<String, String> all() {
            Map<String, String> all = new LinkedHashMap<>();
            for (Attribute a : e.attributes()) {
                all.putIfAbsent(a.getKey().toLowerCase(Locale.ROOT), a.getValue());
            }
            return all;
        }
    }

    /** A link of an item ({@code <a href>}) and its text. */
    record Link(Tag a, String text) {}

    /**
     * One item of a node ({@code <li>} of its list): its tag, its links in order, and the text
     * after the first link ({@link #textAfter}), the comment of an entry.
     */
    record Item(Tag li, List<Link> links, String afterFirst) {}

    /**
     * A node from its {@code <distree>} tag and items: the checks both readers share, so that
     * a page gives the same node, or the same error, whichever reader read it.
     */
    static Node node(Tag block, String file, boolean first, List<Item> items)
            throws NodeFormatException {
        String id = block.has("id") ? block.attr("id").strip() : null;
        if (!first && (id == null || id.isEmpty())) {
            throw new NodeFormatException(
                    file, null, "id", "a second <distree> element (an orphan copy) needs an id");
        }
        if (first && id != null) {
            throw new NodeFormatException(
                    file,
                    id,
                    "id",
                    "the first <distree> element is the file's own node and has" + " no id");
        }
        Ctx ctx = new Ctx(file, id);
        int version = ctx.intAttr(block, "version", 1, Integer.MAX_VALUE);
        if (version > Node.FORMAT_VERSION) {
            throw ctx.error(
                    "version",
                    "version " + version + " is newer than this reader (" + Node.FORMAT_VERSION
                            + ")");
        }
        int height = ctx.intAttr(block, "height", 0, Node.MAX_HEIGHT);
        Range range = ctx.range(block, "");
        long size = ctx.longAttr(block, "size");
        Instant updated = ctx.instant(block, "updated");
        String analyzer = block.has("analyzer") ? block.attr("analyzer").strip() : null;
        Map<String, String> extra = extra(block, NODE_ATTRS);

        List<Entry> entries = new ArrayList<>();
        List<ChildRef> children = new ArrayList<>();
        int index = 0;
        for (Item li : items) {
            index++;
            Ctx item = new Ctx(file, (id == null ? "" : id + "/") + "item " + index);
            if (height == 0 && li.li().has(NodeWriter.RECORDS)) {
                if (version < 2) {
                    throw item.error(
                            NodeWriter.RECORDS,
                            "a record list needs format version 2 (this node says " + version
                                    + ")");
                }
                entries.addAll(item.records(li));
            } else if (height == 0) {
                entries.add(item.entry(li));
            } else {
                children.add(item.child(li));
            }
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i - 1).compareTo(entries.get(i)) >= 0) {
                throw new Ctx(file, (id == null ? "" : id + "/") + "item " + (i + 1))
                        .error(
                                "data-key",
                                "entry '" + entries.get(i).key() + "' is not after '"
                                        + entries.get(i - 1).key()
                                        + "' (entries must be in key order,"
                                        + " one per key and link)");
            }
        }
        for (int i = 1; i < children.size(); i++) {
            if (Range.compareLows(
                            children.get(i - 1).range().low(),
                            children.get(i).range().low())
                    > 0) {
                throw new Ctx(file, (id == null ? "" : id + "/") + "item " + (i + 1))
                        .error("data-low", "children must be in order of their low");
            }
        }
        if (height == 0 && size != entries.size()) {
            throw ctx.error(
                    "size", "size " + size + " but the leaf holds " + entries.size() + " entries");
        }
        try {
            return new Node(
                    version, height, range, size, updated, analyzer, id, entries, children, extra);
        } catch (IllegalArgumentException e) {
            throw ctx.error("distree", String.valueOf(e.getMessage()));
        }
    }

    /**
     * A node's items: the {@code <li>} elements of its {@code <ol>} lists, not nested in another
     * item. Other lists inside the node (a {@code <ul>} of notes) are text for people.
     */
    private static List<Element> items(Element block) {
        List<Element> out = new ArrayList<>();
        for (Element li : block.select("ol > li")) {
            boolean nested = false;
            for (Element p = li.parent(); p != null && !p.equals(block); p = p.parent()) {
                if (p.nameIs("li")) {
                    nested = true;
                    break;
                }
            }
            if (!nested) {
                out.add(li);
            }
        }
        return out;
    }

    private static final Pattern EXTRA_NAME = Pattern.compile("data-[a-z0-9][a-z0-9-]{0,40}");

    private static Map<String, String> extra(Tag e, Set<String> known) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : e.all().entrySet()) {
            String key = a.getKey();
            // Values are limited in UTF-8 bytes, as Text.requireExtra checks them; a longer
            // one is ignored like any other attribute this version does not keep.
            if (!known.contains(key)
                    && EXTRA_NAME.matcher(key).matches()
                    && Keys.utf8Length(a.getValue()) <= MAX_EXTRA_BYTES) {
                extra.put(key, a.getValue());
            }
        }
        return extra;
    }

    /** Where in a file an item is read, for error messages. */
    private record Ctx(String file, @Nullable String fragment) {
        NodeFormatException error(String field, String reason) {
            return new NodeFormatException(file, fragment, field, reason);
        }

        String required(Tag e, String attr) throws NodeFormatException {
            if (!e.has(attr)) {
                throw error(attr, "missing");
            }
            return e.attr(attr).strip();
        }

        int intAttr(Tag e, String attr, int min, int max) throws NodeFormatException {
            String v = required(e, attr);
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw error(attr, n + " is outside " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException ex) {
                throw error(attr, "'" + abbreviate(v) + "' is not a whole number");
            }
        }

        long longAttr(Tag e, String attr) throws NodeFormatException {
            String v = required(e, attr);
            try {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw error(attr, n + " is negative");
                }
                return n;
            } catch (NumberFormatException ex) {
                throw error(attr, "'" + abbreviate(v) + "' is not a whole number");
            }
        }

        Instant instant(Tag e, String attr) throws NodeFormatException {
            String v = required(e, attr);
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException ex) {
                throw error(
                        attr,
                        "'" + abbreviate(v) + "' is not a UTC time such as"
                                + " 2026-11-22T10:00:00Z");
            }
        }

        @Nullable
        Bound bound(Tag e, String name) throws NodeFormatException {
            if (!e.has(name)) {
                if (e.has(name + "-link")) {
                    throw error(name + "-link", "given without " + name);
                }
                return null;
            }
            String key = e.attr(name);
            if (key.isEmpty()) {
                throw error(name, "empty (leave the attribute out for no bound)");
            }
            return new Bound(key, e.attr(name + "-link"));
        }

        Range range(Tag e, String prefix) throws NodeFormatException {
            Bound low = bound(e, prefix + "low");
            Bound high = bound(e, prefix + "high");
            try {
                return new Range(low, high);
            } catch (IllegalArgumentException ex) {
                throw error(prefix + "low", String.valueOf(ex.getMessage()));
            }
        }

        Entry entry(Item li) throws NodeFormatException {
            String key = required(li.li(), "data-key");
            if (li.links().isEmpty()) {
                throw error("a", "an entry needs a link (<a href>)");
            }
            Link a = li.links().get(0);
            Tag tag = li.li();
            String digest = tag.has("data-digest") ? tag.attr("data-digest") : null;
            int score = tag.has(NodeWriter.SCORE)
                    ? intAttr(tag, NodeWriter.SCORE, 0, Entry.MAX_SCORE)
                    : 0;
            try {
                return new Entry(
                        tag.attr("data-key"),
                        new Entry.Target(
                                a.a().attr("href"),
                                a.text(),
                                li.afterFirst(),
                                digest,
                                extra(tag, ENTRY_ATTRS),
                                false,
                                score));
            } catch (IllegalArgumentException ex) {
                throw error(
                        key.isEmpty() ? "data-key" : "entry '" + abbreviate(key) + "'",
                        String.valueOf(ex.getMessage()));
            }
        }

        /** A record list: one record entry per link, all with the item's key. */
        List<Entry> records(Item li) throws NodeFormatException {
            String key = required(li.li(), "data-key");
            int[] scores = li.li().has(NodeWriter.SCORES) ? scores(li) : null;
            List<Entry> out = new ArrayList<>();
            for (Link link : li.links()) {
                Tag a = link.a();
                try {
                    if (scores != null && a.has(NodeWriter.SCORE)) {
                        throw error(
                                NodeWriter.SCORE,
                                "a link of a record list with " + NodeWriter.SCORES
                                        + " has a score of its own");
                    }
                    int score = scores != null
                            ? scores[out.size()]
                            : a.has(NodeWriter.SCORE)
                                    ? intAttr(a, NodeWriter.SCORE, 0, Entry.MAX_SCORE)
                                    : 0;
                    out.add(Entry.record(
                            li.li().attr("data-key"), a.attr("href"), link.text(), score));
                } catch (IllegalArgumentException ex) {
                    throw error(
                            key.isEmpty() ? "data-key" : "entry '" + abbreviate(key) + "'",
                            String.valueOf(ex.getMessage()));
                }
            }
            if (out.isEmpty()) {
                throw error("a", "a record list needs at least one link (<a href>)");
            }
            return out;
        }

        /**
         * A record list's {@value NodeWriter#SCORES}: one whole number from 0 to {@link
         * Entry#MAX_SCORE} a link, separated by single spaces.
         */
        private int[] scores(Item li) throws NodeFormatException {
            String v = li.li().attr(NodeWriter.SCORES);
            int links = li.links().size();
            int[] out = new int[links];
            int n = 0;
            int start = 0;
            while (start <= v.length()) {
                int end = v.indexOf(' ', start);
                if (end < 0) {
                    end = v.length();
                }
                if (n == links) {
                    throw error(
                            NodeWriter.SCORES, "more scores than the list's " + links + " links");
                }
                String one = v.substring(start, end);
                if (one.isEmpty()
                        || one.length() > 7
                        || !one.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw error(
                            NodeWriter.SCORES,
                            "'" + abbreviate(one) + "' is not a whole number from 0 to "
                                    + Entry.MAX_SCORE);
                }
                int score = Integer.parseInt(one);
                if (score > Entry.MAX_SCORE) {
                    throw error(NodeWriter.SCORES, score + " is outside 0.." + Entry.MAX_SCORE);
                }
                out[n++] = score;
                start = end + 1;
            }
            if (n != links) {
                throw error(NodeWriter.SCORES, n + " scores for the list's " + links + " links");
            }
            return out;
        }

        ChildRef child(Item li) throws NodeFormatException {
            if (li.links().isEmpty()) {
                throw error("a", "a child item needs a link (<a href>)");
            }
            Tag a = li.links().get(0).a();
            if (li.li().has("data-key")) {
                throw error("data-key", "an entry in a node of height above 0");
            }
            Range range = range(a, "data-");
            int height = intAttr(a, "data-height", 0, Node.MAX_HEIGHT);
            long size = longAttr(a, "data-size");
            Instant checked = a.has("data-checked") ? instant(a, "data-checked") : null;
            Status status;
            try {
                status = a.has("data-status")
                        ? Status.parse(a.attr("data-status").strip())
                        : Status.OK;
            } catch (IllegalArgumentException ex) {
                throw error("data-status", String.valueOf(ex.getMessage()));
            }
            try {
                return new ChildRef(
                        a.attr("href"),
                        range,
                        height,
                        size,
                        checked,
                        status,
                        extra(a, CHILD_ATTRS));
            } catch (IllegalArgumentException ex) {
                throw error("href", String.valueOf(ex.getMessage()));
            }
        }

        private static String abbreviate(String s) {
            return org.distree.model.Keys.abbreviate(s, 40);
        }
    }

    /**
     * The text of {@code parent} after its child {@code link}: an entry's or a record's comment
     * (text nodes whole, elements by their text, each followed by a space).
     */
    static String textAfter(Element parent, Element link) {
        StringBuilder text = new StringBuilder();
        boolean after = false;
        for (org.jsoup.nodes.Node n : parent.childNodes()) {
            if (n.equals(link)) {
                after = true;
            } else if (after) {
                text.append(
                                n instanceof TextNode t
                                        ? t.getWholeText()
                                        : n instanceof Element el ? el.text() : "")
                        .append(' ');
            }
        }
        return text.toString();
    }
}
