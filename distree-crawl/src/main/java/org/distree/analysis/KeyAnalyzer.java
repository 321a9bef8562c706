package org.distree.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * How keys are made from text: the one definition, used by search to normalize query words and
 * by indexing to make keys. A root declares its analyzer by name in {@code <distree
 * analyzer="…">}; a searcher then calls {@code KeyAnalyzer.forName(name).keys(words)}.
 *
 * <ul>
 *   <li>{@value #STANDARD}: Unicode word segmentation (UAX #29, Lucene's {@code
 *       StandardTokenizer}), then lowercase;
 *   <li>{@value #ENGLISH}: the same, then Porter stemming ("running" and "runs" become "run");
 *   <li>{@value #NONE}: the text as typed, one key (the default when a root declares nothing).
 * </ul>
 *
 * A word that does not make a valid key (over {@value Keys#MAX_KEY_BYTES} bytes of UTF-8) is
 * dropped. Instances are immutable and thread-safe.
 */
public final class KeyAnalyzer {
    public static final String STANDARD = "standard";
    public static final String ENGLISH = "english";
    public static final String NONE = "none";

    private static final KeyAnalyzer STANDARD_ANALYZER = new KeyAnalyzer(STANDARD, false);
    private static final KeyAnalyzer ENGLISH_ANALYZER = new KeyAnalyzer(ENGLISH, true);
    private static final KeyAnalyzer NONE_ANALYZER = new KeyAnalyzer(NONE, false);

    /** The words of the text being analyzed, one set a thread, emptied for each text. */
    private static final ThreadLocal<WordSet> SEEN = ThreadLocal.withInitial(WordSet::new);

    private static final int MAX_KEPT_WORDS = 8192;

    private final String name;
    private final @Nullable Analyzer lucene;

    private KeyAnalyzer(String name, boolean stem) {
        this.name = name;
        this.lucene = name.equals(NONE)
                ? null
                : new Analyzer() {
                    @Override
                    protected TokenStreamComponents createComponents(String field) {
                        Tokenizer source = new StandardTokenizer();
                        TokenStream out = new LowerCase(source);
                        if (stem) {
                            out = new PorterStemFilter(out);
                        }
                        return new TokenStreamComponents(source, out);
                    }

                    @Override
                    protected TokenStream normalize(String field, TokenStream in) {
                        return new LowerCase(in);
                    }
                };
    }

    /** The names {@link #forName} knows. */
    public static Set<String> names() {
        return Set.of(STANDARD, ENGLISH, NONE);
    }

    /**
     * The analyzer called {@code name} (case-insensitive); null or blank is {@value #NONE}.
     *
     * @throws IllegalArgumentException for a name it does not know
     */
    public static KeyAnalyzer forName(@Nullable String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "", NONE -> NONE_ANALYZER;
            case STANDARD -> STANDARD_ANALYZER;
            case ENGLISH -> ENGLISH_ANALYZER;
            default ->
                throw new IllegalArgumentException("unknown analyzer '"
                        + Keys.abbreviate(n, 40)
                        + "' (known: standard, english, none)");
        };
    }

    public String name() {
        return name;
    }

    /** The distinct keys of {@code text}, in the order they first appear. */
    public List<String> keys(String text) {
        List<String> out = new ArrayList<>();
        if (lucene == null) {
            addIfKey(out, text.strip());
            return out;
        }
        // Words repeat: a word seen before is looked up by its characters, with no String made.
        WordSet seen = SEEN.get();
        seen.clear();
        try (TokenStream ts = lucene.tokenStream("key", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() > 0 && seen.add(term.buffer(), term.length())) {
                    addIfKey(out, term.toString());
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the text is in memory
        } finally {
            if (seen.size() > MAX_KEPT_WORDS) {
                SEEN.remove(); // do not keep a huge text's words
            }
        }
        return out;
    }

    /**
     * A prefix or range bound normalized without segmenting or stemming (stemming a prefix would
     * change which keys it starts): lowercased for {@value #STANDARD} and {@value #ENGLISH}, as
     * typed for {@value #NONE}.
     */
    public String bound(String text) {
        return lucene == null ? text : lucene.normalize("key", text).utf8ToString();
    }

    /** Adds a token not seen before, if it makes a valid key. */
    private static void addIfKey(List<String> out, String token) {
        if (token.isEmpty() || Keys.utf8Length(token) > Keys.MAX_KEY_BYTES) {
            return;
        }
        try {
            out.add(Keys.requireKey(token));
        } catch (IllegalArgumentException e) {
            // a word with control characters is no key; leave it out
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Lucene's {@link LowerCaseFilter}, the same function ({@link CharacterUtils#toLowerCase}),
     * with a shortcut for words of ASCII letters and digits, which are most words: it changes
     * only A to Z, as {@link Character#toLowerCase(int)} does on ASCII.
     */
    private static final class LowerCase extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

        LowerCase(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            char[] b = term.buffer();
            int n = term.length();
            for (int i = 0; i < n; i++) {
                char c = b[i];
                if (c >= 0x80) {
                    CharacterUtils.toLowerCase(b, i, n);
                    break;
                }
                if (c >= 'A' && c <= 'Z') {
                    b[i] = (char) (c + ('a' - 'A'));
                }
            }
            return true;
        }
    }

    /**
     * The distinct words of one text: an open-addressing table of their characters, emptied in
     * one step (a slot belongs to the current text only if it carries its number). Lucene's
     * {@link CharArraySet} hashed and compared by code point and cleared its whole table for
     * every page.
     */
    private static final class WordSet {
        private char[][] words = new char[1024][];
        private int[] hashes = new int[1024];
        private int[] texts = new int[1024];
        private int text = 1;
        private int size;

        /** Empties the set. */
        void clear() {
            size = 0;
            if (++text == Integer.MAX_VALUE) {
                Arrays.fill(texts, 0);
                text = 1;
            }
        }

        int size() {
            return size;
        }

        /** Adds the word {@code buf[0..len)} unless present; true when it was not. */
        boolean add(char[] buf, int len) {
            int h = 0;
            for (int i = 0; i < len; i++) {
                h = 31 * h + buf[i];
            }
            h ^= h >>> 16;
            int mask = words.length - 1;
            for (int slot = h & mask; ; slot = (slot + 1) & mask) {
                if (texts[slot] != text) {
                    words[slot] = Arrays.copyOf(buf, len);
                    hashes[slot] = h;
                    texts[slot] = text;
                    if (2 * ++size > words.length) {
                        grow();
                    }
                    return true;
                }
                char[] w = words[slot];
                if (hashes[slot] == h && Arrays.equals(w, 0, w.length, buf, 0, len)) {
                    return false;
                }
            }
        }

        private void grow() {
            char[][] oldWords = words;
            int[] oldHashes = hashes;
            int[] oldTexts = texts;
            words = new char[2 * oldWords.length][];
            hashes = new int[words.length];
            texts = new int[words.length];
            int mask = words.length - 1;
            for (int i = 0; i < oldWords.length; i++) {
                if (oldTexts[i] == text) {
                    int slot = oldHashes[i] & mask;
                    while (texts[slot] == text) {
                        slot = (slot + 1) & mask;
                    }
                    words[slot] = oldWords[i];
                    hashes[slot] = oldHashes[i];
                    texts[slot] = text;
                }
            }
        }
    }
}
