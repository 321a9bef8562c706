package org.distree.archive.internal;

import static org.distree.archive.internal.WarcRecordReader.MAX_HEADER;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The data of one WARC or ARC file as {@link WarcRecordReader} reads it: read by position from
 * the channel, or, in a file that starts (at the offset given) with {@code 1f 8b}, inflated from
 * its gzip members ({@link GzipMembers}), into one buffer of 512 KiB, two headers of {@link
 * WarcRecordReader#MAX_HEADER}. {@link WarcRecordReader}, {@link ArcRecordReader} and {@link
 * HeaderParser} read the buffer in place: {@code buf[pos, lim)} is the data not read yet, and
 * they move {@code pos} on; {@link #more} reads more when a header does not end in it.
 *
 * <p>It keeps where the record being read starts ({@link #recordOffset}) and how much of its
 * block is left ({@link #blockLeft}). A block is handed on a buffer's worth at a time ({@link
 * #consume}) or skipped by its length ({@link #skipBlock}): in an uncompressed file without
 * reading it, in a gzipped one inflated into the buffer and dropped; never copied.
 *
 * <p>Limits and errors: asking for more data for a header of {@code MAX_HEADER} bytes or more
 * throws a {@link WarcFormatException}; data that ends inside a header or a block an {@link
 * EOFException}; a bad gzip member {@link GzipMembers}'s errors. The channel is read by position
 * and never closed here. Not thread-safe.
 */
final class RecordInput implements AutoCloseable {
    // Decompressed data is at least two headers' worth; compressed input is read in blocks of a
    // quarter of that (GzipMembers).
    private static final int BUF_SIZE = 2 * MAX_HEADER;

    private final FileChannel ch;
    private final long size;
    // Null in an uncompressed file.
    private final @Nullable GzipMembers gz;

    /** The data, inflated or as read; {@code buf[pos, lim)} is not read yet. */
    final byte[] buf = new byte[BUF_SIZE];

    /** The next byte of {@link #buf} to read. */
    int pos;

    /** The end of the data in {@link #buf}. */
    int lim;

    // buf[0] is byte bufStart of the data (in an uncompressed file, its offset in the file).
    private long bufStart;
    private long recordOffset;
    private long blockLeft;

    /** The data of {@code ch} from {@code start} (a record start) on. */
    RecordInput(FileChannel ch, long start) throws IOException {
        this.ch = ch;
        this.size = ch.size();
        this.gz = GzipMembers.startsAt(ch, start) ? new GzipMembers(ch, start) : null;
        this.bufStart = start;
        this.recordOffset = start;
    }

    /** Frees the inflater's memory, if any; the channel is the caller's to close. */
    @Override
    public void close() {
        if (gz != null) {
            gz.close();
        }
    }

    /** Whether the data is inflated from gzip members. */
    boolean gzip() {
        return gz != null;
    }

    /**
     * Where the record being read starts: set by {@link #startRecord}, and moved to each gzip
     * member as it is opened, so that a failure inside a member names it.
     */
    long recordOffset() {
        return recordOffset;
    }

    /** The bytes of the current record's block not read yet. */
    long blockLeft() {
        return blockLeft;
    }

    /** Starts a record's block of {@code length} bytes at {@link #pos}. */
    void startBlock(long length) {
        blockLeft = length;
    }

    /** Takes {@code buf[pos, end)} as read, the first bytes of the block. */
    void takeTo(int end) {
        blockLeft -= end - pos;
        pos = end;
    }

    /**
     * Skips the CR and LF bytes before the next record and sets {@link #recordOffset} to where
     * it starts, at {@link #pos}; false at the end of the data.
     */
    boolean startRecord() throws IOException {
        while (true) {
            if (pos == lim) {
                recordOffset = here();
                pos = 0;
                bufStart += lim;
                lim = 0;
                int n = fill();
                if (n < 0) {
                    return false;
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
        return true;
    }

    /** Makes room and reads more data, for a header not complete in the buffer. */
    void more(String what) throws IOException {
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
            if (n < 0 || (n == 0 && gz == null)) {
                throw new EOFException(what + " is cut short by the end of the data");
            }
            if (n > 0) {
                return;
            }
        }
    }

    /** Takes the bytes {@link #consume} reads, a buffer's worth at a time. */
    interface Bytes {
        void take(byte[] b, int from, int n);
    }

    /** Gives the next {@code n} bytes of the block to {@code to}, filling the buffer as needed. */
    void consume(long n, Bytes to) throws IOException {
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
                            gz != null ? "gzipped data" : "file"));
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
    void skipBlock() throws IOException {
        long n = blockLeft;
        blockLeft = 0;
        int avail = lim - pos;
        GzipMembers g = gz;
        if (n <= avail) {
            pos += (int) n;
        } else {
            n -= avail;
            bufStart += lim;
            pos = 0;
            lim = 0;
            if (g == null) {
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
        if (g != null) {
            while (true) {
                if (pos == lim) {
                    if (!g.inMember()) {
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

    /** The index of the first {@code c} in {@code buf[from, to)}, or -1. */
    int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The end of the line whose LF is at {@code eol}: before its CR, if any. */
    int lineEnd(int from, int eol) {
        return eol > from && buf[eol - 1] == '\r' ? eol - 1 : eol;
    }

    /** Whether the data read at {@code from} starts with {@code s} (ASCII). */
    boolean startsWith(int from, String s) {
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

    /**
     * Adds data at buf[lim]: returns how many bytes (at least 1), 0 when a gzip member ended
     * without more, or -1 at the end of the file.
     */
    private int fill() throws IOException {
        GzipMembers g = gz;
        if (g == null) {
            int n = ch.read(ByteBuffer.wrap(buf, lim, buf.length - lim), bufStart + lim);
            if (n <= 0) {
                return -1;
            }
            lim += n;
            return n;
        }
        if (!g.inMember()) {
            long at = g.nextMember();
            if (at < 0) {
                return -1;
            }
            recordOffset = at; // before its header is read: a bad header is this member's
            g.openMember(bufStart + lim);
        }
        int n = g.inflate(buf, lim, buf.length - lim);
        lim += n;
        // After lim: the bytes are in the buffer even when the member's trailer then fails.
        g.endIfFinished();
        return n;
    }

    /** Where the next byte of data comes from: its file offset, or its gzip member's. */
    private long here() {
        GzipMembers g = gz;
        if (g == null) {
            return bufStart + pos;
        }
        return pos < lim ? g.memberOf(bufStart + pos) : g.nextDataMember();
    }
}
