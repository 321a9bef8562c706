package org.distree.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.distree.model.Keys;
import org.junit.jupiter.api.Test;

class KeyAnalyzerTest {
    /**
     * The analyzer keeps its own lowercasing and set of seen words for speed; the keys must be
     * what Lucene's own chain (StandardTokenizer, LowerCaseFilter, PorterStemFilter) makes.
     */
    @Test
    void makesTheKeysOfLucenesOwnFilters() throws IOException {
        String alphabet = "aAzZ09 \t\n.,'-_İIıΣσςÀàẞßǅǈ日本語\uD801\uDC00\uD801\uDC28\uD835\uDC00"
                + "ﬃŉΐ\u0301\u00AD";
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            // Up to 20,000 characters: enough words to make the set of seen words grow.
            int length = round % 10 == 0 ? 20_000 : random.nextInt(400);
            while (text.length() < length) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                if (Character.isHighSurrogate(c)) {
                    text.append(c).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    text.append(c);
                }
            }
            for (boolean stem : new boolean[] {false, true}) {
                KeyAnalyzer analyzer = KeyAnalyzer.forName(stem ? "english" : "standard");
                assertThat(analyzer.keys(text.toString()))
                        .as("keys of %s", text)
                        .isEqualTo(lucene(text.toString(), stem));
            }
        }
    }

    /** The distinct terms of Lucene's chain, in order of first appearance, as keys. */
    private static List<String> lucene(String text, boolean stem) throws IOException {
        Tokenizer source = new StandardTokenizer();
        source.setReader(new StringReader(text));
        TokenStream ts = new LowerCaseFilter(source);
        if (stem) {
            ts = new PorterStemFilter(ts);
        }
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream in = ts) {
            CharTermAttribute term = in.addAttribute(CharTermAttribute.class);
            in.reset();
            while (in.incrementToken()) {
                String t = term.toString();
                if (!t.isEmpty() && Keys.utf8Length(t) <= Keys.MAX_KEY_BYTES) {
                    out.add(t);
                }
            }
            in.end();
        }
        return new ArrayList<>(out);
    }

    @Test
    void standardSegmentsWordsAndLowercases() {
        assertThat(KeyAnalyzer.forName("standard").keys("Hello, World! Straße 42"))
                .containsExactly("hello", "world", "straße", "42");
    }

    @Test
    void englishAlsoStems() {
        assertThat(KeyAnalyzer.forName("english").keys("Running runs RUN")).containsExactly("run");
    }

    @Test
    void noneKeepsTheTextAsTyped() {
        assertThat(KeyAnalyzer.forName("none").keys("  Apple Pie ")).containsExactly("Apple Pie");
        assertThat(KeyAnalyzer.forName(null).name()).isEqualTo("none");
    }

    @Test
    void keysAreDistinctInOrderOfFirstAppearance() {
        assertThat(KeyAnalyzer.forName("standard").keys("b a B c a"))
                .containsExactly("b", "a", "c");
    }

    @Test
    void dropsWordsTooLongToBeKeys() {
        assertThat(KeyAnalyzer.forName("standard").keys("ok " + "x".repeat(65)))
                .containsExactly("ok");
    }

    @Test
    void segmentsScriptsWithoutSpaces() {
        assertThat(KeyAnalyzer.forName("standard").keys("東京タワー")).hasSizeGreaterThan(1);
    }

    @Test
    void boundsAreLowercasedButNotStemmed() {
        assertThat(KeyAnalyzer.forName("english").bound("Runn")).isEqualTo("runn");
        assertThat(KeyAnalyzer.forName("none").bound("Runn")).isEqualTo("Runn");
    }

    @Test
    void namesAreCaseInsensitiveAndUnknownOnesRefused() {
        assertThat(KeyAnalyzer.forName(" English ").name()).isEqualTo("english");
        assertThatThrownBy(() -> KeyAnalyzer.forName("klingon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown analyzer 'klingon'");
    }
}
