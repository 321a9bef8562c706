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
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
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
 *   <li>{@value #STANDARD_PARTS}: the keys of {@value #STANDARD}, and compound words whole and
 *       by their parts: {@code KeyPair.getPublic()} gives {@code keypair.getpublic}, {@code
 *       keypair} and {@code getpublic}; {@code foo-bar} gives {@code foo-bar}, {@code foo} and
 *       {@code bar}. A compound is a run of words joined by one of {@code - . / : _ @ #} (or
 *       {@code ::}) with no space ({@link CompoundTokenizer}); its parts, and those of every
 *       word, are its runs of letters and digits, as Lucene's {@link WordDelimiterGraphFilter}
 *       makes them with the original kept. Words are not split at case changes ({@code
 *       getPublic} is one part) nor between letters and digits ({@code utf8});
 *   <li>{@value #ENGLISH_PARTS}: the same, then Porter stemming of every key;
 *   <li>{@value #NONE}: the text as typed, one key (the default when a root declares nothing).
 * </ul>
 *
 * A word that does not make a valid key (over {@value Keys#MAX_KEY_BYTES} bytes of UTF-8) is
 * dropped. {@link #wholes} gives the keys of the words as written, without the parts, so that a
 * search can rank a page that holds a compound whole above pages that hold only its parts. The
 * names are part of the format: a tree keeps being searched with the analyzer it declares, so an
 * analyzer's keys never change; a new way of making keys gets a new name. Instances are
 * immutable and thread-safe.
 */
public final class KeyAnalyzer {
    public static final String STANDARD = "standard";
    public static final String ENGLISH = "english";
    public static final String NONE = "none";
    public static final String STANDARD_PARTS = "standard-parts";
    public static final String ENGLISH_PARTS = "english-parts";

    /**
     * The parts {@link WordDelimiterGraphFilter} makes: runs of letters and digits, the token
     * itself kept; no split at case changes or between letters and digits, no possessive cut.
     */
    private static final int PARTS = WordDelimiterGraphFilter.GENERATE_WORD_PARTS
            | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
            | WordDelimiterGraphFilter.PRESERVE_ORIGINAL;

    private static final KeyAnalyzer NONE_ANALYZER =
            new KeyAnalyzer(NONE, false, false, null, null);

    /** The words of the text being analyzed, one set a thread, emptied for each text. */
    private static final ThreadLocal<WordSet> SEEN = ThreadLocal.withInitial(WordSet::new);

    private static final int MAX_KEPT_WORDS = 8192;

    private final String name;
    private final boolean stem;
    private final boolean parts;
    private final @Nullable Analyzer lucene;

    /** The words as written, without their parts: for the {@code -parts} analyzers only. */
    private final @Nullable Analyzer wholeWords;

    private KeyAnalyzer(
            String name,
            boolean stem,
            boolean parts,
            @Nullable Analyzer lucene,
            @Nullable Analyzer wholeWords) {
        this.name = name;
        this.stem = stem;
        this.parts = parts;
        this.lucene = lucene;
        this.wholeWords = wholeWords;
    }

    /**
     * The analyzers built on Lucene, made when one is first asked for: a tree that declares no
     * analyzer (or {@value #NONE}) is searched without loading Lucene (issue 15).
     */
    private static final class WithLucene {
        static final KeyAnalyzer STANDARD_ANALYZER = make(STANDARD, false, false);
        static final KeyAnalyzer ENGLISH_ANALYZER = make(ENGLISH, true, false);
        static final KeyAnalyzer STANDARD_PARTS_ANALYZER = make(STANDARD_PARTS, false, true);
        static final KeyAnalyzer ENGLISH_PARTS_ANALYZER = make(ENGLISH_PARTS, true, true);

        private WithLucene() {}

        private static KeyAnalyzer make(String name, boolean stem, boolean parts) {
            return new KeyAnalyzer(
                    name,
                    stem,
                    parts,
                    analyzer(stem, parts, false),
                    parts ? analyzer(stem, true, true) : null);
        }

        private static Analyzer analyzer(boolean stem, boolean parts, boolean wholesOnly) {
            return new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String field) {
                    Tokenizer source =
                            parts ? new CompoundTokenizer(wholesOnly) : new StandardTokenizer();
                    TokenStream out = source;
                    if (parts && !wholesOnly) {
                        out = new WordDelimiterGraphFilter(out, PARTS, null);
                    }
                    out = new LowerCase(out);
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
    }

    /** The names {@link #forName} knows. */
    public static Set<String> names() {
        return Set.of(STANDARD, ENGLISH, STANDARD_PARTS, ENGLISH_PARTS, NONE);
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
            case STANDARD -> WithLucene.STANDARD_ANALYZER;
            case ENGLISH -> WithLucene.ENGLISH_ANALYZER;
            case STANDARD_PARTS -> WithLucene.STANDARD_PARTS_ANALYZER;
            case ENGLISH_PARTS -> WithLucene.ENGLISH_PARTS_ANALYZER;
            default ->
                throw new IllegalArgumentException("unknown analyzer '"
                        + Keys.abbreviate(n, 40)
                        + "' (known: standard-parts, english-parts, standard, english, none)");
        };
    }

    public String name() {
        return name;
    }

    /**
     * The analyzer that makes the same words and stems them: {@value #ENGLISH} for {@value
     * #STANDARD}, {@value #ENGLISH_PARTS} for {@value #STANDARD_PARTS}; a stemming analyzer and
     * {@value #NONE} are themselves.
     */
    public KeyAnalyzer stemming() {
        if (stem || lucene == null) {
            return this;
        }
        return parts ? WithLucene.ENGLISH_PARTS_ANALYZER : WithLucene.ENGLISH_ANALYZER;
    }

    /** True when compounds are also keyed by their parts (the {@code -parts} analyzers). */
    public boolean splitsCompounds() {
        return parts;
    }

    /** The distinct keys of {@code text}, in the order they first appear. */
    public List<String> keys(String text) {
        return keys(lucene, text);
    }

    /**
     * The keys of the words of {@code text} as written, without the parts of compounds: a
     * subset of {@link #keys}, and the same list for analyzers that do not split compounds. A
     * compound whole over {@value Keys#MAX_KEY_BYTES} bytes gives its words instead.
     */
    public List<String> wholes(String text) {
        return keys(parts ? wholeWords : lucene, text);
    }

    private static List<String> keys(@Nullable Analyzer lucene, String text) {
        return keys(lucene, text, null);
    }

    /**
     * How often each key of {@code text} occurs: its keys as {@link #keys} makes them, in the
     * same order, each with the number of tokens that made it (a compound's parts count as
     * tokens of their own, so {@code foo-bar} counts once for {@code foo-bar}, {@code foo} and
     * {@code bar}: a word at the same place is counted once however many ways make it, so
     * {@code foo-foo} counts {@code foo} once), and the tokens in all, keys or not.
     */
    public TermCounts counts(String text) {
        Counts c = new Counts();
        List<String> keys = keys(lucene, text, c);
        return new TermCounts(keys, Arrays.copyOf(c.perKey, keys.size()), c.tokens);
    }

    /**
     * The keys of a text and how often each occurs: its distinct keys in the order they first
     * appear, the tokens that made each, and the tokens of the text in all (keys or not).
     */
    public static final class TermCounts {
        private final List<String> keys;
        private final int[] counts;
        private final int tokens;

        TermCounts(List<String> keys, int[] counts, int tokens) {
            if (counts.length != keys.size()) {
                throw new IllegalArgumentException(
                        counts.length + " counts for " + keys.size() + " keys");
            }
            this.keys = List.copyOf(keys);
            this.counts = counts.clone();
            this.tokens = tokens;
        }

        /** The distinct keys, in the order they first appear. */
        public List<String> keys() {
            return keys;
        }

        /** How many tokens made {@code keys().get(i)}. */
        public int count(int i) {
            return counts[i];
        }

        /** The tokens of the text, including words that make no key. */
        public int tokens() {
            return tokens;
        }
    }

    /**
     * Token counts while analyzing: per key index, and in all. A compound's words come both
     * from the tokenizer (with their own offsets) and as the compound's parts (with the
     * compound's offsets): a token with the key of one of the last few counted, whose offsets
     * hold or lie within that one's, is the same word, counted once.
     */
    private static final class Counts {
        private static final int RECENT = 32;
        int[] perKey = new int[64];
        int tokens;
        private final int[] recentStart = new int[RECENT];
        private final int[] recentEnd = new int[RECENT];
        private final int[] recentKey = new int[RECENT];
        private int next;

        Counts() {
            Arrays.fill(recentKey, -1);
        }

        void add(int key, int start, int end) {
            if (key >= 0) {
                for (int i = 0; i < RECENT; i++) {
                    if (recentKey[i] == key
                            && ((recentStart[i] <= start && end <= recentEnd[i])
                                    || (start <= recentStart[i] && recentEnd[i] <= end))) {
                        return;
                    }
                }
                recentStart[next] = start;
                recentEnd[next] = end;
                recentKey[next] = key;
                next = (next + 1) % RECENT;
            }
            add(key);
        }

        void add(int key) {
            tokens++;
            if (key < 0) {
                return;
            }
            if (key >= perKey.length) {
                perKey = Arrays.copyOf(perKey, Math.max(2 * perKey.length, key + 1));
            }
            perKey[key]++;
        }
    }

    private static List<String> keys(@Nullable Analyzer lucene, String text, @Nullable Counts c) {
        List<String> out = new ArrayList<>();
        if (lucene == null) {
            addIfKey(out, text.strip());
            if (c != null && !out.isEmpty()) {
                c.add(0);
            }
            return out;
        }
        // Words repeat: a word seen before is looked up by its characters, with no String made.
        WordSet seen = SEEN.get();
        seen.clear();
        try (TokenStream ts = lucene.tokenStream("key", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = c == null ? null : ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() == 0) {
                    continue;
                }
                int index = seen.add(term.buffer(), term.length(), out.size());
                if (index == WordSet.ADDED) {
                    index = out.size();
                    if (!addIfKey(out, term.toString())) {
                        index = WordSet.NOT_A_KEY;
                        seen.set(term.buffer(), term.length(), index);
                    }
                }
                if (c != null && offset != null) {
                    c.add(index, offset.startOffset(), offset.endOffset());
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
     * change which keys it starts): lowercased, or as typed for {@value #NONE}.
     */
    public String bound(String text) {
        return lucene == null ? text : lucene.normalize("key", text).utf8ToString();
    }

    /** Adds a token not seen before, if it makes a valid key; true when it does. */
    private static boolean addIfKey(List<String> out, String token) {
        if (token.isEmpty() || Keys.utf8Length(token) > Keys.MAX_KEY_BYTES) {
            return false;
        }
        try {
            out.add(Keys.requireKey(token));
            return true;
        } catch (IllegalArgumentException e) {
            // a word with control characters is no key; leave it out
            return false;
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
        /** What {@link #add} returns for a word that was not in the set. */
        static final int ADDED = Integer.MIN_VALUE;
        /** The value of a word that makes no key. */
        static final int NOT_A_KEY = -1;

        private char[][] words = new char[1024][];
        private int[] hashes = new int[1024];
        private int[] texts = new int[1024];
        private int[] values = new int[1024];
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

        /**
         * Adds the word {@code buf[0..len)} with {@code value} unless present: {@link #ADDED}
         * when it was not, else the value it has.
         */
        int add(char[] buf, int len, int value) {
            int h = hash(buf, len);
            int mask = words.length - 1;
            for (int slot = h & mask; ; slot = (slot + 1) & mask) {
                if (texts[slot] != text) {
                    words[slot] = Arrays.copyOf(buf, len);
                    hashes[slot] = h;
                    texts[slot] = text;
                    values[slot] = value;
                    if (2 * ++size > words.length) {
                        grow();
                    }
                    return ADDED;
                }
                char[] w = words[slot];
                if (hashes[slot] == h && Arrays.equals(w, 0, w.length, buf, 0, len)) {
                    return values[slot];
                }
            }
        }

        /** Sets the value of the word {@code buf[0..len)}, which is in the set. */
        void set(char[] buf, int len, int value) {
            int h = hash(buf, len);
            int mask = words.length - 1;
            for (int slot = h & mask; texts[slot] == text; slot = (slot + 1) & mask) {
                char[] w = words[slot];
                if (hashes[slot] == h && Arrays.equals(w, 0, w.length, buf, 0, len)) {
                    values[slot] = value;
                    return;
                }
            }
        }

        private static int hash(char[] buf, int len) {
            int h = 0;
            for (int i = 0; i < len; i++) {
                h = 31 * h + buf[i];
            }
            return h ^ (h >>> 16);
        }

        private void grow() {
            char[][] oldWords = words;
            int[] oldHashes = hashes;
            int[] oldTexts = texts;
            int[] oldValues = values;
            words = new char[2 * oldWords.length][];
            hashes = new int[words.length];
            texts = new int[words.length];
            values = new int[words.length];
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
                    values[slot] = oldValues[i];
                }
            }
        }
    }
}
