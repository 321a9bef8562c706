package org.distree.analysis;

import java.io.CharArrayReader;
import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.distree.model.Keys;

/**
 * Lucene's {@link StandardTokenizer} words, and compound words whole: a run of words that only a
 * joiner separates becomes one more token, ahead of its words.
 *
 * <pre>
 * text        KeyPair.getPublic() and foo-bar, see java.util.List#of or std::vector
 * words       KeyPair.getPublic  and  foo  bar  see  java.util.List  of  or  std  vector
 * tokens      KeyPair.getPublic  and  foo-bar foo bar  see  java.util.List#of java.util.List of
 *             or  std::vector std vector
 * </pre>
 *
 * <p>A joiner is exactly one of {@value #JOINERS} (hyphen-minus, full stop, solidus, colon, low
 * line, commercial at, number sign, U+2010 hyphen, U+2011 non-breaking hyphen) or the two
 * characters {@code ::}, with no space: UAX #29 already keeps {@code KeyPair.getPublic} and
 * {@code pg_stat_wal_receiver} whole, and splits {@code foo-bar}, {@code 3.x}, {@code
 * List#of}, {@code std::vector} and {@code /usr/share/doc}; those splits become runs here. Words
 * with nothing between them (Han characters, a word over 255 characters cut in pieces) are not
 * joined. A run whole over {@value Keys#MAX_KEY_BYTES} bytes of UTF-8 is not a token (it could
 * not be a key); its words still are.
 *
 * <p>The parts of each token are then made by {@link
 * org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter} (see {@link KeyAnalyzer}).
 * With {@code wholesOnly}, a run of two or more words gives its whole alone (or, when too long,
 * its words), and a lone word itself: the words a reader typed, for ranking.
 *
 * <p>The whole text is read into memory first (the analyzer's texts are strings already); the
 * search page's script makes the same tokens ({@code distree-search.js}, {@code runs}).
 */
final class CompoundTokenizer extends Tokenizer {
    /** Characters that join two words into a compound when alone between them. */
    static final String JOINERS = "-./:_@#\u2010\u2011";

    /** A text buffer larger than this is not kept for the next text. */
    private static final int MAX_KEPT_CHARS = 1 << 18;

    private final boolean wholesOnly;
    private final StandardTokenizer words = new StandardTokenizer();
    private final OffsetAttribute wordOffset = words.addAttribute(OffsetAttribute.class);
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);

    private char[] text = new char[1024];
    private int length;

    /** The tokens of the current run still to give: start and end offsets, in pairs. */
    private int[] pending = new int[16];

    private int pendingSize;
    private int pendingAt;

    /** The word read ahead (the first of the next run), if {@link #ahead}. */
    private int aheadStart;

    private int aheadEnd;
    private boolean ahead;
    private boolean wordsOpen;

    CompoundTokenizer(boolean wholesOnly) {
        this.wholesOnly = wholesOnly;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        length = 0;
        for (int n; (n = input.read(text, length, text.length - length)) != -1; ) {
            length += n;
            if (length == text.length) {
                text = Arrays.copyOf(text, 2 * text.length);
            }
        }
        if (wordsOpen) {
            words.close();
        }
        words.setReader(new CharArrayReader(text, 0, length));
        words.reset();
        wordsOpen = true;
        pendingSize = 0;
        pendingAt = 0;
        ahead = false;
    }

    @Override
    public boolean incrementToken() throws IOException {
        if (pendingAt == pendingSize && !nextRun()) {
            return false;
        }
        clearAttributes();
        int start = pending[pendingAt];
        int end = pending[pendingAt + 1];
        pendingAt += 2;
        term.copyBuffer(text, start, end - start);
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    /** Reads the next run of words into {@link #pending}; false at the end of the text. */
    private boolean nextRun() throws IOException {
        pendingSize = 0;
        pendingAt = 0;
        if (!ahead && !readWord()) {
            return false;
        }
        ahead = false;
        // Slots 0 and 1 are kept for the whole; filled in below if the run has several words.
        push(0, 0);
        push(aheadStart, aheadEnd);
        int runStart = aheadStart;
        int runEnd = aheadEnd;
        int count = 1;
        while (readWord()) {
            if (!joins(runEnd, aheadStart)) {
                ahead = true;
                break;
            }
            push(aheadStart, aheadEnd);
            runEnd = aheadEnd;
            count++;
        }
        boolean whole = count > 1 && fitsKey(runStart, runEnd);
        if (whole) {
            pending[0] = runStart;
            pending[1] = runEnd;
            if (wholesOnly) {
                pendingSize = 2;
            }
        } else {
            pendingAt = 2; // the run's words alone
        }
        return true;
    }

    /** Reads the next word of the text into {@link #aheadStart} and {@link #aheadEnd}. */
    private boolean readWord() throws IOException {
        if (!words.incrementToken()) {
            return false;
        }
        aheadStart = wordOffset.startOffset();
        aheadEnd = wordOffset.endOffset();
        return true;
    }

    /**
     * True when {@code text[start, end)} is at most {@value Keys#MAX_KEY_BYTES} bytes of UTF-8,
     * counted as {@link Keys#utf8Length} counts.
     */
    private boolean fitsKey(int start, int end) {
        if (end - start > Keys.MAX_KEY_BYTES) {
            return false; // every character is at least one byte
        }
        int bytes = 0;
        for (int i = start; i < end; i++) {
            char c = text[i];
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < end
                    && Character.isLowSurrogate(text[i + 1])) {
                bytes += 4;
                i++;
            } else {
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes <= Keys.MAX_KEY_BYTES;
    }

    /** True when only a joiner lies between {@code end} (of one word) and {@code start}. */
    private boolean joins(int end, int start) {
        return switch (start - end) {
            case 1 -> JOINERS.indexOf(text[end]) >= 0;
            case 2 -> text[end] == ':' && text[end + 1] == ':';
            default -> false;
        };
    }

    private void push(int start, int end) {
        if (pendingSize + 2 > pending.length) {
            pending = Arrays.copyOf(pending, 2 * pending.length);
        }
        pending[pendingSize++] = start;
        pending[pendingSize++] = end;
    }

    @Override
    public void end() throws IOException {
        super.end();
        int end = correctOffset(length);
        offset.setOffset(end, end);
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (wordsOpen) {
            words.close();
            wordsOpen = false;
        }
        if (text.length > MAX_KEPT_CHARS) {
            text = new char[1024];
        }
        if (pending.length > MAX_KEPT_CHARS) {
            pending = new int[16];
        }
    }
}
