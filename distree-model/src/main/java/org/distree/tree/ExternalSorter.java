package org.distree.tree;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * Sorts entries into key order with bounded memory: runs of at most {@code bufferBytes}
 * (estimated) are sorted in memory and spilled to temporary files, then merged. The first of
 * several entries with the same key and link wins; later ones are counted as duplicates.
 *
 * <p>An input that fits in the buffer never touches the disk. Temporary files go in the given
 * folder and are deleted by {@link #close}.
 *
 * <p>Entries are held as {@link SortItem}s (key and tail in UTF-8), in a buffer of one of two
 * kinds. Every kind keeps equal entries in the order they were added.
 *
 * <ul>
 *   <li>{@link NumberedBuffer}, while keys are few for the entries (the words of many pages):
 *       each distinct key and target once, 8 bytes an entry, put in order by ranking in time
 *       linear in the entries;
 *   <li>{@link ItemBuffer}, once most entries bring their own target or the keys turn out
 *       nearly all distinct, or when ranking would not pay at the end: keys and tails packed in
 *       large arrays, about 50 bytes an entry beyond them, merged when it holds a few rows added
 *       in order (a sorted input), sorted otherwise.
 * </ul>
 *
 * <pre>
 * add ─► NumberedBuffer ─(targets or keys nearly all distinct)─► ItemBuffer
 *            │ full: ranked or ordered ─► SortRuns (run files)
 * sorted(): buffer in order, or SortMerge of the runs ─► Dedup ─► entries
 * </pre>
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 256 MiB of entry records. */
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;

    /** Decoded tails kept for reuse while reading the output (a power of two). */
    private static final int DECODED_TAILS = 2048;

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private long used;
    private long added;
    private long duplicates;
    private Entry.@Nullable Target lastTarget;
    /** The buffer while numbered; null once it became items. */
    private @Nullable NumberedBuffer numbered = new NumberedBuffer();
    /** The buffer once items; null while numbered. */
    private @Nullable ItemBuffer items;
    /** How the buffer was last put in order: "merged", "ranked" or "sorted" (for tests). */
    private String lastOrder = "";
    /** True once {@link #sorted} was called: no more adds. */
    private boolean drained;

    /** A sorter spilling into {@code tmpDir}, with runs of at most {@code bufferBytes}. */
    public ExternalSorter(Path tmpDir, long bufferBytes) {
        this.tmpDir = tmpDir;
        this.bufferBytes = Math.max(1 << 16, bufferBytes);
    }

    /** Adds one entry. */
    public void add(Entry e) throws IOException {
        add(e.key(), e.target());
    }

    /**
     * Adds one entry per key, each with the link, title, comment and digest of {@code like} (its
     * own key is not added): the words of a page. The same as adding the entries one by one, but
     * no {@link Entry} is made per key, and the entries share {@code like}'s target.
     *
     * @throws IllegalArgumentException if a key is not a valid key
     */
    public void addAll(Entry like, Collection<String> keys) throws IOException {
        for (String key : keys) {
            add(Keys.requireKey(key), like.target());
        }
    }

    private void add(String key, Entry.Target target) throws IOException {
        if (drained) {
            throw new IllegalStateException("entries added after sorted()");
        }
        boolean sameTarget = target.equals(lastTarget);
        lastTarget = target;
        NumberedBuffer n = numbered;
        if (n != null) {
            used += n.add(key, target, sameTarget);
            if (n.itemsSuitBetter()) {
                toItems(n);
            }
        } else {
            used += itemBuffer().add(key, target, sameTarget);
        }
        added++;
        if (used >= bufferBytes) {
            spill();
        }
    }

    private ItemBuffer itemBuffer() {
        ItemBuffer b = items;
        if (b == null) {
            throw new IllegalStateException("the buffer is numbered");
        }
        return b;
    }

    /** Turns the numbered buffer into items. */
    private void toItems(NumberedBuffer n) {
        ItemBuffer b = new ItemBuffer();
        used = n.tailMemory();
        for (Iterator<SortItem> it = n.inAddedOrder(); it.hasNext(); ) {
            used += b.append(it.next());
        }
        items = b;
        numbered = null;
    }

    private int buffered() {
        NumberedBuffer n = numbered;
        return n != null ? n.size() : itemBuffer().size();
    }

    /** Entries added so far. */
    public long added() {
        return added;
    }

    /** Entries dropped as repeats of an earlier (key, link); known once the output is read. */
    public long duplicates() {
        return duplicates;
    }

    /** True while the buffer is a {@link NumberedBuffer} (for tests). */
    boolean holdsNumbers() {
        return numbered != null;
    }

    /** How the buffer was last put in order: "merged", "ranked" or "sorted". */
    String lastOrder() {
        return lastOrder;
    }

    /** The number of runs spilled to disk. */
    public int spilledRuns() {
        return runs.size();
    }

    /** The buffer in entry order. */
    private Iterator<SortItem> ordered() {
        NumberedBuffer n = numbered;
        if (n != null) {
            if (n.worthRanking()) {
                lastOrder = "ranked";
                return n.ranked();
            }
            toItems(n);
        }
        ItemBuffer b = itemBuffer();
        lastOrder = b.merges() ? "merged" : "sorted";
        return b.ordered();
    }

    private void spill() throws IOException {
        Path run = Files.createTempFile(tmpDir, "distree-run-", ".bin");
        runs.add(run);
        SortRuns.write(run, ordered());
        used = 0;
        lastTarget = null; // a tail is counted once per run
        numbered = new NumberedBuffer();
        items = null;
    }

    /**
     * The sorted entries without duplicates. Call once, after the last {@link #add} (later calls
     * of either throw {@link IllegalStateException}). The iterator throws {@link
     * UncheckedIOException} if a run cannot be read.
     */
    public Iterator<Entry> sorted() throws IOException {
        if (drained) {
            throw new IllegalStateException("sorted() called twice");
        }
        if (!runs.isEmpty() && buffered() > 0) {
            spill();
        }
        drained = true;
        NumberedBuffer n = numbered;
        int tails = 0;
        if (n != null) {
            n.close(); // no more adds: the table of keys can go before the buffer is ordered
            tails = n.tails();
        }
        List<Iterator<SortItem>> sources = new ArrayList<>();
        if (runs.isEmpty()) {
            sources.add(ordered());
        } else {
            for (Path run : runs) {
                sources.add(new SortRuns.Reader(run));
            }
        }
        return new Dedup(sources.size() == 1 ? sources.get(0) : new SortMerge(sources), tails);
    }

    /** The items as entries, without repeats of a (key, link). */
    private final class Dedup implements Iterator<Entry> {
        private final Iterator<SortItem> in;
        private @Nullable SortItem next;
        private @Nullable SortItem last;
        // Tails decoded lately: the entries of a page have one tail, so most are decoded once,
        // and the entries then share their target.
        private final byte[][] decodedTails = new byte[DECODED_TAILS][];
        private final Entry.Target[] targets = new Entry.Target[DECODED_TAILS];
        // The last key decoded: a word's entries follow each other, sharing the key's array.
        private byte @Nullable [] lastKey;
        private String lastKeyString = "";
        // Targets by tail number, for entries read from a numbered buffer (they know theirs).
        private final Entry.@Nullable Target[] byTailId;

        Dedup(Iterator<SortItem> in, int tails) {
            this.in = in;
            this.byTailId = new Entry.Target[tails];
            advance();
        }

        private void advance() {
            next = null;
            while (in.hasNext()) {
                SortItem r = in.next();
                if (last != null && SortItem.compare(last, r) == 0) {
                    duplicates++;
                    continue;
                }
                next = r;
                last = r;
                return;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            SortItem r = next;
            if (r == null) {
                throw new NoSuchElementException();
            }
            advance();
            Entry.Target target = r.tailId() >= 0 ? byTailId[r.tailId()] : null;
            if (target == null) {
                target = target(r);
                if (r.tailId() >= 0) {
                    byTailId[r.tailId()] = target;
                }
            }
            if (r.key() != lastKey && !Arrays.equals(r.key(), lastKey)) {
                lastKeyString = new String(r.key(), StandardCharsets.UTF_8);
                lastKey = r.key();
            }
            return new Entry(lastKeyString, target);
        }

        /**
         * In memory a page's entries share one tail array; read back from runs they share its
         * bytes only, so tails are looked up by content.
         */
        private Entry.Target target(SortItem r) {
            int slot = Arrays.hashCode(r.tail()) & (DECODED_TAILS - 1);
            Entry.Target target = targets[slot];
            if (target == null
                    || (decodedTails[slot] != r.tail()
                            && !Arrays.equals(decodedTails[slot], r.tail()))) {
                target = r.target();
                decodedTails[slot] = r.tail();
                targets[slot] = target;
            }
            return target;
        }
    }

    @Override
    public void close() throws IOException {
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        numbered = null;
        items = new ItemBuffer();
    }
}
