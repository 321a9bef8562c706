package org.distree.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for realistic model values: keys of 1 to 20 code points (mostly ASCII
 * letters, some non-ASCII letters on both sides of U+FFFF, some {@code &}, {@code "} and
 * {@code <}), links and comments of very different lengths, whole nodes.
 */
public final class ModelArbitraries {
    private ModelArbitraries() {}

    /** Letters outside ASCII, below U+E000, in U+E000..U+FFFF and above U+FFFF. */
    private static final int[] NON_ASCII = {
        'é',
        'ß',
        'ø',
        'ñ',
        'ж',
        'я',
        'λ',
        '日',
        '本',
        0xFF21 /* Ａ */,
        0xFB01 /* ﬁ */,
        0x1D400 /* 𝐀 */,
        0x1F600 /* 😀 */,
        0x20000 /* 𠀀 */
    };

    private static final int[] SPECIAL = {'&', '"', '<', '>', '\'', ' ', '#'};

    /**
     * Strings of 0 to {@code maxCodePoints} valid code points from every plane, many near the
     * surrogate range (U+D7FF, U+E000, U+FFFD, U+10000, U+10FFFF), where code point order and
     * {@link String#compareTo} part: the strings to test an order with. No lone surrogates.
     */
    public static Arbitrary<String> anyPlaneStrings(int maxCodePoints) {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between('a', 'd')),
                Tuple.of(1, Arbitraries.integers().between(0x20, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, Arbitraries.of(0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF)));
        return cp.list().ofMaxSize(maxCodePoints).map(ModelArbitraries::string);
    }

    /** One code point of a key. */
    public static Arbitrary<Integer> keyChar() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between('a', 'z')),
                Tuple.of(6, Arbitraries.of(toList(NON_ASCII))),
                Tuple.of(1, Arbitraries.of(toList(SPECIAL))));
    }

    /** A valid key: a word of 1 to 20 code points, at most 64 bytes. */
    public static Arbitrary<String> keys() {
        return keyChar()
                .list()
                .ofMinSize(1)
                .ofMaxSize(20)
                .map(ModelArbitraries::string)
                .filter(k -> !k.isBlank()
                        && Keys.utf8Length(k) <= Keys.MAX_KEY_BYTES
                        && k.strip().equals(k));
    }

    /** Words for free text and links: mostly ASCII, some non-ASCII, some markup characters. */
    private static final List<String> WORDS = List.of(
            "apple", "banana", "tree", "node", "leaf", "search", "index", "html", "distree", "a",
            "of", "the", "and", "to", "in", "key", "link", "café", "straße", "ærø", "жук", "λόγος",
            "日本語", "Ａｂｃ", "ﬁle", "𝐀𝐁", "😀", "𠀀", "&amp;", "a&b", "\"q\"", "<b>", "x<y", "1>0",
            "it's", "#5", "100%", "e=mc2", "-", "…");

    /** Text of {@code min..max} words from a small vocabulary, in canonical form. */
    public static Arbitrary<String> text(int minWords, int maxWords) {
        return Arbitraries.of(WORDS)
                .list()
                .ofMinSize(minWords)
                .ofMaxSize(maxWords)
                .map(w -> Text.normalize(String.join(" ", w)));
    }

    /** A link: usually short, sometimes hundreds of bytes, rarely near a thousand. */
    public static Arbitrary<String> links() {
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(WORDS)),
                Tuple.of(3, Arbitraries.integers().between(0, 99_999).map(String::valueOf)),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .ofMinLength(1)
                                .ofMaxLength(12)));
        Arbitrary<Integer> segments = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.integers().between(0, 5)),
                Tuple.of(4, Arbitraries.integers().between(5, 60)),
                Tuple.of(1, Arbitraries.integers().between(60, 150)));
        Arbitrary<String> separator = Arbitraries.of("/", "/", "/", "-", "?q=", "&x=", ".");
        return segments.flatMap(n -> Combinators.combine(segment, separator)
                        .as((a, b) -> b + a)
                        .list()
                        .ofSize(n)
                        .map(l -> String.join("", l)))
                .map(path -> "https://example.org/" + path.replace(" ", "_"))
                .filter(l -> Keys.utf8Length(l) <= Entry.MAX_LINK_BYTES);
    }

    /** A comment: often empty, usually short, sometimes up to 1,000 characters. */
    public static Arbitrary<String> comments() {
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just("")),
                        Tuple.of(12, text(1, 10)),
                        Tuple.of(2, text(10, 50)),
                        Tuple.of(1, text(50, 150)))
                .filter(s -> Keys.utf8Length(s) <= Entry.MAX_COMMENT_BYTES);
    }

    /** A title: usually none. */
    public static Arbitrary<String> titles() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")), Tuple.of(1, text(1, 12)));
    }

    /**
     * An entry with a key from {@code keys}: one in four a record entry (format version 2),
     * whose title is a label.
     */
    public static Arbitrary<Entry> entries(Arbitrary<String> keys) {
        Arbitrary<Entry> plain =
                Combinators.combine(keys, links(), titles(), comments()).as(Entry::of);
        Arbitrary<Entry> record = Combinators.combine(keys, links(), titles()).as(Entry::record);
        return Arbitraries.frequencyOf(Tuple.of(3, plain), Tuple.of(1, record));
    }

    /** An entry with any key. */
    public static Arbitrary<Entry> entries() {
        return entries(keys());
    }

    /** A time from 1970 to 2100, often with a fraction of a second. */
    public static Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(0, 4_102_444_800L),
                        Arbitraries.oneOf(
                                Arbitraries.just(0),
                                Arbitraries.integers().between(0, 999_999_999)))
                .as(Instant::ofEpochSecond);
    }

    /** Unknown {@code data-*} attributes, as a reader keeps them. */
    public static Arbitrary<Map<String, String>> extras() {
        Arbitrary<String> names = Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> "data-x" + s);
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(5, text(0, 6)),
                Tuple.of(1, Arbitraries.of(" padded ", "a\u0000b", "tab\there", "line\nbreak")));
        return Arbitraries.maps(names, values).ofMaxSize(2);
    }

    /** A range: both ends, one end or none, with a link part sometimes. */
    public static Arbitrary<Range> ranges() {
        Arbitrary<Bound> bound = Combinators.combine(
                        keys(),
                        Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.just("")), Tuple.of(1, links())))
                .as(Bound::new);
        return Combinators.combine(bound.injectNull(0.2), bound.injectNull(0.2)).as((a, b) -> {
            if (a == null || b == null) {
                return new Range(a, b);
            }
            int c = a.compareTo(b);
            return c == 0 ? new Range(a, null) : c < 0 ? new Range(a, b) : new Range(b, a);
        });
    }

    /** A child item. */
    public static Arbitrary<ChildRef> childRefs() {
        Arbitrary<String> href = Arbitraries.frequencyOf(
                Tuple.of(
                        3,
                        Arbitraries.strings()
                                .withCharRange('0', '9')
                                .ofMinLength(1)
                                .ofMaxLength(6)
                                .map(s -> s + ".html")),
                Tuple.of(1, links()),
                Tuple.of(1, links().map(l -> l + "#o" + l.length())));
        return Combinators.combine(
                        href,
                        ranges(),
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        instants().injectNull(0.3),
                        Arbitraries.of(Status.class),
                        extras())
                .as(ChildRef::new);
    }

    /** A sorted list of entries distinct by (key, link). */
    public static Arbitrary<List<Entry>> sortedEntries(int max) {
        return entries()
                .list()
                .ofMaxSize(max)
                .uniqueElements(Entry::position)
                .map(l -> l.stream().sorted().toList());
    }

    /** A leaf or an internal node, with or without analyzer, orphan id and unknown attributes. */
    public static Arbitrary<Node> nodes() {
        Arbitrary<Node> leaves = Combinators.combine(
                        sortedEntries(30), ranges(), instants(), extras())
                .as((es, r, t, x) -> new Node(
                        Node.FORMAT_VERSION, 0, r, es.size(), t, null, null, es, List.of(), x));
        Arbitrary<Node> internal = Combinators.combine(
                        childRefs().list().ofMaxSize(20),
                        ranges(),
                        Arbitraries.integers().between(1, Node.MAX_HEIGHT),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        instants(),
                        extras())
                .as((cs, r, h, s, t, x) -> new Node(
                        Node.FORMAT_VERSION, h, r, s, t, null, null, List.of(), byLow(cs), x));
        Arbitrary<String> analyzers =
                Arbitraries.of("standard-lowercase", "none", "a&b\"c<d", " padded ", "");
        return Combinators.combine(Arbitraries.oneOf(leaves, internal), analyzers.injectNull(0.7))
                .as(Node::withAnalyzer);
    }

    /** A file: a node and up to two orphan copies with ids. */
    public static Arbitrary<NodeFile> nodeFiles() {
        Arbitrary<Node> orphan = Combinators.combine(
                        nodes(),
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .ofMinLength(1)
                                .ofMaxLength(10))
                .as(Node::withId);
        return Combinators.combine(nodes(), orphan.list().ofMaxSize(2)).as(NodeFile::new);
    }

    private static List<ChildRef> byLow(List<ChildRef> cs) {
        return cs.stream()
                .sorted((a, b) -> Range.compareLows(a.range().low(), b.range().low()))
                .toList();
    }

    /** A string of code points. */
    public static String string(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder(codePoints.size());
        for (int cp : codePoints) {
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static List<Integer> toList(int[] cps) {
        return java.util.Arrays.stream(cps).boxed().toList();
    }
}
