package org.distree.archive.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The string operations of JavaScript (and the web platform) that {@code warcio cdx-index}
 * applies to a request body, done the same way in Java, so that {@link RequestQuery} makes the
 * same key: {@code TextDecoder}'s UTF-8, {@code String.prototype.trim}, {@code decodeURI},
 * {@code Number.prototype.toString}, {@code JSON.stringify} of a string, and {@code
 * URLSearchParams}' serializer. Each method names the rule it follows.
 */
public final class JsStrings {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
    private static final String URI_RESERVED = ";/?:@&=+$,#";

    private JsStrings() {}

    /**
     * {@code new TextDecoder().decode(bytes)}: UTF-8 as the WHATWG Encoding standard decodes it,
     * a leading byte order mark dropped, each maximal bad subsequence one U+FFFD.
     */
    public static String utf8(byte[] b, int from, int to) {
        int i = from;
        if (to - i >= 3
                && b[i] == (byte) 0xEF
                && b[i + 1] == (byte) 0xBB
                && b[i + 2] == (byte) 0xBF) {
            i += 3;
        }
        StringBuilder out = new StringBuilder(to - i);
        int cp = 0;
        int needed = 0;
        int seen = 0;
        int lower = 0x80;
        int upper = 0xBF;
        while (i < to) {
            int x = b[i] & 0xff;
            if (needed == 0) {
                i++;
                if (x <= 0x7F) {
                    out.append((char) x);
                } else if (x >= 0xC2 && x <= 0xDF) {
                    needed = 1;
                    cp = x & 0x1F;
                } else if (x >= 0xE0 && x <= 0xEF) {
                    lower = x == 0xE0 ? 0xA0 : 0x80;
                    upper = x == 0xED ? 0x9F : 0xBF;
                    needed = 2;
                    cp = x & 0xF;
                } else if (x >= 0xF0 && x <= 0xF4) {
                    lower = x == 0xF0 ? 0x90 : 0x80;
                    upper = x == 0xF4 ? 0x8F : 0xBF;
                    needed = 3;
                    cp = x & 7;
                } else {
                    out.append('\uFFFD');
                }
                continue;
            }
            if (x < lower || x > upper) {
                // The byte is read again as the start of what follows.
                cp = 0;
                needed = 0;
                seen = 0;
                lower = 0x80;
                upper = 0xBF;
                out.append('\uFFFD');
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            cp = (cp << 6) | (x & 0x3F);
            if (++seen == needed) {
                out.appendCodePoint(cp);
                cp = 0;
                needed = 0;
                seen = 0;
            }
        }
        if (needed != 0) {
            out.append('\uFFFD');
        }
        return out.toString();
    }

    /** Whether JavaScript's {@code trim} removes c: WhiteSpace and LineTerminator. */
    public static boolean jsSpace(char c) {
        return c == '\t'
                || c == 0x0B
                || c == '\f'
                || c == ' '
                || c == '\n'
                || c == '\r'
                || c == 0x2028
                || c == 0x2029
                || c == 0xFEFF
                || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    /** {@code s.trim()}. */
    public static String trim(String s) {
        return trimEnd(trimStart(s));
    }

    /** {@code s.trimStart()}. */
    public static String trimStart(String s) {
        int i = 0;
        while (i < s.length() && jsSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    /** {@code s.trimEnd()}. */
    public static String trimEnd(String s) {
        int n = s.length();
        while (n > 0 && jsSpace(s.charAt(n - 1))) {
            n--;
        }
        return s.substring(0, n);
    }

    /** The string with each lone surrogate replaced by U+FFFD, as a USVString holds it. */
    public static String usv(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                lone = true;
            } else if (Character.isLowSurrogate(c)) {
                lone = true;
            }
            if (lone && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * {@code decodeURI(s)} (ECMAScript's Decode with the reserved set {@code ;/?:@&=+$,#}): a
     * percent-encoded UTF-8 character decoded, an escape of a reserved character kept as it is.
     *
     * @throws IllegalArgumentException where JavaScript throws a URIError: a {@code %} without
     *     two hex digits after it, or escapes that are not a whole, valid UTF-8 character
     */
    public static String decodeUri(String s) {
        int n = s.length();
        StringBuilder out = null;
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c != '%') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n).append(s, 0, k);
            }
            int start = k;
            int b = hexByte(s, k);
            k += 2;
            if (b < 0x80) {
                if (URI_RESERVED.indexOf(b) >= 0) {
                    out.append(s, start, k + 1);
                } else {
                    out.append((char) b);
                }
                continue;
            }
            int len;
            if ((b & 0xE0) == 0xC0) {
                len = 2;
            } else if ((b & 0xF0) == 0xE0) {
                len = 3;
            } else if ((b & 0xF8) == 0xF0) {
                len = 4;
            } else {
                throw new IllegalArgumentException(
                        "URI malformed: %" + s.substring(start + 1, k + 1));
            }
            if (k + 3 * (len - 1) >= n) {
                throw new IllegalArgumentException(
                        "URI malformed: a character's escapes cut short");
            }
            int cp = b & (0xFF >> (len + 1));
            for (int j = 1; j < len; j++) {
                k++;
                if (s.charAt(k) != '%') {
                    throw new IllegalArgumentException(
                            "URI malformed: a character's escapes cut short");
                }
                int next = hexByte(s, k);
                if ((next & 0xC0) != 0x80) {
                    throw new IllegalArgumentException("URI malformed: a bad UTF-8 continuation");
                }
                k += 2;
                cp = (cp << 6) | (next & 0x3F);
            }
            int min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw new IllegalArgumentException("URI malformed: not a valid UTF-8 character");
            }
            out.appendCodePoint(cp);
        }
        return out == null ? s : out.toString();
    }

    private static int hexByte(String s, int percent) {
        if (percent + 2 >= s.length()) {
            throw new IllegalArgumentException("URI malformed: % without two hex digits");
        }
        int hi = hex(s.charAt(percent + 1));
        int lo = hex(s.charAt(percent + 2));
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("URI malformed: % without two hex digits");
        }
        return hi << 4 | lo;
    }

