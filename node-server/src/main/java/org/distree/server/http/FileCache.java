package org.distree.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.jspecify.annotations.Nullable;

/**
 * The tree's served files in memory: for each file its bytes, a strong ETag (a hash of the
 * bytes), its Last-Modified date and, once a client asks for it, its gzipped bytes, each with
 * its response header made once per version of the file instead of once per request.
 *
 * <p>Always current, whoever writes the tree: every {@link #get} checks the file on disk (one
 * {@code stat}: its identity, size and modification time) and reads it again when any of them
 * changed. {@code NodeStore} writes a file under a temporary name and renames it into place, so
 * a new version is a new file (a new identity) and a reader sees a whole version or the next
 * one, never half of one. A file modified within the last {@value #SETTLE_MS} ms is not
 * cached: a file system stamps times at a coarse tick and may reuse a freed identity, so two
 * versions written within one tick could look alike (Git's "racy" index entries are the same
 * problem); such a file is read from disk until it settles.
 *
 * <p>Bounded: at most {@code maxBytes} of bytes (plain and gzipped)
 * are kept; past that, entries are dropped in no particular order until three quarters of the
 * budget is used. Files over {@value #MAX_FILE_BYTES} bytes (far over the 10 KB rule) are
 * never kept. With a budget of 0 nothing is kept and every request reads the file.
 */
final class FileCache {
    /** A file modified this recently is read from disk on every request: 2 s. */
    static final long SETTLE_MS = 2_000;

    /** The largest file kept: 1 MiB. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** One version of a file and its header fields. */
    static final class Version {
        private final ByteBuffer bytes;
        private final String etag;
        private final HttpField etagField;
        private final HttpField lastModified;
        private final long modifiedSeconds;
        private final HttpField length;
        private volatile @Nullable Gzipped gzipped;
        /** Whether the cache holds this version (and so counts its bytes). */
        private volatile boolean kept;

        Version(byte[] content, FileTime modified) {
            this.bytes = direct(content);
            this.etag = "\"" + hash(content) + "\"";
            this.etagField = new PreEncodedHttpField(HttpHeader.ETAG, etag);
            this.modifiedSeconds = modified.toMillis() / 1000;
            this.lastModified = new PreEncodedHttpField(
                    HttpHeader.LAST_MODIFIED, DateGenerator.formatDate(modifiedSeconds * 1000));
            this.length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, content.length);
        }

        /** The bytes, as a new read-only view a response may consume. */
        ByteBuffer bytes() {
            return bytes.duplicate();
        }

        int size() {
            return bytes.capacity();
        }

        /** The strong ETag of the plain bytes, with its quotes. */
        String etag() {
            return etag;
        }

        HttpField etagField() {
            return etagField;
        }

        HttpField lastModified() {
            return lastModified;
        }

        /** Last-Modified in whole seconds since the epoch, as HTTP dates carry it. */
        long modifiedSeconds() {
            return modifiedSeconds;
        }

        HttpField contentLength() {
            return length;
        }

        /** True when {@code tag} (quoted, maybe weak) names this version, plain or gzipped. */
        boolean isTag(String tag) {
            String t = tag.startsWith("W/") ? tag.substring(2) : tag;
            return t.equals(etag) || t.equals(Gzipped.etag(etag));
        }

