package org.distree.archive.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What an index needs of a WARC {@code request} record, read from the start of its block as
 * {@code warcio cdx-index} 2.4.11 reads it: the method (the request line up to its first space,
 * after trailing blanks are trimmed), the Content-Type (every such header's value, joined by
 * {@code ", "}, as a {@code Headers} object gives it; {@code ""} when there is none) and the body
 * (the bytes after the first CR LF CR LF that follows the request line, not de-chunked or
 * decoded). Immutable.
 *
 * <p>As in warcio, the block is read whatever the record's Content-Type, header lines are split
 * at LF after UTF-8 decoding, a line that starts with a blank continues the one before, a header
 * name is what precedes the colon without leading blanks (a name with trailing blanks, or any
 * character that is not an HTTP token character, is no header), and a value with a NUL, or a CR
 * inside it, is dropped.
 *
 * <p>Limits: at most the first {@link #MAX_BLOCK} bytes of a block are read ({@link #whole()}
 * tells whether that is all of it). The head of a request that is not a GET must end, with CR LF
 * CR LF, within those bytes: else warcio would read on into the next record, and this throws a
 * {@link WarcFormatException} instead.
 */
public final class RequestRecord {
    /** The most bytes of a request record's block read: 1 MiB. */
    public static final int MAX_BLOCK = 1 << 20;

    private static final String TCHARS = "!#$%&'*+-.^_`|~";

    private final @Nullable String method;
    private final String contentType;
    private final byte[] body;
    private final boolean whole;

    private RequestRecord(@Nullable String method, String contentType, byte[] body, boolean whole) {
        this.method = method;
        this.contentType = contentType;
        this.body = body;
        this.whole = whole;
    }

    /** The method as sent (case kept; may be empty), or null when the block has no request line. */
    public @Nullable String method() {
        return method;
    }

    /** The Content-Type header's value, repeated ones joined by {@code ", "}; {@code ""} if none. */
    public String contentType() {
        return contentType;
    }

    /** The body, or its first bytes when the block is over {@link #MAX_BLOCK} (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** Whether {@link #body()} is the whole body (the block is at most {@link #MAX_BLOCK} bytes). */
    public boolean whole() {
        return whole;
    }

    /**
     * Reads the request in {@code block}, the first bytes of a block of {@code blockLength}.
     *
     * @throws WarcFormatException when the request is not a GET and its head does not end with CR
     *     LF CR LF within the bytes read
     */
    public static RequestRecord parse(byte[] block, long blockLength) throws WarcFormatException {
        boolean whole = blockLength <= block.length;
        int eol = indexOf(block, 0, (byte) '\n');
        String line = JsStrings.trimEnd(JsStrings.utf8(block, 0, eol < 0 ? block.length : eol + 1));
        if (line.isEmpty()) {
            return new RequestRecord(null, "", new byte[0], whole);
        }
        int space = line.indexOf(' ');
        String method = space < 0 ? line : line.substring(0, space);
        if (method.equals("GET")) {
            return new RequestRecord(method, "", new byte[0], whole);
        }
        int end = eol < 0 ? -1 : doubleCrlf(block, eol + 1);
        if (end < 0) {
            throw new WarcFormatException(String.format(
                    Locale.ROOT,
                    "the %s request's HTTP head does not end (CR LF CR LF) %s",
                    shorten(method),
                    whole
                            ? "in its block"
                            : String.format(Locale.ROOT, "in its first %,d bytes", MAX_BLOCK)));
        }
        String contentType = contentType(JsStrings.utf8(block, eol + 1, end + 4));
        return new RequestRecord(
                method, contentType, Arrays.copyOfRange(block, end + 4, block.length), whole);
    }

    /** warcio's header loop, keeping the values of Content-Type. */
    private static String contentType(String head) {
        StringBuilder joined = new StringBuilder();
        int start = 0;
        String name = "";
        String value = null;
        int n = head.length();
        while (start < n) {
            int valueEnd = head.indexOf('\n', start);
            String line = head.substring(start, valueEnd < 0 ? n : valueEnd);
            char c = head.charAt(start);
            if (value != null && !value.isEmpty() && (c == ' ' || c == '\t')) {
                value += JsStrings.trimEnd(line);
            } else {
                if (value != null && !value.isEmpty()) {
                    add(name, value, joined);
                }
                int nameEnd = head.indexOf(':', start);
                if (nameEnd >= 0 && nameEnd < valueEnd) {
                    name = JsStrings.trimStart(head.substring(start, nameEnd));
                    value = JsStrings.trim(head.substring(nameEnd + 1, valueEnd));
                } else {
                    value = null;
                }
            }
            if (valueEnd < 0) {
                break;
            }
            start = valueEnd + 1;
        }
        if (value != null && !value.isEmpty()) {
            add(name, value, joined);
        }
        return joined.toString();
    }

    /** {@code Headers.append}, of Content-Type only: a bad name or value is no header. */
    private static void add(String name, String value, StringBuilder joined) {
        if (!name.equalsIgnoreCase("content-type")
                || !name.chars().allMatch(RequestRecord::tchar)) {
            return;
        }
        // Headers takes a value of bytes; one with a character above U+00FF is taken as its
        // UTF-8 bytes, each a character (warcio's latin-1 re-encoding).
        boolean bytes = value.chars().allMatch(ch -> ch <= 0xFF);
        String v = bytes
                ? value
                : new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        int from = 0;
        int to = v.length();
        while (from < to && httpBlank(v.charAt(from))) {
            from++;
        }
        while (to > from && httpBlank(v.charAt(to - 1))) {
            to--;
        }
        v = v.substring(from, to);
        if (v.indexOf('\0') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            return;
        }
        if (joined.length() > 0) {
            joined.append(", ");
        }
        joined.append(v);
    }

    private static boolean httpBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean tchar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || TCHARS.indexOf(c) >= 0;
    }

    private static int indexOf(byte[] b, int from, byte x) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** Where the first CR LF CR LF at or after {@code from} starts, or -1. */
    private static int doubleCrlf(byte[] b, int from) {
        for (int i = from; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
