package org.distree.archive.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The gzip members (RFC 1952) of a file from a start offset on, inflated in turn for {@link
 * RecordInput}: each member's header read (its optional fields skipped), its raw deflate data
 * inflated with {@link Inflater} into the caller's buffer, and its trailer checked against the
 * CRC-32 and size of what it gave. Compressed input is read by position in blocks of 128 KiB;
 * the channel is never closed here.
 *
 * <pre>
 * nextMember ─► openMember ─► (inflate ─► endIfFinished) until the data ends ─► nextMember
 * </pre>
 *
 * <p>It keeps, for each member opened whose data may still be in the caller's buffer, where its
 * data starts in the inflated stream (a data position) and where the member starts in the file,
 * so that {@link #memberOf} tells the member of a data position: a gzipped record's offset.
 *
 * <p>Errors, each naming the member's offset: a member without {@code 1f 8b 08}, with reserved
 * flags set, with bad deflate data or that needs a dictionary, or whose trailer does not match
 * throws a {@link ZipException}; a member cut short by the end of the file an {@link
 * EOFException}. Not thread-safe.
 */
final class GzipMembers implements AutoCloseable {
    // A quarter of the data buffer (RecordInput); larger blocks gained nothing measurable on the
    // benchmark's WARCs.
    private static final int IN_SIZE = 1 << 17;

    private final FileChannel ch;
    // Compressed input in[inPos, inLim), in[0] being at file offset inStart.
    private final byte[] in = new byte[IN_SIZE];
    private int inPos;
    private int inLim;
    private long inStart;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private boolean inMember;
    private long memberAt;
    private long memberOut;
    // The members whose data may still be buffered: {data position of the first byte, file offset}.
    private final ArrayDeque<long[]> members = new ArrayDeque<>();

    /** The members of {@code ch} from {@code start} (a member's start) on. */
    GzipMembers(FileChannel ch, long start) {
        this.ch = ch;
        this.inStart = start;
    }

    /** Whether the file holds a gzip member's magic, {@code 1f 8b}, at {@code start}. */
    static boolean startsAt(FileChannel ch, long start) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && ch.read(magic, start + magic.position()) > 0) {
            // two bytes, or fewer at the end of the file
        }
        return magic.position() == 2 && magic.get(0) == 0x1f && magic.get(1) == (byte) 0x8b;
    }

    /** Frees the inflater's memory; the channel is the caller's to close. */
    @Override
    public void close() {
        inflater.end();
    }

    /** Whether a member is open: its data not yet all inflated, or its trailer not yet read. */
    boolean inMember() {
        return inMember;
    }

    /**
     * Where the next member starts in the file, or -1 at the end of the file; {@link
     * #openMember} opens it.
     */
    long nextMember() throws IOException {
        if (inPos == inLim && readIn() <= 0) {
            return -1;
        }
        memberAt = inStart + inPos;
        return memberAt;
    }

    /**
     * Reads the header of the member {@link #nextMember} found, and opens it: its data comes
     * next, at data position {@code dataAt}.
     */
    void openMember(long dataAt) throws IOException {
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
        members.addLast(new long[] {dataAt, memberAt});
    }

    /**
     * Inflates data of the open member into {@code out[off, off + len)}: returns how many bytes
     * (at least 1), or 0 when the member's data ended without more (its trailer then read and
     * checked). When the bytes returned are the member's last, {@link #endIfFinished} reads its
     * trailer.
     */
    int inflate(byte[] out, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = inflater.inflate(out, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(String.format(
                        Locale.ROOT,
                        "the gzip member at offset %,d holds bad deflate data: %s",
                        memberAt,
                        e.getMessage()));
            }
            inPos = inLim - inflater.getRemaining();
            if (n > 0) {
                crc.update(out, off, n);
                memberOut += n;
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

    /** Reads and checks the open member's trailer when its data has all been inflated. */
    void endIfFinished() throws IOException {
        if (inMember && inflater.finished()) {
            endMember();
        }
    }

    /**
     * The file offset of the member whose data holds data position {@code at}, a position
     * inflated already; the members before it are forgotten.
     */
    long memberOf(long at) {
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

    /** The file offset of the member the next data comes from: the open one, or the next one. */
    long nextDataMember() {
        return inMember ? memberAt : inStart + inPos;
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
}
