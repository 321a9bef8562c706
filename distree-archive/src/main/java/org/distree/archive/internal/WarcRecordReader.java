package org.distree.archive.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;
import org.distree.model.Base32;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one WARC or ARC file, gzipped or not, for an index: each record's header
 * fields ({@link WarcHeader}), the HTTP status line and Content-Type of responses and revisits,
 * and where each record starts; the rest of each WARC block is skipped by its Content-Length,
 * never copied (in a gzipped file it is inflated, and checked against the member's CRC-32, into
 * a scratch buffer).
 *
 * <p>ARC (versions 1 and 2): a file whose first record starts with {@code filedesc://} (or one the
 * caller says is ARC) is read as ARC records, each a header line {@code URL IP-address
 * Archive-date Content-type Archive-length} and that many bytes, given in WARC's terms ({@link
 * WarcHeader}); the HTTP header of a record with an http or https URL is read as a response's,
 * and the rest of its block (its payload) is read into a SHA-1, since ARC records carry no
 * digest. Version 2 ({@code 2} the filedesc block's first word) is read the same way, its
 * header lines of ten fields ({@link ArcHeaderLine}), and a record without an HTTP header takes
 * its status from the Result-code field. A header line that does not parse, and a filedesc
 * block whose first word is not {@code 1} or {@code 2}, throw a {@link WarcFormatException}; a block that runs past the end of the data an
 * {@link EOFException}.
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
 */
public final class WarcRecordReader implements AutoCloseable {
    /** The most bytes a WARC header or an HTTP header may take: 256 KiB. */
    public static final int MAX_HEADER = 1 << 18;

    // Decompressed data is at least two headers' worth; compressed input is read in blocks of a
    // quarter of that. Larger blocks gained nothing measurable on the benchmark's WARCs.
    private static final int BUF_SIZE = 2 * MAX_HEADER;
    private static final int IN_SIZE = 1 << 17;

    private static final int TYPE = 0;
    private static final int URI = 1;
    private static final int DATE = 2;
    private static final int CONTENT_TYPE = 3;
    private static final int DIGEST = 4;
    private static final int LENGTH = 5;
    private static final byte[][] NAMES = {
        ascii("warc-type"),
        ascii("warc-target-uri"),
        ascii("warc-date"),
        ascii("content-type"),
        ascii("warc-payload-digest"),
        ascii("content-length"),
    };

    private final FileChannel ch;
    private final long size;
    private final boolean gzip;

    // The data, inflated or as read: buf[pos, lim) is not read yet; buf[0] is byte bufStart of
    // the data (in an uncompressed file, its offset in the file).
    private final byte[] buf = new byte[BUF_SIZE];
    private int pos;
    private int lim;
    private long bufStart;

    // Gzipped files only: compressed input in[inPos, inLim), in[0] being at file offset inStart.
    private final byte[] in;
    private int inPos;
    private int inLim;
    private long inStart;
    private final Inflater inflater;
    private final CRC32 crc = new CRC32();
    private boolean inMember;
    private long memberAt;
    private long memberOut;
    // The members whose data may still be in buf: {data position of the first byte, file offset}.
    private final ArrayDeque<long[]> members = new ArrayDeque<>();

    private long recordOffset;
    private long blockLeft;
    // ARC: whether the file is read as ARC records; whether the next record is the first read
    // (whose first bytes tell ARC from WARC); where the last HTTP header ended in buf.
    private boolean arc;
    // The ARC version: 1 until a filedesc block says 2 (or the caller, starting after one).
    private int arcVersion = 1;
    private boolean first = true;
    private int httpEnd;
    private @Nullable MessageDigest sha1;
    private final @Nullable String[] fields = new String[NAMES.length];

    /**
     * A reader of the records from {@code start} on (a record start: the file's start, or what
     * {@link RecordStarts#nextRecordStart} found). The channel is read by position and never closed here.
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
        this.arcVersion = Math.max(1, arcVersion);
        this.ch = ch;
        this.size = ch.size();
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && ch.read(magic, start + magic.position()) > 0) {
            // two bytes, or fewer at the end of the file
        }
        this.gzip = magic.position() == 2 && magic.get(0) == 0x1f && magic.get(1) == (byte) 0x8b;
        this.bufStart = start;
        this.inStart = start;
        this.recordOffset = start;
        this.in = gzip ? new byte[IN_SIZE] : new byte[0];
        this.inflater = new Inflater(true);
    }

    /** Frees the inflater's memory; the channel is the caller's to close. */
    @Override
    public void close() {
        inflater.end();
    }

    /** Whether the file is read as gzip members (it starts with {@code 1f 8b}). */
    public boolean gzip() {
        return gzip;
    }

    /** Whether the file is read as ARC records (known, or told by its first record). */
    public boolean arc() {
        return arc;
    }

    /** The version of the ARC file read (1 or 2; 1 until a filedesc block says otherwise). */
    public int arcVersion() {
        return arcVersion;
    }

    /**
     * Where the record last begun starts: the one {@link #next} returned, or the one it or
     * {@link #skipBlock} failed on.
     */
    public long recordOffset() {
        return recordOffset;
    }

    /**
     * Reads the next record's header, and the HTTP header of a response or revisit of type
     * {@code application/http}; the rest of the previous record's block is skipped first if
     * {@link #skipBlock} was not called.
     *
     * @return the header, or null at the end of the file
     */
    public @Nullable WarcHeader next() throws IOException {
        if (blockLeft > 0) {
            skipBlock();
        }
        // Blank lines between records, then the record's first byte.
        while (true) {
            if (pos == lim) {
                recordOffset = here();
                pos = 0;
                bufStart += lim;
                lim = 0;
                int n = fill();
                if (n < 0) {
                    return null;
                }
                continue;
            }
            byte b = buf[pos];
            if (b != '\r' && b != '\n') {
                break;
            }
            pos++;
        }
        recordOffset = here();
        if (first) {
            first = false;
            arc = arc || startsFiledesc();
        }
        if (arc) {
            return arcRecord();
        }
        int end;
        while ((end = warcHeader(pos, Math.min(lim, pos + MAX_HEADER))) < 0) {
            more("the WARC header");
        }
        pos = end;
        String type = fields[TYPE];
        if (type == null) {
            throw new WarcFormatException("the record has no WARC-Type");
        }
        String length = fields[LENGTH];
        if (length == null) {
            throw new WarcFormatException("the record has no Content-Length");
        }
        long contentLength = ArcHeaderLine.length(length);
        blockLeft = contentLength;
        WarcHeader.Http http = null;
        String contentType = fields[CONTENT_TYPE];
        if ((type.equals("response") || type.equals("revisit"))
                && contentType != null
                && contentType.regionMatches(true, 0, "application/http", 0, 16)) {
            while ((http = httpHeader()) == null) {
                more("the HTTP header");
            }
        }
        return new WarcHeader(
                recordOffset,
                type,
                fields[URI],
                fields[DATE],
                contentType,
                fields[DIGEST],
                contentLength,
                http,
                -1);
    }

    private static final String FILEDESC = "filedesc://";

    /** Whether the record at pos starts with {@code filedesc://}: an ARC file's first record. */
    private boolean startsFiledesc() throws IOException {
        try {
            while (lim - pos < FILEDESC.length()) {
                more("the first record");
            }
        } catch (EOFException e) {
            return false; // shorter than that: not an ARC file
        }
        return startsWith(pos, FILEDESC);
    }

    /**
     * Reads an ARC record: its header line; of the {@code filedesc://} block the version; of a
     * record with an http or https URL and a block the HTTP header; the rest of the block (the
     * payload) into a SHA-1.
     */
    private WarcHeader arcRecord() throws IOException {
        int eol;
        while ((eol = indexOf('\n', pos, Math.min(lim, pos + MAX_HEADER))) < 0) {
            more("the ARC header line");
        }
        String line = new String(buf, pos, lineEnd(pos, eol) - pos, StandardCharsets.UTF_8);
        boolean filedesc = line.startsWith(FILEDESC);
        String[] f = ArcHeaderLine.fields(
                line, filedesc ? ArcHeaderLine.shapeOfFiledesc(line) : arcVersion);
        long headerBytes = eol + 1L - pos;
        pos = eol + 1;
        long length = ArcHeaderLine.length(f[ArcHeaderLine.LENGTH]);
        blockLeft = length;
        // In an uncompressed file the record ends with its block; the newline after it is not
        // the record's (as warcio counts it).
        long end = gzip ? -1 : recordOffset + headerBytes + length;
        String url = f[0];
        String date = f[2];
        if (filedesc) {
            String version = versionWord();
            if (!version.equals("1") && !version.equals("2")) {
                throw new WarcFormatException("the ARC file is of version '" + version
                        + "' (its filedesc:// block's first word); versions 1 and 2 are read");
            }
            arcVersion = version.charAt(0) - '0';
            return new WarcHeader(
                    recordOffset, "warcinfo", url, date, f[3], null, length, null, end);
        }
        WarcHeader.Http http = null;
        if (length > 0
                && (url.regionMatches(true, 0, "http:", 0, 5)
                        || url.regionMatches(true, 0, "https:", 0, 6))) {
            while ((http = httpHeader()) == null) {
                more("the HTTP header");
            }
            blockLeft -= httpEnd - pos;
            pos = httpEnd;
        }
        String code = f[ArcHeaderLine.RESULT_CODE];
        boolean status =
                code != null && code.length() == 3 && code.chars().allMatch(Character::isDigit);
        // Version 2: without an HTTP header the status is the Result-code field's.
        WarcHeader.Http result =
                http == null && status ? new WarcHeader.Http(Integer.parseInt(code), null) : http;
        String digest = "sha1:" + Base32.encode(digestBlock());
        return new WarcHeader(
                recordOffset,
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
        int to = (int) Math.min(blockLeft, MAX_HEADER);
        while (lim - pos < to && indexOf('\n', pos, lim) < 0) {
            more("the ARC version block");
        }
        int end = Math.min(lim, pos + to);
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
        consume(blockLeft, md::update);
        return md.digest();
    }

    /**
     * Reads the next bytes of the current record's block, at most {@code max} (for a request
     * record's head and body: {@link RequestRecord}); {@link #skipBlock} skips what is left.
     *
     * @throws EOFException when the data ends first
     */
    public byte[] readBlock(int max) throws IOException {
        byte[] out = new byte[(int) Math.min(blockLeft, max)];
        consume(out.length, ByteBuffer.wrap(out)::put);
        return out;
    }

    /** Takes the bytes {@link #consume} reads, a buffer's worth at a time. */
    private interface Bytes {
        void take(byte[] b, int from, int n);
    }

    /** Gives the next {@code n} bytes of the block to {@code to}, filling the buffer as needed. */
    private void consume(long n, Bytes to) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                bufStart += lim;
                pos = 0;
                lim = 0;
                if (fill() < 0) {
                    throw new EOFException(String.format(
                            Locale.ROOT,
                            "the record's block ends %,d bytes after the end of the %s",
                            n,
                            gzip ? "gzipped data" : "file"));
                }
                continue;
            }
            int take = (int) Math.min(n, lim - pos);
            to.take(buf, pos, take);
            pos += take;
            n -= take;
            blockLeft -= take;
        }
    }

    /**
     * Skips the rest of the current record's block; in a gzipped file also the blank lines after
     * it and, when its gzip member ends there, the member's trailer (so a bad CRC-32 is this
     * record's).
     */
    public void skipBlock() throws IOException {
        long n = blockLeft;
        blockLeft = 0;
        int avail = lim - pos;
        if (n <= avail) {
            pos += (int) n;
        } else {
            n -= avail;
            bufStart += lim;
            pos = 0;
            lim = 0;
            if (!gzip) {
                if (bufStart + n > size) {
                    throw new EOFException(String.format(
                            Locale.ROOT,
                            "the record's block ends %,d bytes after the end of the file",
                            bufStart + n - size));
                }
                bufStart += n;
                return;
            }
            while (n > 0) {
                int got = fill();
                if (got < 0) {
                    throw new EOFException("the gzipped data ends inside the record's block");
                }
                int take = (int) Math.min(n, lim);
                n -= take;
                if (take == lim) {
                    bufStart += lim;
                    lim = 0;
                } else {
                    pos = take;
                }
            }
        }
        if (gzip) {
            while (true) {
                if (pos == lim) {
                    if (!inMember) {
                        return;
                    }
                    bufStart += lim;
                    pos = 0;
                    lim = 0;
                    fill();
                    continue;
                }
                byte b = buf[pos];
                if (b != '\r' && b != '\n') {
                    return; // another record in the same member
                }
                pos++;
            }
        }
    }

    /** Where the next byte of data comes from: its file offset, or its gzip member's. */
    private long here() {
        if (!gzip) {
            return bufStart + pos;
        }
        if (pos < lim) {
            long at = bufStart + pos;
            long[] first = members.pollFirst();
            while (!members.isEmpty() && members.peekFirst()[0] <= at) {
                first = members.pollFirst();
            }
            if (first == null) {
                return memberAt;
            }
            members.addFirst(first);
            return first[1];
        }
        return inMember ? memberAt : inStart + inPos;
    }

    /** Makes room and reads more data, for a header not complete in the buffer. */
    private void more(String what) throws IOException {
        if (lim - pos >= MAX_HEADER) {
            throw new WarcFormatException(
                    String.format(Locale.ROOT, "%s is over %,d bytes", what, MAX_HEADER));
        }
        if (lim == buf.length || pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        while (true) {
            int n = fill();
            if (n < 0 || (n == 0 && !gzip)) {
                throw new EOFException(what + " is cut short by the end of the data");
            }
            if (n > 0) {
                return;
            }
        }
    }

    /**
     * Adds data at buf[lim]: returns how many bytes (at least 1), 0 when a gzip member ended
     * without more, or -1 at the end of the file.
     */
    private int fill() throws IOException {
        if (!gzip) {
            int n = ch.read(ByteBuffer.wrap(buf, lim, buf.length - lim), bufStart + lim);
            if (n <= 0) {
                return -1;
            }
            lim += n;
            return n;
        }
        if (!inMember && !openMember()) {
            return -1;
        }
        while (true) {
            int n;
            try {
                n = inflater.inflate(buf, lim, buf.length - lim);
            } catch (DataFormatException e) {
                throw new ZipException(String.format(
                        Locale.ROOT,
                        "the gzip member at offset %,d holds bad deflate data: %s",
                        memberAt,
                        e.getMessage()));
            }
            inPos = inLim - inflater.getRemaining();
            if (n > 0) {
                crc.update(buf, lim, n);
                memberOut += n;
                lim += n;
                if (inflater.finished()) {
                    endMember();
                }
                return n;
            }
            if (inflater.finished()) {
                endMember();
                return 0;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("a deflate stream that needs a dictionary");
            }
            if (inflater.needsInput()) {
                if (readIn() <= 0) {
                    throw new EOFException(String.format(
                            Locale.ROOT,
                            "the gzip member at offset %,d is cut short by the end of the file",
                            memberAt));
                }
                inflater.setInput(in, inPos, inLim - inPos);
            }
        }
    }

    /** Reads compressed input after what is left: returns the bytes read, or -1 at the end. */
    private int readIn() throws IOException {
        if (inPos > 0) {
            System.arraycopy(in, inPos, in, 0, inLim - inPos);
            inStart += inPos;
            inLim -= inPos;
            inPos = 0;
        }
        if (inLim == in.length) {
            return 0;
        }
        int n = ch.read(ByteBuffer.wrap(in, inLim, in.length - inLim), inStart + inLim);
        if (n > 0) {
            inLim += n;
        }
        return n;
    }

    private int inByte() throws IOException {
        if (inPos == inLim && readIn() <= 0) {
            throw new EOFException(String.format(
                    Locale.ROOT, "the gzip member at offset %,d is cut short", memberAt));
        }
        return in[inPos++] & 0xff;
    }

    /** Reads a gzip member's header (RFC 1952); false at the end of the file. */
    private boolean openMember() throws IOException {
        if (inPos == inLim && readIn() <= 0) {
            return false;
        }
        memberAt = inStart + inPos;
        recordOffset = memberAt;
        if (inByte() != 0x1f || inByte() != 0x8b || inByte() != 8) {
            throw new ZipException(String.format(
                    Locale.ROOT, "no gzip member (1f 8b 08) at offset %,d", memberAt));
        }
        int flags = inByte();
        if ((flags & 0xe0) != 0) {
            throw new ZipException(String.format(
                    Locale.ROOT, "the gzip member at offset %,d has reserved flags set", memberAt));
        }
        for (int i = 0; i < 6; i++) {
            inByte(); // time, extra flags, system
        }
        if ((flags & 4) != 0) { // FEXTRA
            int n = inByte() | inByte() << 8;
            for (int i = 0; i < n; i++) {
                inByte();
            }
        }
        if ((flags & 8) != 0) { // FNAME
            while (inByte() != 0) {
                // the file name, ended by a zero byte
            }
        }
        if ((flags & 16) != 0) { // FCOMMENT
            while (inByte() != 0) {
                // the comment, ended by a zero byte
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            inByte();
            inByte();
        }
        inflater.reset();
        inflater.setInput(in, inPos, inLim - inPos);
        crc.reset();
        memberOut = 0;
        inMember = true;
        members.addLast(new long[] {bufStart + lim, memberAt});
        return true;
    }

    /** Reads and checks a gzip member's trailer: the CRC-32 and size of its data. */
    private void endMember() throws IOException {
        inMember = false;
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            sum |= (long) inByte() << (8 * i);
        }
        long size = 0;
        for (int i = 0; i < 4; i++) {
            size |= (long) inByte() << (8 * i);
        }
        if (sum != crc.getValue() || size != (memberOut & 0xffffffffL)) {
            throw new ZipException(String.format(
                    Locale.ROOT,
                    "the gzip member at offset %,d does not match its CRC-32 or size",
                    memberAt));
        }
    }

    /**
     * Splits the WARC header in buf[from, to): its fields into {@link #fields}, and the index
     * after its blank line; -1 when it does not end before {@code to}.
     */
    private int warcHeader(int from, int to) throws WarcFormatException {
        java.util.Arrays.fill(fields, null);
        for (int k = 0; k < 5 && from + k < to; k++) {
            if (buf[from + k] != "WARC/".charAt(k)) {
                throw new WarcFormatException("no WARC record: it does not start with WARC/");
            }
        }
        int eol = indexOf('\n', from, to);
        if (eol < 0) {
            return -1;
        }
        if (!version(from, lineEnd(from, eol))) {
            throw new WarcFormatException(
                    "no WARC record: its first line is not WARC/ and a version");
        }
        int last = -1;
        int i = eol + 1;
        while (true) {
            eol = indexOf('\n', i, to);
            if (eol < 0) {
                return -1;
            }
            int end = lineEnd(i, eol);
            if (end == i) {
                return eol + 1;
            }
            byte c = buf[i];
            if (c == ' ' || c == '\t') {
                if (last >= 0) {
                    fields[last] = fields[last] + " " + value(i, end);
                }
            } else {
                int colon = indexOf(':', i, end);
                if (colon < 0) {
                    throw new WarcFormatException("a WARC header line has no colon");
                }
                int f = field(i, colon);
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
        boolean whole = lim - pos >= blockLeft && blockLeft <= MAX_HEADER;
        int to = whole ? pos + (int) blockLeft : Math.min(lim, pos + MAX_HEADER);
        int eol = indexOf('\n', pos, to);
        if (eol < 0 && !whole) {
            return null;
        }
        int end = eol < 0 ? to : lineEnd(pos, eol);
        int status = status(pos, end);
        String contentType = null;
        int i = eol < 0 ? to : eol + 1;
        while (i < to) {
            eol = indexOf('\n', i, to);
            if (eol < 0 && !whole) {
                return null;
            }
            end = eol < 0 ? to : lineEnd(i, eol);
            if (end == i) {
                httpEnd = eol + 1;
                return new WarcHeader.Http(status, contentType);
            }
            byte c = buf[i];
            if (c != ' ' && c != '\t') {
                int colon = indexOf(':', i, end);
                if (colon < 0) {
                    throw new WarcFormatException("an HTTP header line has no colon");
                }
                if (contentType == null && field(i, colon) == CONTENT_TYPE) {
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
        if (i > to || !startsWith(from, "HTTP/")) {
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
        if (!startsWith(from, "WARC/")) {
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

    private boolean startsWith(int from, String s) {
        if (from + s.length() > lim) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (buf[from + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Which of {@link #NAMES} the name before a colon at {@code colon} is, or -1. */
    private int field(int from, int colon) {
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

    /** The end of the line whose LF is at {@code eol}: before its CR, if any. */
    private int lineEnd(int from, int eol) {
        return eol > from && buf[eol - 1] == '\r' ? eol - 1 : eol;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
