package org.distree.model;

/** Canonical forms of the free text in entries: titles and comments. */
public final class Text {
    private Text() {}

    /**
     * Collapses runs of whitespace and control characters to one space and trims the ends, as an
     * HTML reader sees visible text; a lone surrogate becomes U+FFFD, and so does U+FFFF, a
     * noncharacter that jsoup's tokenizer takes for the end of its input where it begins a run of
     * text (after a tag, or after a character reference such as the one an escaped {@code >}
     * becomes): everything after it would be lost. Values are stored in this form so that a node read back from its HTML equals the
     * node written.
     *
     * <p>Text already in this form (every entry read back from a node or a sort run) is returned
     * as is after one scan, without copying.
     */
    public static String normalize(String s) {
        return isNormalized(s) ? s : collapse(s);
    }

    /** True when {@link #collapse} would return {@code s} unchanged. */
    static boolean isNormalized(String s) {
        int n = s.length();
        boolean afterSpace = true; // a blank is allowed neither first nor after a space
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > ' ' && c < 0x7F) {
                afterSpace = false;
            } else if (c == ' ') {
                if (afterSpace) {
                    return false;
                }
                afterSpace = true;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // no supplementary code point is blank
                afterSpace = false;
            } else if (Character.isSurrogate(c) || c == '\uFFFF' || isBlank(c)) {
                return false;
            } else {
                afterSpace = false;
            }
        }
        return n == 0 || !afterSpace;
    }

    /** The normal form, built anew. */
    static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c > ' ' && c < 0x7F) { // printable ASCII: the bulk of most text
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isBlank(cp)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.appendCodePoint(isReplaced(cp) ? 0xFFFD : cp);
            }
        }
        return out.toString();
    }

    /** A lone surrogate, or U+FFFF, which jsoup reads as the end of its input. */
    private static boolean isReplaced(int cp) {
        return cp == 0xFFFF || (cp < 0x10000 && Character.isSurrogate((char) cp));
    }

    private static boolean isBlank(int cp) {
        return Character.isWhitespace(cp)
                || Character.isSpaceChar(cp)
                || Character.isISOControl(cp)
                || cp == 0xA0;
    }

    /** Checks that {@code value} is at most {@code max} UTF-8 bytes. */
    public static String requireMaxBytes(String what, String value, int max) {
        int bytes = Keys.utf8Length(value);
        if (bytes > max) {
            throw new IllegalArgumentException(what + " '" + Keys.abbreviate(value, 40) + "' is "
                    + bytes + " bytes, over the " + max + " byte limit");
        }
        return value;
    }

    private static final java.util.regex.Pattern DATA_NAME =
            java.util.regex.Pattern.compile("data-[a-z0-9][a-z0-9-]{0,40}");

    /**
     * Checks the names of kept unknown attributes: only {@code data-*} names made of lowercase
     * letters, digits and hyphens are kept, so a kept attribute can never be a script handler.
     */
    public static java.util.Map<String, String> requireExtra(java.util.Map<String, String> extra) {
        if (extra.isEmpty()) {
            return java.util.Map.of(); // what the copy below makes of it, without the copy
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, String> a : extra.entrySet()) {
            if (!DATA_NAME.matcher(a.getKey()).matches()) {
                throw new IllegalArgumentException("attribute name '"
                        + Keys.abbreviate(a.getKey(), 40) + "' is not a data-* name");
            }
            // An HTML parser reads U+0000 as U+FFFD; store it so, to read back equal.
            String value = a.getValue().replace('\u0000', '\uFFFD');
            out.put(a.getKey(), requireMaxBytes("attribute " + a.getKey(), value, 256));
        }
        return java.util.Map.copyOf(out);
    }
}
