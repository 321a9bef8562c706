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
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
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

    /**
     * The {@code -parts} analyzers stream runs through their own tokenizer; the keys must be
     * those of a plain reading of the rule (KeyAnalyzer's Javadoc): StandardTokenizer's words,
     * each run of words joined by one joiner (or {@code ::}) also whole when at most 64 bytes,
     * each of these through Lucene's own WordDelimiterGraphFilter, LowerCaseFilter
     * and PorterStemFilter. And they hold every key of the analyzer without parts.
     */
    @Test
    void partsAnalyzersMakeTheKeysOfLucenesOwnFiltersOverWordsAndTheirRuns() throws IOException {
        String alphabet = "aAzZ09  \t.,'-_/:@#\u2010\u2011::İIıΣσςÀàẞß²µª×日本語タワー"
                + "\uD801\uDC00\uD801\uDC28\uD835\uDC00ﬃŉΐ\u0301\u00AD\u0915\u093f\u0e01";
        Random random = new Random(14);
        for (int round = 0; round < 400; round++) {
            StringBuilder text = new StringBuilder();
            // Up to 5,000 characters: the tokenizer's buffers grow, and a long run is cut.
            int length = round % 20 == 0 ? 5_000 : random.nextInt(200);
            while (text.length() < length) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                if (Character.isHighSurrogate(c)) {
                    text.append(c).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    text.append(c);
                }
            }
            String t = text.toString();
            for (boolean stem : new boolean[] {false, true}) {
                KeyAnalyzer analyzer =
                        KeyAnalyzer.forName(stem ? "english-parts" : "standard-parts");
                List<String> keys = analyzer.keys(t);
                assertThat(keys).as("keys of %s", t).isEqualTo(withParts(t, stem, false));
                assertThat(analyzer.wholes(t))
                        .as("wholes of %s", t)
                        .isEqualTo(withParts(t, stem, true));
                assertThat(keys).containsAll(lucene(t, stem));
            }
        }
    }

    /** The joiners of CompoundTokenizer, read plainly: one of them alone, or "::". */
    private static boolean joins(String gap) {
        return gap.equals("::") || (gap.length() == 1 && "-./:_@#\u2010\u2011".contains(gap));
    }

    private static List<String> withParts(String text, boolean stem, boolean wholesOnly)
            throws IOException {
        List<int[]> words = new ArrayList<>();
        try (Tokenizer source = new StandardTokenizer()) {
            source.setReader(new StringReader(text));
            OffsetAttribute offset = source.addAttribute(OffsetAttribute.class);
            source.reset();
            while (source.incrementToken()) {
                words.add(new int[] {offset.startOffset(), offset.endOffset()});
            }
            source.end();
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            int j = i + 1;
            while (j < words.size()
                    && joins(text.substring(words.get(j - 1)[1], words.get(j)[0]))) {
                j++;
            }
            int start = words.get(i)[0];
            int end = words.get(j - 1)[1];
            boolean whole = j - i > 1 && Keys.utf8Length(text.substring(start, end)) <= 64;
            if (whole) {
                tokens.add(text.substring(start, end));
            }
            if (!whole || !wholesOnly) {
                for (int k = i; k < j; k++) {
                    tokens.add(text.substring(words.get(k)[0], words.get(k)[1]));
                }
            }
            i = j;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String token : tokens) {
            Tokenizer one = new KeywordTokenizer();
            one.setReader(new StringReader(token));
            TokenStream ts = wholesOnly
                    ? one
                    : new WordDelimiterGraphFilter(
                            one,
                            WordDelimiterGraphFilter.GENERATE_WORD_PARTS
                                    | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
                                    | WordDelimiterGraphFilter.PRESERVE_ORIGINAL,
                            null);
            out.addAll(terms(
                    stem
                            ? new PorterStemFilter(new LowerCaseFilter(ts))
                            : new LowerCaseFilter(ts)));
        }
        return new ArrayList<>(out);
    }

    /** The distinct terms of Lucene's chain, in order of first appearance, as keys. */
    private static List<String> lucene(String text, boolean stem) throws IOException {
        Tokenizer source = new StandardTokenizer();
        source.setReader(new StringReader(text));
        TokenStream ts = new LowerCaseFilter(source);
        if (stem) {
            ts = new PorterStemFilter(ts);
        }
        return new ArrayList<>(terms(ts));
    }

    /** The terms of a stream that are valid keys, distinct, in order. */
    private static Set<String> terms(TokenStream ts) throws IOException {
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
        return out;
    }

    @Test
    void countsAreTheTokensOfEachKeyInTheOrderOfKeys() {
        KeyAnalyzer parts = KeyAnalyzer.forName("standard-parts");
        String text = "Foo-bar and foo; AND bar, foo.  " + "x".repeat(70) + " foo";

        KeyAnalyzer.TermCounts c = parts.counts(text);

        assertThat(c.keys()).isEqualTo(parts.keys(text));
        assertThat(c.keys()).containsExactly("foo-bar", "foo", "bar", "and");
        // foo-bar once; foo in it and three times alone; bar in it and once alone.
        assertThat(List.of(c.count(0), c.count(1), c.count(2), c.count(3)))
                .containsExactly(1, 4, 2, 2);
        // Every token counts in the length, the 70-letter word (no key: over 64 bytes) too.
        assertThat(c.tokens()).isEqualTo(10);
        // Counting on random texts gives the keys of keys(), each counted at least once.
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 30; w++) {
                sb.append("ab.c-d_e ".charAt(random.nextInt(9)));
            }
            KeyAnalyzer.TermCounts r = parts.counts(sb.toString());
            assertThat(r.keys()).isEqualTo(parts.keys(sb.toString()));
            int sum = 0;
            for (int k = 0; k < r.keys().size(); k++) {
                assertThat(r.count(k)).isPositive();
                sum += r.count(k);
            }
            assertThat(r.tokens()).isEqualTo(sum);
        }
    }

    @Test
    void partsKeyCompoundsWholeAndByTheirParts() {
        KeyAnalyzer parts = KeyAnalyzer.forName("standard-parts");
        assertThat(parts.keys("KeyPair.getPublic()"))
                .containsExactly("keypair.getpublic", "keypair", "getpublic");
        assertThat(parts.keys("java.util.concurrent"))
                .containsExactly("java.util.concurrent", "java", "util", "concurrent");
        assertThat(parts.keys("pg_stat_wal_receiver"))
                .containsExactly("pg_stat_wal_receiver", "pg", "stat", "wal", "receiver");
        assertThat(parts.keys("foo-bar")).containsExactly("foo-bar", "foo", "bar");
        assertThat(parts.keys("std::vector, List#of"))
                .containsExactly("std::vector", "std", "vector", "list#of", "list", "of");
        // Not split at case changes nor between letters and digits; a space is no joiner.
        assertThat(parts.keys("getPublic utf8 x86-64"))
                .containsExactly("getpublic", "utf8", "x86-64", "x86", "64");
        assertThat(parts.keys("foo - bar")).containsExactly("foo", "bar");
        // A run too long to be a key keeps its words and their parts.
        String path = "/usr/" + "a".repeat(30) + "/" + "b".repeat(30) + "/c";
        assertThat(parts.keys(path)).containsExactly("usr", "a".repeat(30), "b".repeat(30), "c");
        // 62 bytes of UTF-8 (Cyrillic letters are two bytes each) make a key; 71 do not.
        String fits = "ключ" + "-ключ".repeat(6);
        String over = fits + "-ключ";
        assertThat(parts.keys(fits)).containsExactly(fits, "ключ");
        assertThat(parts.keys(over)).containsExactly("ключ");
        assertThat(parts.wholes(over)).containsExactly("ключ");
    }

    @Test
    void wholesAreTheWordsAsWrittenWithoutTheirParts() {
        KeyAnalyzer parts = KeyAnalyzer.forName("standard-parts");
        assertThat(parts.wholes("KeyPair.getPublic() and foo-bar"))
                .containsExactly("keypair.getpublic", "and", "foo-bar");
        assertThat(KeyAnalyzer.forName("english-parts").wholes("Running-shoes"))
                .containsExactly("running-sho");
        assertThat(KeyAnalyzer.forName("standard").wholes("foo-bar a.b"))
                .containsExactly("foo", "bar", "a.b");
    }

    @Test
    void stemmingIsTheStemmingAnalyzerOfTheSameWords() {
        assertThat(KeyAnalyzer.forName("standard").stemming().name()).isEqualTo("english");
        assertThat(KeyAnalyzer.forName("standard-parts").stemming().name())
                .isEqualTo("english-parts");
        assertThat(KeyAnalyzer.forName("english-parts").stemming().name())
                .isEqualTo("english-parts");
        assertThat(KeyAnalyzer.forName("none").stemming().name()).isEqualTo("none");
        assertThat(KeyAnalyzer.forName("english-parts").splitsCompounds()).isTrue();
        assertThat(KeyAnalyzer.forName("english").splitsCompounds()).isFalse();
        assertThat(KeyAnalyzer.names())
                .containsExactlyInAnyOrder(
                        "standard", "english", "standard-parts", "english-parts", "none");
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
