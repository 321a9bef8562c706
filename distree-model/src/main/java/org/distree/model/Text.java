package org.distree.model;

/** Canonical forms of the free text in entries: titles and comments. */
public final class Text {
    private Text() {}

    /**
     * Collapses runs of whitespace and control characters to one space and trims the ends, as an
     * HTML reader sees visible text. Values are stored in this form so that a node read back from
     * its HTML equals the node written.
     */
    public static String normalize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean blank = Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp)
                    || Character.isISOControl(cp)
                    || cp == 0xA0;
            if (blank) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.appendCodePoint(Character.isSurrogate((char) cp) && cp < 0x10000 ? 0xFFFD : cp);
            }
        }
        return out.toString();
    }

    /** Checks that {@code value} is at most {@code max} UTF-8 bytes. */
    public static String requireMaxBytes(String what, String value, int max) {
        int bytes = Keys.utf8Length(value);
        if (bytes > max) {
            throw new IllegalArgumentException(
                    what + " '" + Keys.abbreviate(value, 40) + "' is " + bytes
                            + " bytes, over the " + max + " byte limit");
        }
        return value;
    }

    /**
     * Checks the names of kept unknown attributes: only {@code data-*} names made of lowercase
     * letters, digits and hyphens are kept, so a kept attribute can never be a script handler.
     */
    public static java.util.Map<String, String> requireExtra(java.util.Map<String, String> extra) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, String> a : extra.entrySet()) {
            if (!a.getKey().matches("data-[a-z0-9][a-z0-9-]{0,40}")) {
                throw new IllegalArgumentException(
                        "attribute name '" + Keys.abbreviate(a.getKey(), 40)
                                + "' is not a data-* name");
            }
            // An HTML parser reads U+0000 as U+FFFD; store it so, to read back equal.
            String value = a.getValue().replace('\u0000', '\uFFFD');
            out.put(a.getKey(), requireMaxBytes("attribute " + a.getKey(), value, 256));
        }
        return java.util.Map.copyOf(out);
    }
}
