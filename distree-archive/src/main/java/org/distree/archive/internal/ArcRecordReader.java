package org.distree.archive.internal;

import static org.distree.archive.internal.WarcRecordReader.MAX_HEADER;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.distree.model.Base32;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of an ARC file (versions 1 and 2) from {@link RecordInput}, for {@link
 * WarcRecordReader}, given in WARC's terms ({@link WarcHeader}): each record a header line
 * ({@link ArcHeaderLine}: {@code URL IP-address Archive-date Content-type Archive-length}, ten
 * fields in version 2) and that many bytes, its block.
 *
 * <p>The {@code filedesc://} record, an ARC file's first, is a {@code warcinfo}, and the first
 * word of its block, {@code 1} or {@code 2}, sets the version of the header lines after it (the
 * version is 1 until then, or what the caller knows). A record with an http or https URL and a
 * block holds an HTTP header, read as a response's ({@link HeaderParser}); the rest of its
 * block, its payload, is read into a SHA-1 (ARC records carry no digest), the whole block of a
 * record without one. A version 2 record without an HTTP header takes its status from its
 * Result-code field. In an uncompressed file a record ends with its block, the newline after it
 * not being the record's (as warcio counts it).
 *
 * <p>Limits and errors: a header line that does not parse or is over {@link
 * WarcRecordReader#MAX_HEADER} bytes, and a filedesc block whose first word is not {@code 1} or
 * {@code 2}, throw a {@link WarcFormatException}; a block that runs past the end of the data an
 * {@link EOFException}. Not thread-safe.
 */
final class ArcRecordReader {
    private static final String FILEDESC = "filedesc://";

    private final RecordInput in;
    private final HeaderParser headers;
    private int version;
    private @Nullable MessageDigest sha1;

    /** A reader of {@code in}'s ARC records of {@code version} (1 or 2). */
    ArcRecordReader(RecordInput in, HeaderParser headers, int version) {
        this.in = in;
        this.headers = headers;
        this.version = version;
    }

    /** The version of the ARC file read (1 or 2; as given until a filedesc block says). */
    int version() {
        return version;
    }

    /**
     * Whether the record at the input's {@code pos} starts with {@code filedesc://}: an ARC
     * file's first record. A file that ends before that many bytes is not one.
     */
    boolean atFiledesc() throws IOException {
        try {
            while (in.lim - in.pos < FILEDESC.length()) {
                in.more("the first record");
            }
        } catch (EOFException e) {
            return false; // shorter than that: not an ARC file
        }
        return in.startsWith(in.pos, FILEDESC);
    }

    /**
     * Whether the record at the input's {@code pos}, a file's first, is an ARC record without
     * the {@code filedesc://} block (a file cut from a larger one, or written without it): its
     * first line, within {@link WarcRecordReader#MAX_HEADER} bytes, is a header line of version
     * 2 (ten fields) or else of version 1 (five), which then becomes this reader's version. A
     * record that starts with {@code WARC/} is not one.
     */
    boolean atBareRecord() throws IOException {
        if (in.lim - in.pos >= 5 && in.startsWith(in.pos, "WARC/")) {
            return false;
        }
        int eol;
        try {
            while ((eol = in.indexOf('\n', in.pos, Math.min(in.lim, in.pos + MAX_HEADER))) < 0) {
                if (in.lim - in.pos >= MAX_HEADER) {
                    return false;
                }
                in.more("the first line");
            }
        } catch (EOFException e) {
            return false;
        }
        String line = new String(
                in.buf, in.pos, in.lineEnd(in.pos, eol) - in.pos, StandardCharsets.UTF_8);
        for (int v : new int[] {2, 1}) {
            try {
                ArcHeaderLine.fields(line, v);
                version = v;
                return true;
            } catch (WarcFormatException notThisVersion) {
                // the next version, or not an ARC header line
            }
        }
        return false;
    }

    /**
     * Reads the ARC record at the input's {@code pos}: its header line; of the {@code
     * filedesc://} block the version; of a record with an http or https URL and a block the HTTP
     * header; the rest of the block (the payload) into a SHA-1.
     */
    WarcHeader next() throws IOException {
        int eol;
        while ((eol = in.indexOf('\n', in.pos, Math.min(in.lim, in.pos + MAX_HEADER))) < 0) {
            in.more("the ARC header line");
        }
        int pos = in.pos;
        String line = new String(in.buf, pos, in.lineEnd(pos, eol) - pos, StandardCharsets.UTF_8);
        boolean filedesc = line.startsWith(FILEDESC);
        String[] f = ArcHeaderLine.fields(
                line, filedesc ? ArcHeaderLine.shapeOfFiledesc(line) : version);
        long headerBytes = eol + 1L - pos;
        in.pos = eol + 1;
        long length = ArcHeaderLine.length(f[ArcHeaderLine.LENGTH]);
        in.startBlock(length);
        // In an uncompressed file the record ends with its block; the newline after it is not
        // the record's (as warcio counts it).
        long end = in.gzip() ? -1 : in.recordOffset() + headerBytes + length;
        String url = f[0];
        String date = f[2];
        if (filedesc) {
            String word = versionWord();
            if (!word.equals("1") && !word.equals("2")) {
                throw new WarcFormatException("the ARC file is of version '" + word
                        + "' (its filedesc:// block's first word); versions 1 and 2 are read");
            }
            version = word.charAt(0) - '0';
            return new WarcHeader(
                    in.recordOffset(), "warcinfo", url, date, f[3], null, length, null, end);
        }
        WarcHeader.Http http = null;
        if (length > 0
                && (url.regionMatches(true, 0, "http:", 0, 5)
                        || url.regionMatches(true, 0, "https:", 0, 6))) {
            http = headers.readHttpHeader();
            in.takeTo(headers.httpEnd());
        }
        String code = f[ArcHeaderLine.RESULT_CODE];
        boolean status =
                code != null && code.length() == 3 && code.chars().allMatch(Character::isDigit);
        // Version 2: without an HTTP header the status is the Result-code field's.
        WarcHeader.Http result =
                http == null && status ? new WarcHeader.Http(Integer.parseInt(code), null) : http;
        String digest = "sha1:" + Base32.encode(digestBlock());
        return new WarcHeader(
                in.recordOffset(),
                http == null ? "resource" : "response",
                url,
                date,
                f[3],
                digest,
                length,
                result,
                end);
    }

    /** The first word of the filedesc block ({@code 1} in a version 1 file), not consumed. */
    private String versionWord() throws IOException {
        int to = (int) Math.min(in.blockLeft(), MAX_HEADER);
        while (in.lim - in.pos < to && in.indexOf('\n', in.pos, in.lim) < 0) {
            in.more("the ARC version block");
        }
        byte[] buf = in.buf;
        int pos = in.pos;
        int end = Math.min(in.lim, pos + to);
        int i = pos;
        while (i < end && buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r') {
            i++;
        }
        return new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
    }

    /** Reads the rest of the block into a SHA-1 (the payload digest of an ARC record). */
    private byte[] digestBlock() throws IOException {
        MessageDigest md = sha1;
        if (md == null) {
            try {
                md = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-1", e);
            }
            sha1 = md;
        }
        md.reset();
        in.consume(in.blockLeft(), md::update);
        return md.digest();
    }
}
