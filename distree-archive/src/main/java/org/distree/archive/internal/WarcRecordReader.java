package org.distree.archive.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one WARC or ARC file, gzipped or not, for an index: each record's header
 * fields ({@link WarcHeader}), the HTTP status line and Content-Type of responses and revisits,
 * and where each record starts; the rest of each WARC block is skipped by its Content-Length,
 * never copied (in a gzipped file it is inflated, and checked against the member's CRC-32, into
 * a scratch buffer).
 *
 * <p>ARC (versions 1 and 2): a file whose first record starts with {@code filedesc://}, or whose
 * first line is an ARC header line (a file without its filedesc block: the line's fields tell
 * the version), or one the caller says is ARC, is read as ARC records, each a header line {@code URL IP-address
 * Archive-date Content-type Archive-length} and that many bytes, given in WARC's terms ({@link
 * WarcHeader}); the HTTP header of a record with an http or https URL is read as a response's,
 * and the rest of its block (its payload) is read into a SHA-1, since ARC records carry no
 * digest. Version 2 ({@code 2} the filedesc block's first word) is read the same way, its
 * header lines of ten fields ({@link ArcHeaderLine}), and a record without an HTTP header takes
 * its status from the Result-code field. A header line that does not parse, and a filedesc
 * block whose first word is not {@code 1} or {@code 2}, throw a {@link WarcFormatException}; a
 * block that runs past the end of the data an {@link EOFException}.
 *
 * <pre>
 * file ─► [gzip: members inflated in turn, java.util.zip.Inflater, CRC-32 and size checked]
 *      ─► blank lines skipped ─► "WARC/n.n" line ─► header lines to the blank line
 *      ─► [response/revisit of application/http: status line, header lines to the blank line]
 *      ─► [request: up to 1 MiB of the block read by the caller, readBlock]
 *      ─► rest of the block skipped (Content-Length) ─► next record
 * </pre>
 *
 * <p>A file is gzipped when it starts (at the offset given) with {@code 1f 8b}; then it is a run
 * of gzip members, and a record's offset is the start of the member holding its {@code WARC/}
 * line (one member a record, as wget and warcio write them, gives each record its member).
 * Records may be separated by any number of CR and LF bytes. Lines end in LF, CR LF too; a
 * header line that starts with a blank continues the one before. Field names are matched
 * without regard to case; the first of a repeated field counts.
 *
 * <p>Limits and errors: a header, WARC's or HTTP's, of more than {@link #MAX_HEADER} bytes, a
 * first line that is not {@code WARC/} and a version, a header line without a colon, a record
 * without {@code WARC-Type} or with a {@code Content-Length} that is not a number, and an HTTP
 * status line that is not {@code HTTP/…} and three digits throw a {@link WarcFormatException};
 * data that ends inside a record or a gzip member an {@link EOFException}; a gzip member that is
 * not one (bad magic, flags, deflate data, CRC-32 or size) a {@link ZipException}. After a
 * failure the reader is not to be used again: {@link #recordOffset()} names where the record
 * that failed starts, and the caller may start a new reader at a later record start ({@link
 * RecordStarts#nextRecordStart}). Not thread-safe: one reader per thread.
 *
 * <p>Its parts, all reading one buffer in place: {@link RecordInput}, the data as read or
 * inflated ({@link GzipMembers}), with where the record starts and what is left of its block;
 * {@link HeaderParser}, which splits WARC and HTTP headers; {@link ArcRecordReader}, which reads
 * ARC records. This class tells ARC from WARC and reads WARC records.
 */
public final class WarcRecordReader implements AutoCloseable {
    /** The most bytes a WARC header or an HTTP header may take: 256 KiB. */
    public static final int MAX_HEADER = 1 << 18;

    private final RecordInput input;
    private final HeaderParser headers;
    private final ArcRecordReader arcRecords;
    // Whether the file is read as ARC records; whether the next record is the first read (whose
    // first bytes tell ARC from WARC).
    private boolean arc;
    private final boolean fileStart;
    private boolean first = true;

    /**
     * A reader of the records from {@code start} on (a record start: the file's start, or what
     * {@link RecordStarts#nextRecordStart} found). The channel is read by position and never
     * closed here.
     */
    public WarcRecordReader(FileChannel ch, long start) throws IOException {
        this(ch, start, false);
    }

    /**
     * A reader of the records from {@code start} on; {@code arc} when the file is known to be an
     * ARC file (a reader started after a bad record of one), else the first record tells: one
     * that starts with {@code filedesc://} makes the file an ARC file.
     */
    public WarcRecordReader(FileChannel ch, long start, boolean arc) throws IOException {
        this(ch, start, arc ? 1 : 0);
    }

    /**
     * A reader of the records from {@code start} on, of an ARC file of {@code arcVersion} (1 or
     * 2) when the file is known to be one, or 0 when the first record tells (a reader at a file's
     * start: its {@code filedesc://} block gives the version).
     */
    public WarcRecordReader(FileChannel ch, long start, int arcVersion) throws IOException {
        this.arc = arcVersion > 0;
        this.fileStart = start == 0;
        this.input = new RecordInput(ch, start);
        this.headers = new HeaderParser(input);
        this.arcRecords = new ArcRecordReader(input, headers, Math.max(1, arcVersion));
    }

    /** Frees the inflater's memory; the channel is the caller's to close. */
    @Override
    public void close() {
        input.close();
    }

    /** Whether the file is read as gzip members (it starts with {@code 1f 8b}). */
    public boolean gzip() {
        return input.gzip();
    }

    /** Whether the file is read as ARC records (known, or told by its first record). */
    public boolean arc() {
        return arc;
    }

    /** The version of the ARC file read (1 or 2; 1 until a filedesc block says otherwise). */
    public int arcVersion() {
        return arcRecords.version();
    }

    /**
     * Where the record last begun starts: the one {@link #next} returned, or the one it or
     * {@link #skipBlock} failed on.
     */
    public long recordOffset() {
        return input.recordOffset();
    }

    /**
     * Reads the next record's header, and the HTTP header of a response or revisit of type
     * {@code application/http}; the rest of the previous record's block is skipped first if
     * {@link #skipBlock} was not called.
     *
     * @return the header, or null at the end of the file
     */
    public @Nullable WarcHeader next() throws IOException {
        if (input.blockLeft() > 0) {
            skipBlock();
        }
        // Blank lines between records, then the record's first byte.
        if (!input.startRecord()) {
            return null;
        }
        if (first) {
            first = false;
            // An ARC file without its filedesc block is told only at the file's start: a reader
            // started after a bad record of a WARC file is at a "WARC/" line, or nowhere known.
            arc = arc || arcRecords.atFiledesc() || (fileStart && arcRecords.atBareRecord());
        }
        if (arc) {
            return arcRecords.next();
        }
        headers.readWarcHeader();
        String type = headers.field(HeaderParser.TYPE);
        if (type == null) {
            throw new WarcFormatException("the record has no WARC-Type");
        }
        String length = headers.field(HeaderParser.LENGTH);
        if (length == null) {
            throw new WarcFormatException("the record has no Content-Length");
        }
        long contentLength = ArcHeaderLine.length(length);
        input.startBlock(contentLength);
        WarcHeader.Http http = null;
        String contentType = headers.field(HeaderParser.CONTENT_TYPE);
        if ((type.equals("response") || type.equals("revisit"))
                && contentType != null
                && contentType.regionMatches(true, 0, "application/http", 0, 16)) {
            http = headers.readHttpHeader();
        }
        return new WarcHeader(
                input.recordOffset(),
                type,
                headers.field(HeaderParser.URI),
                headers.field(HeaderParser.DATE),
                contentType,
                headers.field(HeaderParser.DIGEST),
                contentLength,
                http,
                -1);
    }

    /**
     * Reads the next bytes of the current record's block, at most {@code max} (for a request
     * record's head and body: {@link RequestRecord}); {@link #skipBlock} skips what is left.
     *
     * @throws EOFException when the data ends first
     */
    public byte[] readBlock(int max) throws IOException {
        byte[] out = new byte[(int) Math.min(input.blockLeft(), max)];
        input.consume(out.length, ByteBuffer.wrap(out)::put);
        return out;
    }

    /**
     * Skips the rest of the current record's block; in a gzipped file also the blank lines after
     * it and, when its gzip member ends there, the member's trailer (so a bad CRC-32 is this
     * record's).
     */
    public void skipBlock() throws IOException {
        input.skipBlock();
    }
}
