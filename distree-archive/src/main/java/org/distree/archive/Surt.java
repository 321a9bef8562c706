package org.distree.archive;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SURT form of a URL (Sort-friendly URI Reordering Transform), as pywb and {@code warcio
 * cdx-index} write it in CDXJ indexes: {@code http://www.Example.com:8080/a/b?z=1&a=2#top}
 * becomes {@code com,example:8080)/a/b?a=2&z=1}, so that the captures of a host, and of each path
 * below it, sort together.
 *
 * <p>The steps, those of warcio 2.4.11: a URL that does not start with {@code http:} or {@code
 * https:} is kept as it is; otherwise a leading {@code www.} (or {@code www2.} and so on) is
 * dropped, the whole URL lowercased, and it is parsed as a browser does (WHATWG URL: C0 controls
 * and spaces at the ends, and tabs and newlines anywhere, removed first; a lone surrogate read
 * as U+FFFD): the scheme,
 * user and password and fragment dropped, the host's labels reversed and joined by commas, a
 * port that is not the scheme's default kept after a colon, then {@code )}, the path ({@code /}
 * when empty, dot segments removed, characters outside the path set percent-encoded in UTF-8),
 * and the query's parameters sorted. A URL that does not parse is kept as it was given.
 */
public final class Surt {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Surt() {}

    /** The SURT form of {@code url}; see the class comment for the steps. */
    public static String of(String url) {
        if (!url.startsWith("http:") && !url.startsWith("https:")) {
            return url;
        }
        String t = withoutWww(url);
        String u = whatwgTrim(t.toLowerCase(Locale.ROOT));
        boolean https = u.startsWith("https:");
        int i = https ? 6 : 5;
        // A special scheme's slashes: any number of / or \ before the host.
        while (i < u.length() && (u.charAt(i) == '/' || u.charAt(i) == '\\')) {
            i++;
        }
        int end = i;
        while (end < u.length() && "/\\?#".indexOf(u.charAt(end)) < 0) {
            end++;
        }
        String authority = u.substring(i, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String host;
        String port = "";
        int colon = authority.startsWith("[")
                ? authority.indexOf(':', Math.max(0, authority.indexOf(']')))
                : authority.lastIndexOf(':');
        if (colon >= 0) {
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        } else {
            host = authority;
        }
        if (host.isEmpty()) {
            return t;
        }
        if (!port.isEmpty()) {
            if (port.length() > 5 || !allBelow(port, '0', '9' + 1)) {
                return t;
            }
            int p = Integer.parseInt(port);
            if (p > 65535) {
                return t;
            }
            port = (https && p == 443) || (!https && p == 80) ? "" : Integer.toString(p);
        }
        if (!allBelow(host, 0, 0x80)) {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return t;
            }
        }
        String rest = u.substring(end);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int q = rest.indexOf('?');
        String path = q >= 0 ? rest.substring(0, q) : rest;
        String query = q >= 0 ? rest.substring(q + 1) : "";

        StringBuilder out = new StringBuilder(u.length() + 4);
        // The host's labels in reverse order, joined by commas.
        int labelEnd = host.length();
        for (int dot = host.lastIndexOf('.'); ; dot = host.lastIndexOf('.', dot - 1)) {
            out.append(host, dot + 1, labelEnd);
            if (dot < 0) {
                break;
            }
            out.append(',');
            labelEnd = dot;
        }
        if (!port.isEmpty()) {
            out.append(':').append(port);
        }
        out.append(')').append(path(path.replace('\\', '/')));
        if (!query.isEmpty()) {
            String[] params = encode(query, true).split("&", -1);
            // JavaScript's default sort: UTF-16 code units, which for this ASCII text is the
            // same as byte order.
            Arrays.sort(params);
            out.append('?').append(String.join("&", params));
        }
        return out.toString();
    }

    /**
     * The URL without a {@code www} label (and the digits after it) right after {@code http://}
     * or {@code https://}, as the case is written: {@code http://www2.example.com/} becomes
     * {@code http://example.com/}, {@code http://WWW.example.com/} stays.
     */
    private static String withoutWww(String url) {
        int p = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
        if (p < 0 || !url.startsWith("www", p)) {
            return url;
        }
        int q = p + 3;
        while (q < url.length() && url.charAt(q) >= '0' && url.charAt(q) <= '9') {
            q++;
        }
        return q < url.length() && url.charAt(q) == '.'
                ? url.substring(0, p) + url.substring(q + 1)
                : url;
    }

    /** True when every character of {@code s} is at least {@code from} and below {@code to}. */
    private static boolean allBelow(String s, int from, int to) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < from || c >= to) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the URL parser does to its input first: C0 controls and spaces at either end removed,
     * and every tab, LF and CR (a POST body's newlines, put in the query) removed.
     */
    private static String whatwgTrim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        if (s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return from == 0 && to == s.length() ? s : s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The path with dot segments removed and percent-encoded: "/" when empty. */
    private static String path(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        String[] segments = path.substring(1).split("/", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals("..") || s.equals("%2e%2e") || s.equals(".%2e") || s.equals("%2e.")) {
                if (!kept.isEmpty()) {
                    kept.remove(kept.size() - 1);
                }
                if (last) {
                    kept.add("");
                }
            } else if (s.equals(".") || s.equals("%2e")) {
                if (last) {
                    kept.add("");
                }
            } else {
                kept.add(s);
            }
        }
        return "/" + encode(String.join("/", kept), false);
    }

    /**
     * Percent-encodes, in UTF-8, what the WHATWG URL standard encodes in a path or in a special
     * URL's query: controls, space, {@code " < > `} and in a path {@code { }}, in a query
     * {@code '}, and everything above U+007E.
     */
    private static String encode(String s, boolean query) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c <= ' '
                    || c >= 0x7F
                    || c == '"'
                    || c == '<'
                    || c == '>'
                    || (query ? c == '\'' : c == '`' || c == '{' || c == '}');
            if (!escape) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            // A lone surrogate (a POST body cut inside a pair) is U+FFFD, as in a USVString.
            byte[] bytes = (Character.isSurrogate((char) cp) ? "\uFFFD" : s.substring(i, i + n))
                    .getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
            i += n - 1;
        }
        return out == null ? s : out.toString();
    }

    /**
     * The host part of a SURT, before its {@code )}, with its port; the whole SURT when it has
     * none (a URL that is not http or https).
     */
    public static String hostPart(String surt) {
        int close = surt.indexOf(')');
        return close < 0 ? surt : surt.substring(0, close);
    }
}
