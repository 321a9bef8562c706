package org.distree.store;

import java.io.IOException;
import java.io.Reader;
import org.jspecify.annotations.Nullable;

/**
 * The lines of a {@link Reader}, ended as {@link java.io.BufferedReader#readLine} ends them (LF,
 * CR, or CR LF), each kept up to {@code max} characters: a longer line is read to its end
 * without being kept, so one line of any length costs no more memory than {@code max}
 * characters, and {@link #length()} tells how long it was: the one line reader of input files
 * whose lines have a limit (CDXJ, TSV and JSON Lines). Not thread-safe.
 */
public final class BoundedLines implements java.io.Closeable {
    private final Reader in;
    private final int max;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    // A CR ended the last line: an LF right after it belongs to that line's end.
    private boolean afterCr;
    private long length;

    /**
     * @param in the characters, read in blocks of 64 Ki characters
     * @param max the most characters of a line kept (at least 0)
     */
    public BoundedLines(Reader in, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max " + max + " is negative");
        }
        this.in = in;
        this.max = max;
    }

    /**
     * The next line without its end, or null at the end of the input; a line of more than
     * {@code max} characters comes back as its first {@code max + 1} (see {@link #length()}).
     */
    public @Nullable String next() throws IOException {
        StringBuilder line = null;
        length = 0;
        while (true) {
            if (pos == end && !fill()) {
                return line == null ? null : line.toString();
            }
            if (afterCr) {
                afterCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            if (line == null) {
                line = new StringBuilder(Math.min(max + 1, 256));
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
                pos++;
            }
            int n = pos - start;
            long room = (long) max + 1 - line.length();
            line.append(buf, start, (int) Math.min(n, Math.max(0, room)));
            length += n;
            if (pos < end) {
                afterCr = buf[pos] == '\r';
                pos++;
                return line.toString();
            }
        }
    }

    /** The whole length of the line {@link #next} returned last, in characters. */
    public long length() {
        return length;
    }

    /** Closes the reader. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }
}
