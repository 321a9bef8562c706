package org.distree.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.distree.model.Entry;

/**
 * One entry inside {@link ExternalSorter}: an item of its buffer, of a run, or on its way out.
 * Keys and tails ({@code link 0 title 0 comment 0 digest}, then {@code 0 r} for a record link and
 * its score, if any, or {@code 0 s} and the score of a plain entry with one) are in UTF-8; since no field holds a
 * NUL and UTF-8 byte order is code point order, comparing keys and then links as unsigned bytes
 * is exactly entry order ({@link Entry#compareTo}, that is {@link org.distree.model.Keys#compare}
 * on the key, then on the link): {@link #compareKeys} and {@link #compareLinks} are that order's
 * fast path over bytes, the only one, and SortItemTest checks that they agree with {@code
 * Keys.compare} on random strings from every plane (lone surrogates are not valid keys or links,
 * so they never reach here).
 *
 * <p>A class rather than a record: its arrays are shared, never compared by value, and a record
 * would promise an {@code equals} that compares them.
 */
final class SortItem {
    /** Memory a tail costs beyond its bytes: the array header and alignment. */
    static final int TAIL_OVERHEAD = 20;

    private final byte[] key;
    private final byte[] tail;
    private final int linkLength;
    private final int tailId;

    /**
     * An item of a buffer or a run.
     *
     * @param key the key in UTF-8 (one array for all the entries of a numbered buffer with that
     *     key)
     * @param tail one array for a row of entries added one after the other with the same target
     * @param linkLength the bytes of the link at the start of the tail
     * @param tailId the tail's number in a numbered buffer, or -1
     */
    SortItem(byte[] key, byte[] tail, int linkLength, int tailId) {
        this.key = key;
        this.tail = tail;
        this.linkLength = linkLength;
        this.tailId = tailId;
    }

    byte[] key() {
        return key;
    }

    byte[] tail() {
        return tail;
    }

    int linkLength() {
        return linkLength;
    }

    int tailId() {
        return tailId;
    }

    /** A target as the sorter holds it: its tail and where the link ends. */
    static final class Tail {
        private final byte[] bytes;
        private final int linkLength;

        private Tail(byte[] bytes, int linkLength) {
            this.bytes = bytes;
            this.linkLength = linkLength;
        }

        byte[] bytes() {
            return bytes;
        }

        int linkLength() {
            return linkLength;
        }

        static Tail of(Entry.Target target) {
            byte[] link = target.link().getBytes(StandardCharsets.UTF_8);
            String rest = target.title()
                    + '\0'
                    + target.comment()
                    + '\0'
                    + (target.digest() == null ? "" : target.digest())
                    + (target.record() ? "\0r" : target.score() > 0 ? "\0s" : "")
                    + (target.score() > 0 ? Integer.toString(target.score()) : "");
            byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
            byte[] tail = Arrays.copyOf(link, link.length + 1 + restBytes.length);
            System.arraycopy(restBytes, 0, tail, link.length + 1, restBytes.length);
            return new Tail(tail, link.length);
        }

        /** The memory this tail costs. */
        long memory() {
            return (long) bytes.length + TAIL_OVERHEAD;
        }
    }

    /** Entry order: key, then link, as unsigned bytes. */
    static int compare(SortItem a, SortItem b) {
        int c = compareKeys(a.key, b.key);
        if (c != 0 || a.tail == b.tail) {
            return c;
        }
        return compareLinks(a.tail, a.linkLength, b.tail, b.linkLength);
    }

    /** Key order ({@link org.distree.model.Keys#compare}) over the keys' UTF-8 bytes. */
    static int compareKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** {@link #compareKeys(byte[], byte[])} over keys held at {@code [from, to)} of arrays. */
    static int compareKeys(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        return Arrays.compareUnsigned(a, aFrom, aTo, b, bFrom, bTo);
    }

    /**
     * The first 8 bytes of a key as a number, big-endian, zeros after a shorter key's end: where
     * two keys' numbers differ, {@link Long#compareUnsigned} on them is their key order (no key
     * holds a NUL, so a key that ends first sorts first, as its zeros do); where they are equal,
     * the keys must be compared whole.
     */
    static long keyPrefix(byte[] key) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = p << 8 | (i < key.length ? key[i] & 0xFF : 0);
        }
        return p;
    }

    /**
     * Link order ({@link org.distree.model.Keys#compare}) over the links' UTF-8 bytes: the first
     * {@code aLength} bytes of tail {@code a} against the first {@code bLength} of {@code b}.
     */
    static int compareLinks(byte[] a, int aLength, byte[] b, int bLength) {
        return compareLinks(a, 0, aLength, b, 0, bLength);
    }

    /** {@link #compareLinks(byte[], int, byte[], int)} over tails held at offsets of arrays. */
    static int compareLinks(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        return Arrays.compareUnsigned(a, aFrom, aFrom + aLength, b, bFrom, bFrom + bLength);
    }

    /**
     * The target the tail holds: link, title, comment and digest (none when empty), and whether
     * the link names a record.
     */
    Entry.Target target() {
        String[] f = new String[5];
        f[0] = new String(tail, 0, linkLength, StandardCharsets.UTF_8);
        int start = linkLength + 1;
        int n = 1;
        for (int i = start; i < tail.length && n < 4; i++) {
            if (tail[i] == 0) {
                f[n++] = new String(tail, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
            }
        }
        f[n] = new String(tail, start, tail.length - start, StandardCharsets.UTF_8);
        // A record's last field is "r" and its score, if any; a scored plain entry's "s" and its
        // score.
        boolean record = n == 4 && f[4].charAt(0) == 'r';
        int score = n == 4 && f[4].length() > 1 ? Integer.parseInt(f[4].substring(1)) : 0;
        return new Entry.Target(
                f[0], f[1], f[2], f[3].isEmpty() ? null : f[3], Map.of(), record, score);
    }
}
