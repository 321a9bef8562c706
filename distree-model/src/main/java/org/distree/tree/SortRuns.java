package org.distree.tree;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * {@link ExternalSorter}'s run files: items in entry order, each as {@code int keyLength, key,
 * int tailLength, int linkLength, tail}.
 */
final class SortRuns {
    private SortRuns() {}

    /** Writes the items to {@code run}. */
    static void write(Path run, Iterator<SortItem> items) throws IOException {
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            while (items.hasNext()) {
                SortItem item = items.next();
                out.writeInt(item.key().length);
                out.write(item.key());
                out.writeInt(item.tail().length);
                out.writeInt(item.linkLength());
                out.write(item.tail());
            }
        }
    }

    /**
     * Reads a run back; throws {@link UncheckedIOException} if it cannot. Closes the file at its
     * end.
     */
    static final class Reader implements Iterator<SortItem> {
        private final DataInputStream in;
        private @Nullable SortItem next;

        Reader(Path run) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
            advance();
        }

        private void advance() {
            try {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] tail = new byte[in.readInt()];
                int linkLength = in.readInt();
                in.readFully(tail);
                next = new SortItem(key, tail, linkLength, -1);
            } catch (EOFException e) {
                next = null;
                close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public SortItem next() {
            SortItem r = next;
            if (r == null) {
                throw new NoSuchElementException();
            }
            advance();
            return r;
        }
    }
}
