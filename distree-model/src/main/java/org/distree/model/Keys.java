package org.distree.model;

import java.util.Comparator;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one place for key order and key limits.
 *
 * <p>Keys compare by Unicode code point (the same order as their UTF-8 bytes), never by {@link
 * String#compareTo}, which compares UTF-16 units and puts U+FFFF above U+10000. A key is 1 to
 * {@value #MAX_KEY_BYTES} bytes of UTF-8 and holds no control characters.
 */
public final class Keys {
    /** The longest key, in UTF-8 bytes: 64. Long keys would leave too few children per file. */
    public static final int MAX_KEY_BYTES = 64;

    /** Code point order over strings. */
    public static final Comparator<String> ORDER = Keys::compare;

    private Keys() {}

    /** Compares two strings by Unicode code point, like their UTF-8 bytes compare. */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                // Surrogates (U+D800..DFFF) stand for code points above U+FFFF, so they sort
                // above every other UTF-16 unit.
                boolean sa = Character.isSurrogate(ca);
                boolean sb = Character.isSurrogate(cb);
                if (sa != sb) {
                    return sa ? 1 : -1;
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    /**
     * Checks that {@code key} is a valid key and returns it.
     *
     * @throws IllegalArgumentException naming the key and the limit it breaks
     */
    public static String requireKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key is empty");
        }
        if (key.length() <= MAX_KEY_BYTES && isPrintableAscii(key)) {
            return key; // most keys: one byte a character, and no control character
        }
        int bytes = utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key '" + abbreviate(key, 40) + "' is " + bytes
                    + " bytes, over the " + MAX_KEY_BYTES + " byte limit");
        }
        requireNoControl("key", key);
        return key;
    }

    /** True when {@code s} holds only printable ASCII (U+0020 to U+007E). */
    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Throws if {@code value} holds a control character, a lone surrogate or U+FFFE/U+FFFF. */
    public static void requireNoControl(String what, String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isISOControl(cp)
                    || (Character.isSurrogate((char) cp) && cp < 0x10000)
                    || (cp & 0xFFFE) == 0xFFFE) {
                throw new IllegalArgumentException(
                        what + " '" + abbreviate(value, 40) + "' holds the character U+"
                                + String.format(Locale.ROOT, "%04X", cp) + " at index " + i
                                + ", which is not allowed");
            }
            i += Character.charCount(cp);
        }
    }

    /** The number of bytes of {@code s} in UTF-8 (a lone surrogate counts as '?', one byte). */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The shortest prefix of {@code next} that sorts strictly above {@code prev}. Requires {@code
     * prev < next}. Used for separators between nodes, which keeps child items short.
     */
    public static String shortestSeparator(String prev, String next) {
        if (compare(prev, next) >= 0) {
            throw new IllegalArgumentException("separator needs prev < next");
        }
        // Every prefix of next shorter than where the two first differ is a prefix of prev, so
        // at most prev; the prefix that takes in the first differing code point is above it.
        int n = Math.min(prev.length(), next.length());
        int d = 0;
        while (d < n && prev.charAt(d) == next.charAt(d)) {
            d++;
        }
        int end = d + 1;
        if (Character.isHighSurrogate(next.charAt(d))
                && end < next.length()
                && Character.isLowSurrogate(next.charAt(end))) {
            end++;
        }
        return next.substring(0, end);
    }

    /**
     * The smallest string above every string that starts with {@code prefix}, or null when there
     * is none (the prefix is all U+10FFFF).
     */
    public static @Nullable String prefixEnd(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        for (int i = cps.length - 1; i >= 0; i--) {
            if (cps[i] < Character.MAX_CODE_POINT) {
                int next = cps[i] + 1;
                if (next == Character.MIN_SURROGATE) {
                    next = Character.MAX_SURROGATE + 1;
                }
                return new String(cps, 0, i) + new String(Character.toChars(next));
            }
        }
        return null;
    }

    /**
     * {@code s} cut to {@code max} code points, with an ellipsis when cut, for a message or a
     * label: control characters are shown escaped ({@code \n}, {@code \u001B}), so that a value
     * quoted from outside input keeps a message on one line and cannot forge a log line.
     */
    public static String abbreviate(String s, int max) {
        String cut = s.codePointCount(0, s.length()) <= max
                ? s
                : s.substring(0, s.offsetByCodePoints(0, max)) + "…";
        for (int i = 0; i < cut.length(); i++) {
            if (Character.isISOControl(cut.charAt(i))) {
                return escapeControls(cut);
            }
        }
        return cut;
    }

    private static String escapeControls(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
