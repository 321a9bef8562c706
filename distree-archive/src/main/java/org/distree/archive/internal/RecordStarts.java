package org.distree.archive.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where the next record starts after a bad one, so that {@code --skip-bad} can go on: the next
 * gzip member of a gzipped file, the next {@code WARC/1.} line of a plain WARC file, the next
 * line of a plain ARC file that parses as an ARC header line ({@link
 * ArcHeaderLine#fields}). Reads the file by position in blocks of 64 KiB; never closes it.
 */
public final class RecordStarts {
    private static final int BLOCK = 1 << 16;

    private RecordStarts() {}

    /** What a scan does with each byte; a result of 0 or more ends the scan with that offset. */
    @FunctionalInterface
    private interface ByteStep {
        long step(byte x, long offset);
    }

    /** Feeds the bytes from {@code at} on to {@code step} until it gives an offset; -1 at the end. */
    private static long scan(FileChannel ch, long at, ByteStep step) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        while (true) {
            b.clear();
            int n = ch.read(b, at);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                long found = step.step(b.get(i), at + i);
                if (found >= 0) {
                    return found;
                }
            }
            at += n;
        }
    }

    /**
     * The offset of the first record start at or after {@code from}: a gzip member header
     * ({@code 1f 8b 08}) in a gzipped file, else {@code WARC/1.} at the start of a line, or in an
     * ARC file a line that parses as an ARC header line; -1 when there is none.
     */
    public static long nextRecordStart(FileChannel ch, long from, boolean gzip, boolean arc)
            throws IOException {
        return nextRecordStart(ch, from, gzip, arc ? 1 : 0);
    }

    /**
     * As {@link #nextRecordStart(FileChannel, long, boolean, boolean)}, in an ARC file of {@code
     * arcVersion} (1 or 2; 0 for a WARC file), whose header lines have 5 or 10 fields.
     */
    public static long nextRecordStart(FileChannel ch, long from, boolean gzip, int arcVersion)
            throws IOException {
        if (arcVersion > 0 && !gzip) {
            return nextArcLine(ch, from, arcVersion);
        }
        byte[] magic = gzip
                ? new byte[] {0x1f, (byte) 0x8b, 0x08}
                : "\nWARC/1.".getBytes(StandardCharsets.US_ASCII);
        long base = gzip ? from : from - 1;
        int[] matched = {0};
        return scan(ch, Math.max(0, base), (x, offset) -> {
            if (x == magic[matched[0]]) {
                matched[0]++;
                if (matched[0] == magic.length) {
                    long end = offset + 1;
                    return gzip ? end - magic.length : end - magic.length + 1;
                }
            } else {
                matched[0] = x == magic[0] ? 1 : 0;
            }
            return -1;
        });
    }

    /** The start of the first line at or after {@code from} that is an ARC header line, or -1. */
    private static long nextArcLine(FileChannel ch, long from, int version) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        // -1 until the first LF: the line being gathered starts there.
        long[] lineStart = {-1};
        return scan(ch, Math.max(0, from - 1), (x, offset) -> {
            if (x == '\n') {
                if (lineStart[0] >= 0
                        && line.size() <= WarcRecordReader.MAX_HEADER
                        && isArcLine(line, version)) {
                    return lineStart[0];
                }
                lineStart[0] = offset + 1;
                line.reset();
            } else if (lineStart[0] >= 0 && line.size() <= WarcRecordReader.MAX_HEADER) {
                line.write(x);
            }
            return -1;
        });
    }

    private static boolean isArcLine(ByteArrayOutputStream line, int version) {
        try {
            ArcHeaderLine.fields(line.toString(StandardCharsets.UTF_8), version);
            return true;
        } catch (WarcFormatException e) {
            return false;
        }
    }
}
