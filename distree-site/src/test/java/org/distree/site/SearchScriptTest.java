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
}