        private int weight() {
            Gzipped g = gzipped;
            return size() + (g == null ? 0 : g.bytes.capacity());
        }
    }

    /** The gzipped bytes of a version; their ETag is the plain one with {@code -gz}. */
    static final class Gzipped {
        private final ByteBuffer bytes;
        private final HttpField etagField;
        private final HttpField length;

        private Gzipped(byte[] gz, String plainEtag) {
            this.bytes = direct(gz);
            this.etagField = new PreEncodedHttpField(HttpHeader.ETAG, etag(plainEtag));
            this.length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, gz.length);
        }

        static String etag(String plainEtag) {
            return plainEtag.substring(0, plainEtag.length() - 1) + "-gz\"";
        }

        ByteBuffer bytes() {
            return bytes.duplicate();
        }

        int size() {
            return bytes.capacity();
        }

        HttpField etagField() {
            return etagField;
        }

        HttpField contentLength() {
            return length;
        }
    }

    /** What identifies a version on disk. */
    private record Stamp(@Nullable Object fileKey, FileTime modified, long size) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
        }

        boolean matches(BasicFileAttributes a) {
            return size == a.size()
                    && modified.equals(a.lastModifiedTime())
                    && Objects.equals(fileKey, a.fileKey());
        }
    }

    private record Cached(Stamp stamp, Version version) {}

    private final long maxBytes;
    private final Clock clock;
    private final ConcurrentHashMap<Path, Cached> files = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param maxBytes the most bytes kept (plain and gzipped); 0 keeps nothing
     * @param clock tells when a file has settled (see {@link #SETTLE_MS})
     */
    FileCache(long maxBytes, Clock clock) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException(
                    "the cache size is " + maxBytes + " bytes; it must not be negative");
        }
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * The current version of a file if the cache holds it, checked with one {@code stat} and
     * no read; null when it must be read with {@link #get} (not kept, changed, or missing).
     */
    @Nullable
    Version kept(Path file) throws IOException {
        Cached cached = files.get(file);
        if (cached == null) {
            return null;
        }
        BasicFileAttributes now = attributes(file);
        return now != null && cached.stamp().matches(now) ? cached.version() : null;
    }

    /** The current version of a regular file, or null when there is none. */
    @Nullable
    Version get(Path file) throws IOException {
        BasicFileAttributes before = attributes(file);
        if (before == null || !before.isRegularFile()) {
            drop(file);
            return null;
        }
        Cached cached = files.get(file);
        if (cached != null && cached.stamp().matches(before)) {
            return cached.version();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            drop(file);
            return null;
        }
        BasicFileAttributes after = attributes(file);
        if (after == null || !Stamp.of(before).matches(after)) {
            // Replaced while being read: serve what was read, keep nothing.
            drop(file);
            return new Version(content, before.lastModifiedTime());
        }
        Version v = new Version(content, after.lastModifiedTime());
        boolean settled = clock.millis() - after.lastModifiedTime().toMillis() >= SETTLE_MS;
        if (settled && maxBytes > 0 && content.length <= MAX_FILE_BYTES) {
            keep(file, new Cached(Stamp.of(after), v));
        } else {
            drop(file);
        }
        return v;
    }

    /** The gzipped bytes of {@code v}, made on first use. */
    Gzipped gzipped(Version v) {
        Gzipped g = v.gzipped;
        if (g != null) {
            return g;
        }
        byte[] plain = new byte[v.size()];
        v.bytes().get(plain);
        Gzipped made = new Gzipped(gzip(plain), v.etag());
        synchronized (accounting) {
            if (v.gzipped != null) {
                return v.gzipped; // another request made it first, and counted it
            }
            v.gzipped = made;
            if (v.kept) {
                bytes.addAndGet(made.size());
                trim();
            }
        }
        return made;
    }

    /** Bytes kept now (plain and gzipped), for tests and metrics. */
    long bytes() {
        return bytes.get();
    }

    // The map, the kept flags and the byte count change together under this lock (on a miss or
    // a change, never on a hit), so that the count is always the weight of what the map holds.
    private final Object accounting = new Object();

    private void keep(Path file, Cached c) {
        synchronized (accounting) {
            c.version().kept = true;
            Cached old = files.put(file, c);
            bytes.addAndGet(c.version().weight());
            if (old != null) {
                old.version().kept = false;
                bytes.addAndGet(-old.version().weight());
            }
            trim();
        }
    }

    private void drop(Path file) {
        synchronized (accounting) {
            Cached c = files.remove(file);
            if (c != null) {
                c.version().kept = false;
                bytes.addAndGet(-c.version().weight());
            }
        }
    }

    /** Evicts down to three quarters of the budget; called holding {@link #accounting}. */
    private void trim() {
        if (bytes.get() <= maxBytes) {
            return;
        }
        Iterator<Map.Entry<Path, Cached>> it = files.entrySet().iterator();
        while (bytes.get() > maxBytes / 4 * 3 && it.hasNext()) {
            Map.Entry<Path, Cached> e = it.next();
            Cached c = e.getValue();
            if (files.remove(e.getKey(), c)) {
                c.version().kept = false;
                bytes.addAndGet(-c.version().weight());
            }
        }
    }

    private static @Nullable BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static ByteBuffer direct(byte[] content) {
        ByteBuffer b = ByteBuffer.allocateDirect(content.length);
        b.put(content).flip();
        return b.asReadOnlyBuffer();
    }

    /** 128 bits of SHA-256, base64url: a strong validator for a file of the tree. */
    private static String hash(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(d, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
