package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.html.IndexPage;
import org.distree.model.Keys;
import org.distree.model.Node;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

/** The browser's search script repeats a few limits of the format: they must be the Java ones. */
class SearchScriptTest {
    private static String script() {
        Node root = Node.leaf(Range.ALL, List.of(), Instant.parse("2026-11-22T10:00:00Z"));
        byte[] js = SearchAssets.files("n/1.html", root).get(SearchAssets.SCRIPT);
        return new String(js, StandardCharsets.UTF_8);
    }

    private static int constant(String script, String name) {
        Matcher m = Pattern.compile("const " + name + " = (\\d+);").matcher(script);
        assertThat(m.find()).as("the script declares " + name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theScriptsLimitsAreTheFormats() {
        String js = script();

        assertThat(constant(js, "MAX_HEIGHT")).isEqualTo(Node.MAX_HEIGHT);
        assertThat(constant(js, "MAX_KEY_BYTES")).isEqualTo(Keys.MAX_KEY_BYTES);
        assertThat(constant(js, "FORMAT_VERSION")).isEqualTo(Node.FORMAT_VERSION);
        assertThat(constant(js, "MAX_POINTER_HOPS")).isEqualTo(IndexPage.MAX_POINTER_HOPS);
        assertThat(js).contains("hop < MAX_POINTER_HOPS");
    }

    @Test
    void theScriptIsPublishedWithoutItsCommentsAndIndentationAndNothingElseChanges()
            throws Exception {
        String source;
        try (var in = SearchAssets.class.getResourceAsStream(SearchAssets.SCRIPT)) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String published = script();

        assertThat(published).startsWith(SearchAssets.COMPACT_HEAD);
        assertThat(published.length()).isLessThan(source.length() * 7 / 10);
        // Every line of code is there, in order, and nothing else.
        List<String> code = source.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty()
                        && !l.startsWith("//")
                        && !l.startsWith("/*")
                        && !l.startsWith("*"))
                .toList();
        assertThat(published.lines().skip(1).toList()).isEqualTo(code);
    }

    @Test
    void whatCannotBeCompactedSafelyIsPublishedAsItIs() {
        String ok = "/**\n * doc\n */\nfunction f() {\n  // why\n  return 1;\n}\n";
        assertThat(SearchAssets.compact(ok))
                .isEqualTo(SearchAssets.COMPACT_HEAD + "function f() {\nreturn 1;\n}\n");
        for (String unsafe : List.of(
                "const s = `a\n  b`;\n",
                "const s = 'a\\\n  b';\n",
                "/* c */ const x = 1;\n",
                "/* open\nconst x = 1;\n")) {
            assertThat(SearchAssets.compact(unsafe)).as(unsafe).isEqualTo(unsafe);
        }
    }
}
