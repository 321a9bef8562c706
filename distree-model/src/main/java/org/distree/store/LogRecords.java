package org.distree.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The framing of an append-only log of records, shared by the store's write-ahead log ({@link
 * NodeStore}) and the node daemon's entry log: each record is a 16-byte header (a magic number
 * naming the log, the body's length, the CRC-32C of the body) and the body.
 *
 * <pre>
 * [magic: int][length: int][crc32c: long][body: length bytes] [magic]…
 * </pre>
 *
 * A writer appends a record and forces it before it acknowledges anything the record holds, so
 * only the last record can be torn by a crash: {@link #replay} reads the whole records from the
 * start, stops at a torn last one (never acknowledged, so dropped), and refuses a log whose
 * damaged record is followed by more bytes (something acknowledged would be lost silently).
 */
public final class LogRecords {
    /** The bytes of a record's header. */
    public static final int HEADER_BYTES = 16;

    private LogRecords() {}

    /** What is done with each whole record's body, in order. */
    @FunctionalInterface
    public interface Reader {
        void accept(byte[] body) throws IOException;
    }

    /**
     * Writes a record at {@code at} (the log's end) and, if {@code force}, forces it to disk. On
     * a failure the log may hold part of the record: the caller cuts it back to {@code at}
     * before anything else is appended.
     */
    public static void append(
            FileChannel log, long at, int magic, byte[] body, int length, boolean force)
            throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, length);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(magic).putInt(length).putLong(crc.getValue()).flip();
        writeAll(log, header, at);
        writeAll(log, ByteBuffer.wrap(body, 0, length), at + HEADER_BYTES);
        if (force) {
            log.force(false);
        }
    }

    /**
     * Reads the whole records of {@code log} from its start and gives each body to {@code
     * reader}; returns where the last whole record ends (the log's size when no record is torn).
     *
     * @param what the log as a message names it, such as {@code the write-ahead log PATH}
     * @throws IOException if the log cannot be read, or a record whose checksum does not match
     *     is followed by more bytes (then no record after it is given to the reader)
     */
    public static long replay(FileChannel log, int magic, String what, Reader reader)
            throws IOException {
        long size = log.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (pos + HEADER_BYTES <= size) {
            header.clear();
            readFully(log, header, pos);
            header.flip();
            int m = header.getInt();
            int length = header.getInt();
            long crcValue = header.getLong();
            if (m != magic || length < 0 || pos + HEADER_BYTES + length > size) {
                // A torn tail: a record cut off before it was forced; never acknowledged.
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(log, body, pos + HEADER_BYTES);
            CRC32C crc = new CRC32C();
            crc.update(body.array());
            if (crc.getValue() != crcValue) {
                if (pos + HEADER_BYTES + length < size) {
                    throw new IOException(what + " is damaged at byte " + pos + " (a checksum"
                            + " does not match and committed records follow); nothing was"
                            + " changed");
                }
                break;
            }
            reader.accept(body.array());
            pos += HEADER_BYTES + length;
        }
        return pos;
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long p = at;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new IOException("unexpected end of the log at byte " + at);
            }
        }
    }
}
