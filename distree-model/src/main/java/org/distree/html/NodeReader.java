package org.distree.html;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.Parser;

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

    /** Pages with this many HTML errors are refused: 10,000. */
    static final int MAX_PARSE_ERRORS = 10_000;

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
     * same node or the same error: they share every check ({@link BlockReader#node}).
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
        BlockReader.Ctx ctx = new BlockReader.Ctx(file, id);
        if (repeated.containsKey(block)) {
            throw ctx.error(repeated.get(block), "the attribute is repeated");
        }
        List<BlockReader.Item> items = new ArrayList<>();
        int index = 0;
        for (Element li : items(block)) {
            index++;
            BlockReader.Ctx item =
                    new BlockReader.Ctx(file, (id == null ? "" : id + "/") + "item " + index);
            for (Element e : li.getAllElements()) {
                if (repeated.containsKey(e)) {
                    throw item.error(repeated.get(e), "the attribute is repeated");
                }
            }
            List<BlockReader.Link> links = new ArrayList<>();
            for (Element a : li.select("a[href]")) {
                links.add(new BlockReader.Link(new HtmlTag(a), a.text()));
            }
            Element a = li.selectFirst("a[href]");
            items.add(new BlockReader.Item(
                    new HtmlTag(li), links, a == null ? "" : textAfter(li, a)));
        }
        return BlockReader.node(new HtmlTag(block), file, first, items);
    }

    /** A tag of the HTML parser's document. */
    private record HtmlTag(Element e) implements BlockReader.Tag {
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
