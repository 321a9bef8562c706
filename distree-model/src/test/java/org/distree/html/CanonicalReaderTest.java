package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.ModelArbitraries;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The canonical reader against the HTML parser: on every page the writer makes it reads the
 * page itself, and on any page it reads (or refuses) it agrees with the parser exactly.
 */
class CanonicalReaderTest {
    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    private static final String FILE = "n/1a.html";

    /** What a reader made of a page: a file, or an error's message; null when it gave up. */
    private static @Nullable Object canonical(String page) {
        try {
            return CanonicalReader.read(page, FILE);
        } catch (NodeFormatException e) {
            return e.getMessage();
        }
    }

    private static Object parsed(String page) {
        try {
            return NodeReader.parseHtml(page, FILE);
        } catch (NodeFormatException e) {
            return e.getMessage();
        }
    }

    @Property(tries = 300)
    void readsEveryPageTheWriterMakesAsTheParserDoes(@ForAll("files") NodeFile file) {
        String page = NodeWriter.render(file);

        Object fast = canonical(page);

        assertThat(fast).as("the canonical reader takes a written page").isEqualTo(file);
        assertThat(parsed(page)).isEqualTo(fast);
    }

    @Provide
    Arbitrary<NodeFile> files() {
        return ModelArbitraries.nodeFiles();
    }

    /** A leaf with each kind of item and the characters the writer escapes. */
    private static NodeFile sampleLeaf() {
        Node leaf = Node.leaf(
                new Range(Bound.of("a"), new Bound("zz", "https://x.org/q")),
                List.of(
                        new Entry(
                                "a&b",
                                "https://example.org/?a=1&b=\"2\"<>",
                                "A <b> & c",
                                "one & two > three",
                                "sha256-abc",
                                Map.of("data-x", "y&\"z")),
                        Entry.record("café", "../p/1.html", "Café <page>", 12),
                        Entry.record("café", "../p/2.html", "", 0),
                        Entry.of("𝐀", "https://example.org/bold", "Bold", "")),
                T);
        return new NodeFile(leaf, List.of(leaf.withId("moved-1f")));
    }

    private static NodeFile sampleInternal() {
        return NodeFile.of(Node.internal(
                2,
                Range.ALL,
                300,
                List.of(
                        new ChildRef(
                                "1.html",
                                new Range(null, Bound.of("m&n")),
                                1,
                                100,
                                T,
                                Status.OK,
                                Map.of()),
                        new ChildRef(
                                "https://other.example/n/3.html#c",
                                new Range(Bound.of("m&n"), null),
                                1,
                                200,
                                null,
                                Status.FAILING,
                                Map.of("data-x", "<y>"))),
                T));
    }

    /**
     * Every page one change away from a written one (a cut, a character replaced or put in)
     * is either left to the parser or read exactly as the parser reads it.
     */
    private static void assertAgreesNearby(NodeFile file) {
        String page = NodeWriter.render(file);
        assertThat(canonical(page)).isEqualTo(file);
        String[] changes = {
            "<", ">", "&", "\"", " ", "\n", "\t", "\r", "\u0000", "=", "A", "\u00a0", "&amp;",
            "</a>"
        };
        int checked = 0;
        int readFast = 0;
        for (int i = 0; i < page.length(); i++) {
            List<String> variants = new java.util.ArrayList<>();
            variants.add(page.substring(0, i));
            for (String c : changes) {
                variants.add(page.substring(0, i) + c + page.substring(i + 1));
                variants.add(page.substring(0, i) + c + page.substring(i));
            }
            for (String variant : variants) {
                Object fast = canonical(variant);
                checked++;
                if (fast != null) {
                    readFast++;
                    assertThat(parsed(variant))
                            .as("page changed at %d:%n%s", i, variant)
                            .isEqualTo(fast);
                }
            }
        }
        // Most changes fall in text or values, where the canonical reader still reads the page.
        assertThat(readFast).isGreaterThan(checked / 10);
    }

    @Test
    void agreesWithTheParserOnEveryPageNearALeaf() {
        assertAgreesNearby(sampleLeaf());
    }

    @Test
    void agreesWithTheParserOnEveryPageNearAnInternalNode() {
        assertAgreesNearby(sampleInternal());
    }

    @Test
    void leavesToTheParserWhatItWouldReadOtherwise() {
        String page = NodeWriter.render(sampleLeaf());

        // A reference the writer does not make, a repeated attribute, upper case, a comment.
        assertThat(canonical(page.replace("&amp;", "&#38;"))).isNull();
        assertThat(canonical(page.replace("data-x=", "data-key=\"q\" data-x="))).isNull();
        assertThat(canonical(page.replace("<li data-key", "<LI data-key"))).isNull();
        assertThat(canonical(page.replace("</ol>", "<!-- x --></ol>"))).isNull();
        assertThat(canonical(new String(NodeWriter.write(sampleLeaf()), StandardCharsets.UTF_8)
                        .replace("\n<ol>", "\n<ol class=\"x\">")))
                .isNull();
    }

    @Test
    void readsAnEntryPageAsTheWrittenFormWithoutTheParserAndAsTheParserDoes() throws Exception {
        Node root = Node.leaf(Range.ALL, List.of(), T);
        for (String href : List.of("n/1a.html", "n/a&b.html?x=\"1\"&lt;", "n/é<x>.html")) {
            String page = new String(IndexPage.write(href, root, true), StandardCharsets.UTF_8);

            assertThat(IndexPage.writtenRootHref(page)).isEqualTo(href);
            assertThat(IndexPage.rootHref(page)).isEqualTo(href);
            try {
                NodeReader.parseHtml(page, FILE);
                throw new AssertionError("read as a node");
            } catch (RootPointerException e) {
                assertThat(canonicalPointer(page)).isEqualTo(e.href());
            }
        }
        String page = new String(IndexPage.write("n/1.html", root), StandardCharsets.UTF_8);
        // A node inside is the root's copy (IndexPageTest): the link is still read here. A
        // reference the writer does not make is left to the parser.
        assertThat(IndexPage.writtenRootHref(page.replace("</body>", "<DISTREE></DISTREE></body>")))
                .isEqualTo("n/1.html");
        assertThat(IndexPage.writtenRootHref(page.replace("n/1.html", "n/1&#46;html")))
                .isNull();
    }

    /** The link NodeReader gives for an entry page, through its fast path. */
    private static String canonicalPointer(String page) throws NodeFormatException {
        try {
            NodeReader.parse(page, FILE);
            throw new AssertionError("read as a node");
        } catch (RootPointerException e) {
            return e.href();
        }
    }

    @Test
    void givesTheParsersErrorForAPageInTheWritersFormThatBreaksARule() {
        String page = NodeWriter.render(sampleLeaf()).replace("version=\"2\"", "version=\"1\"");

        Object fast = canonical(page);

        assertThat(fast).isInstanceOf(String.class).asString().contains("version 2");
        assertThat(parsed(page)).isEqualTo(fast);
    }
}