    /** The value of an ASCII hex digit, or -1. */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * {@code String(d)}, JavaScript's Number::toString: the shortest decimal that reads back as
     * {@code d} (the closest such), plain from 1e-6 up to 1e21, else with an exponent ({@code
     * 1e+21}, {@code 1.5e-7}); {@code Infinity}, {@code -Infinity}, and {@code 0} for -0.
     */
    public static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        if (d < 0) {
            return "-" + number(-d);
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17 && shortest == null; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == d) {
                shortest = r;
                continue;
            }
            // The nearest p-digit number may fall outside the interval that reads back as d on
            // its narrow side (at a power of two) while its neighbour falls inside.
            BigDecimal step = BigDecimal.ONE.movePointLeft(r.scale());
            for (BigDecimal other : new BigDecimal[] {r.add(step), r.subtract(step)}) {
                if (other.signum() > 0 && Double.parseDouble(other.toString()) == d) {
                    shortest = other;
                    break;
                }
            }
        }
        if (shortest == null) {
            shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int e = n - 1;
        String exp = (e < 0 ? "e-" : "e+") + Math.abs(e);
        return k == 1 ? digits + exp : digits.charAt(0) + "." + digits.substring(1) + exp;
    }

    /**
     * {@code JSON.stringify(s)}: quoted, with {@code \" \\ \b \f \n \r \t}, other controls and
     * lone surrogates as {@code \}{@code u} and four lowercase hex digits.
     */
    public static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean lone = Character.isHighSurrogate(c)
                            ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            : Character.isLowSurrogate(c)
                                    && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone) {
                        out.append("\\u");
                        for (int shift = 12; shift >= 0; shift -= 4) {
                            out.append(HEX_LOWER[(c >> shift) & 0xF]);
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * The application/x-www-form-urlencoded serializer of {@code URLSearchParams}: UTF-8 (lone
     * surrogates as U+FFFD), space as {@code +}, every byte but ASCII letters, digits and {@code
     * * - . _} as {@code %} and two uppercase hex digits.
     */
    public static void formEncode(String s, StringBuilder out) {
        for (byte b : usv(s).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '*'
                    || c == '-'
                    || c == '.'
                    || c == '_') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }
}
