package org.distree.html;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link NodeWriter}'s output goes: UTF-8 bytes into an array, or only counted (so measuring a node never
 * builds its bytes): {@link Keys#utf8Length} and the escapes, which the tests compare with the
 * bytes written on every kind of character. A lone surrogate is one byte, {@code ?}, as
 * {@link String#getBytes} and {@link Keys#utf8Length} have it.
 * The bytes are encoded here rather than by a StringBuilder and then {@code getBytes}: one
 * pass instead of two, and a page with one non-Latin-1 character (the range's dash) is not
 * held as UTF-16.
 */
final class HtmlOut {
    private static final int RAW = 0;
    private static final int ATTRIBUTE = 1;
    private static final int TEXT = 2;
    private static final byte[] AMP = ascii("&amp;");
    private static final byte[] QUOT = ascii("&quot;");
    private static final byte[] LT = ascii("&lt;");
    private static final byte[] GT = ascii("&gt;");

    /** Where a thread copies the characters of a string it puts (see {@link #put}). */
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[1024]);

    private static final int MAX_SCRATCH_CHARS = 1 << 16;

    private byte @Nullable [] buf;
    private char @Nullable [] chars;
    /** Bytes written or counted. */
    int bytes;

    HtmlOut(byte @Nullable [] buf) {
        this.buf = buf;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    HtmlOut raw(String s) {
        return put(s, RAW);
    }

    /** Bytes already encoded and escaped. */
    HtmlOut bytes(byte[] encoded) {
        if (buf != null) {
            System.arraycopy(encoded, 0, room(encoded.length), bytes, encoded.length);
        }
        bytes += encoded.length;
        return this;
    }

    HtmlOut num(long n) {
        if (n >= 0 && n < 10) {
            if (buf != null) {
                room(1);
                buf[bytes] = (byte) ('0' + n);
            }
            bytes++;
            return this;
        }
        return put(Long.toString(n), RAW);
    }

    /** An attribute value: escapes {@code &} and {@code "}. */
    HtmlOut attrValue(String v) {
        return put(v, ATTRIBUTE);
    }

    /** Text content: escapes {@code &}, {@code <} and {@code >}. */
    HtmlOut text(String v) {
        return put(v, TEXT);
    }

    private HtmlOut put(String v, int mode) {
        int n = v.length();
        byte[] b = buf;
        if (b == null) {
            bytes += count(v, mode);
            return this;
        }
        char[] cs = chars(n);
        v.getChars(0, n, cs, 0); // a loop over an array: charAt costs calls per character
        if (b.length - bytes < 6 * n) { // at most 6 bytes a char: "&quot;"
            b = room(6 * n);
        }
        int at = bytes;
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c < 0x80) {
                // Nothing above '>' is escaped: most text passes this first test.
                byte[] escape = c > '>' || mode == RAW ? null : escape(c, mode);
                if (escape == null) {
                    b[at++] = (byte) c;
                } else {
                    System.arraycopy(escape, 0, b, at, escape.length);
                    at += escape.length;
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | c >> 6);
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(cs[i + 1])) {
                int cp = Character.toCodePoint(c, cs[++i]);
                b[at++] = (byte) (0xF0 | cp >> 18);
                b[at++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                b[at++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                b[at++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[at++] = '?';
            } else {
                b[at++] = (byte) (0xE0 | c >> 12);
                b[at++] = (byte) (0x80 | (c >> 6 & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        bytes = at;
        return this;
    }

    /**
     * The bytes {@link #put} writes for {@code v}. Reads the string itself: a measure is
     * made for each item, and fetching a thread's scratch array for each cost more than the
     * count.
     */
    private static int count(String v, int mode) {
        int extra = 0;
        if (mode != RAW) {
            for (int i = 0, n = v.length(); i < n; i++) {
                char c = v.charAt(i);
                if (c <= '>') {
                    byte[] escape = escape(c, mode);
                    if (escape != null) {
                        extra += escape.length - 1;
                    }
                }
            }
        }
        return Keys.utf8Length(v) + extra;
    }

    /** A scratch array of at least {@code n} chars, this thread's. */
    private char[] chars(int n) {
        char[] cs = chars;
        if (cs == null || cs.length < n) {
            cs = CHARS.get();
            if (cs.length < n) {
                cs = new char[Math.max(n, 2 * cs.length)];
                if (cs.length <= MAX_SCRATCH_CHARS) {
                    CHARS.set(cs);
                }
            }
            chars = cs;
        }
        return cs;
    }

    private static byte @Nullable [] escape(char c, int mode) {
        return switch (c) {
            case '&' -> mode == RAW ? null : AMP;
            case '"' -> mode == ATTRIBUTE ? QUOT : null;
            case '<' -> mode == TEXT ? LT : null;
            case '>' -> mode == TEXT ? GT : null;
            default -> null;
        };
    }

    /** The array, grown if needed to take {@code more} bytes. */
    private byte[] room(int more) {
        byte[] b = buf;
        if (b == null) {
            throw new IllegalStateException("a counting Out has no room");
        }
        if (b.length - bytes < more) {
            b = Arrays.copyOf(b, Math.max(2 * b.length, bytes + more));
            buf = b;
        }
        return b;
    }

    /** An attribute: a space, {@code name="value"}, the value escaped. */
    HtmlOut attr(String name, String value) {
        return raw(" ").raw(name).raw("=\"").attrValue(value).raw("\"");
    }

    /** Attributes kept as they were read ({@code data-*} and the like), sorted by name. */
    HtmlOut attrs(Map<String, String> extra) {
        if (!extra.isEmpty()) {
            for (Map.Entry<String, String> a : new TreeMap<>(extra).entrySet()) {
                attr(a.getKey(), a.getValue());
            }
        }
        return this;
    }

    /** The array written into, the one given or a larger one it grew to; null when counting. */
    byte @Nullable [] buffer() {
        return buf;
    }

    byte[] toBytes() {
        return Arrays.copyOf(room(0), bytes);
    }
}
