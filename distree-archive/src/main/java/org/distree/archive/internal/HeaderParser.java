package org.distree.archive.internal;

import static org.distree.archive.internal.WarcRecordReader.MAX_HEADER;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Splits the headers of a record in {@link RecordInput}'s buffer, in place: a WARC header ({@code
 * WARC/} and a version, then header lines to the blank line), of which it keeps the six fields
 * an index needs ({@link #TYPE} to {@link #LENGTH}), and an HTTP header at a block's start (a
 * status line, then header lines to the blank line or the end of the block), of which it keeps
 * the status code and Content-Type.
 *
 * <p>Lines end in LF, CR LF too; a header line that starts with a blank continues the one before
 * (in a WARC header; in an HTTP header it is passed over). Field names are matched without
 * regard to case; the first of a repeated field counts; values are stripped of blanks and read
 * as UTF-8.
 *
 * <p>Limits and errors: a header of more than {@link WarcRecordReader#MAX_HEADER} bytes, a first
 * line that is not {@code WARC/} and a version, a header line without a colon, and an HTTP
 * status line that is not {@code HTTP/…} and three digits throw a {@link WarcFormatException};
 * data that ends inside a header an {@link java.io.EOFException}. One parser to a reader; the
 * fields it keeps are those of the last header split. Not thread-safe.
 */
final class HeaderParser {
    /** {@code WARC-Type}: an index into the fields kept. */
    static final int TYPE = 0;

    /** {@code WARC-Target-URI}. */
    static final int URI = 1;

    /** {@code WARC-Date}. */
    static final int DATE = 2;

    /** {@code Content-Type}, of a WARC header or of an HTTP header. */
    static final int CONTENT_TYPE = 3;

    /** {@code WARC-Payload-Digest}. */
    static final int DIGEST = 4;

    /** {@code Content-Length}. */
    static final int LENGTH = 5;

    private static final byte[][] NAMES = {
        ascii("warc-type"),
        ascii("warc-target-uri"),
        ascii("warc-date"),
        ascii("content-type"),
        ascii("warc-payload-digest"),
        ascii("content-length"),
    };

    private final RecordInput in;
    // The input's buffer, kept here too: the loops over header bytes read one field, not two.
    private final byte[] buf;
    private final @Nullable String[] fields = new String[NAMES.length];
    // Where the last HTTP header ended in buf.
    private int httpEnd;

    /** A parser of the headers in {@code in}'s buffer. */
    HeaderParser(RecordInput in) {
        this.in = in;
        this.buf = in.buf;
    }

    /** A field of the last WARC header read ({@link #TYPE} to {@link #LENGTH}); null if absent. */
    @Nullable
    String field(int f) {
        return fields[f];
    }

    /** Where the last HTTP header read ended in the buffer: after its blank line, or its block. */
    int httpEnd() {
        return httpEnd;
    }

    /**
     * Reads the WARC header at the input's {@code pos}, reading more data as needed, and moves
     * {@code pos} past its blank line; its fields are then {@link #field}'s.
     */
    void readWarcHeader() throws IOException {
        int end;
        while ((end = warcHeader(in.pos, Math.min(in.lim, in.pos + MAX_HEADER))) < 0) {
            in.more("the WARC header");
        }
        in.pos = end;
    }

    /**
     * Reads the HTTP header at the input's {@code pos}, the start of the block, reading more data
     * as needed; {@code pos} stays, {@link #httpEnd} is where the header ended.
     */
    WarcHeader.Http readHttpHeader() throws IOException {
        WarcHeader.Http http;
        while ((http = httpHeader()) == null) {
            in.more("the HTTP header");
        }
        return http;
    }

    /**
     * Splits the WARC header in buf[from, to): its fields into {@link #fields}, and the index
     * after its blank line; -1 when it does not end before {@code to}.
     */
    private int warcHeader(int from, int to) throws WarcFormatException {
        Arrays.fill(fields, null);
        for (int k = 0; k < 5 && from + k < to; k++) {
            if (buf[from + k] != "WARC/".charAt(k)) {
                throw new WarcFormatException("no WARC record: it does not start with WARC/");
            }
        }
        int eol = in.indexOf('\n', from, to);
        if (eol < 0) {
            return -1;
        }
        if (!version(from, in.lineEnd(from, eol))) {
            throw new WarcFormatException(
                    "no WARC record: its first line is not WARC/ and a version");
        }
        int last = -1;
        int i = eol + 1;
        while (true) {
            eol = in.indexOf('\n', i, to);
            if (eol < 0) {
                return -1;
            }
            int end = in.lineEnd(i, eol);
            if (end == i) {
                return eol + 1;
            }
            byte c = buf[i];
            if (c == ' ' || c == '\t') {
                if (last >= 0) {
                    fields[last] = fields[last] + " " + value(i, end);
                }
            } else {
                int colon = in.indexOf(':', i, end);
                if (colon < 0) {
                    throw new WarcFormatException("a WARC header line has no colon");
                }
                int f = name(i, colon);
                if (f >= 0 && fields[f] == null) {
                    fields[f] = value(colon + 1, end);
                    last = f;
                } else {
                    last = -1;
                }
            }
            i = eol + 1;
        }
    }

    /**
     * The HTTP header at the block's start: null when more data is needed. It ends at its blank
     * line, or at the end of the block.
     */
    private WarcHeader.@Nullable Http httpHeader() throws WarcFormatException {
        int pos = in.pos;
        int lim = in.lim;
        long blockLeft = in.blockLeft();
        boolean whole = lim - pos >= blockLeft && blockLeft <= MAX_HEADER;
        int to = whole ? pos + (int) blockLeft : Math.min(lim, pos + MAX_HEADER);
        int eol = in.indexOf('\n', pos, to);
        if (eol < 0 && !whole) {
            return null;
        }
        int end = eol < 0 ? to : in.lineEnd(pos, eol);
        int status = status(pos, end);
        String contentType = null;
        int i = eol < 0 ? to : eol + 1;
        while (i < to) {
            eol = in.indexOf('\n', i, to);
            if (eol < 0 && !whole) {
                return null;
            }
            end = eol < 0 ? to : in.lineEnd(i, eol);
            if (end == i) {
                httpEnd = eol + 1;
                return new WarcHeader.Http(status, contentType);
            }
            byte c = buf[i];
            if (c != ' ' && c != '\t') {
                int colon = in.indexOf(':', i, end);
                if (colon < 0) {
                    throw new WarcFormatException("an HTTP header line has no colon");
                }
                if (contentType == null && name(i, colon) == CONTENT_TYPE) {
                    contentType = value(colon + 1, end);
                }
            }
            i = eol < 0 ? to : eol + 1;
        }
        // No blank line before the end of the data read: the header goes on, unless the block
        // ends here.
        httpEnd = to;
        return whole ? new WarcHeader.Http(status, contentType) : null;
    }

    /** The status code of an HTTP status line in buf[from, to): {@code HTTP/}, version, code. */
    private int status(int from, int to) throws WarcFormatException {
        int i = from + 5;
        if (i > to || !in.startsWith(from, "HTTP/")) {
            throw new WarcFormatException("the HTTP status line does not start with HTTP/");
        }
        while (i < to && buf[i] != ' ' && buf[i] != '\t') {
            i++;
        }
        int spaces = i;
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        int code = 0;
        for (int k = 0; k < 3; k++, i++) {
            if (i == spaces || i >= to || buf[i] < '0' || buf[i] > '9') {
                throw new WarcFormatException("the HTTP status line has no three-digit status");
            }
            code = code * 10 + buf[i] - '0';
        }
        if (i < to && buf[i] != ' ' && buf[i] != '\t') {
            throw new WarcFormatException("the HTTP status line has no three-digit status");
        }
        return code;
    }

    /** Whether buf[from, to) is {@code WARC/}, digits, a dot and digits. */
    private boolean version(int from, int to) {
        if (!in.startsWith(from, "WARC/")) {
            return false;
        }
        int i = from + 5;
        int digits = 0;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            i++;
            digits++;
        }
        if (digits == 0 || i == to || buf[i] != '.') {
            return false;
        }
        i++;
        digits = 0;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            i++;
            digits++;
        }
        return digits > 0 && i == to;
    }

    /** Which of {@link #NAMES} the name before a colon at {@code colon} is, or -1. */
    private int name(int from, int colon) {
        int end = colon;
        while (end > from && (buf[end - 1] == ' ' || buf[end - 1] == '\t')) {
            end--;
        }
        int n = end - from;
        for (int f = 0; f < NAMES.length; f++) {
            byte[] name = NAMES[f];
            if (name.length != n) {
                continue;
            }
            int k = 0;
            while (k < n) {
                int b = buf[from + k];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != name[k]) {
                    break;
                }
                k++;
            }
            if (k == n) {
                return f;
            }
        }
        return -1;
    }

    /** buf[from, to) without its leading and trailing blanks, read as UTF-8. */
    private String value(int from, int to) {
        while (from < to && (buf[from] == ' ' || buf[from] == '\t')) {
            from++;
        }
        while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
