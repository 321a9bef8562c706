package org.distree.site;

import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.CDataNode;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.jspecify.annotations.Nullable;

/**
 * The text of an element for making keys: jsoup's {@link Element#text()} without its whitespace
 * collapsing, which the analyzer does not need and which cost a sixth of the time spent on a
 * page (it copies the text a code point at a time).
 *
 * <p>The words are jsoup's, at the same places: a space goes wherever {@code text()} puts one
 * between elements (before a block or {@code <br>}, after a block followed by text or an
 * inline element); text nodes are copied as they are, so a run of blanks (space, tab, line
 * breaks, form feed, no-break space) stays a run where {@code text()} has one space. The
 * tokenizer breaks words at any such run alike (these characters are all word separators in
 * Unicode word segmentation). A text node holding the characters {@code text()} deletes (soft
 * hyphen, zero width space), which would join or split words, goes through jsoup's own
 * normalization instead. Only for keys: a snippet is cut from {@link Element#text()}.
 */
final class PageText implements NodeVisitor {
    private static final char SOFT_HYPHEN = '\u00AD';
    private static final char ZERO_WIDTH_SPACE = '\u200B';

    private final StringBuilder out = new StringBuilder();

    private PageText() {}

    /** The text of {@code root} and its descendants, as described above. */
    static String of(Element root) {
        PageText text = new PageText();
        NodeTraversor.traverse(text, root);
        return text.out.toString();
    }

    @Override
    public void head(Node node, int depth) {
        if (node instanceof TextNode t) {
            String s = t.getWholeText();
            if (t instanceof CDataNode
                    || preservesWhitespace(t.parentNode())
                    || (s.indexOf(SOFT_HYPHEN) < 0 && s.indexOf(ZERO_WIDTH_SPACE) < 0)) {
                out.append(s);
            } else {
                StringUtil.appendNormalisedWhitespace(out, s, endsBlank());
            }
        } else if (node instanceof Element e) {
            if (out.length() > 0 && (e.isBlock() || e.nameIs("br")) && !endsBlank()) {
                out.append(' ');
            }
        }
    }

    @Override
    public void tail(Node node, int depth) {
        if (node instanceof Element e) {
            Node next = node.nextSibling();
            if (!e.tag().isInline()
                    && (next instanceof TextNode
                            || (next instanceof Element n && n.tag().isInline()))
                    && !endsBlank()) {
                out.append(' ');
            }
        }
    }

    /** True when the text so far ends with a character jsoup counts as whitespace. */
    private boolean endsBlank() {
        int n = out.length();
        return n > 0 && StringUtil.isActuallyWhitespace(out.charAt(n - 1));
    }

    /** Text in {@code <pre>} and the like: jsoup keeps it as it is (it looks 6 levels up). */
    private static boolean preservesWhitespace(@Nullable Node node) {
        Node n = node;
        for (int i = 0; i < 6 && n instanceof Element e; i++) {
            if (e.tag().preserveWhitespace()) {
                return true;
            }
            n = e.parent();
        }
        return false;
    }
}
