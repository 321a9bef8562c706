package org.distree.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcRevisit;

/**
 * Reads WARC files, gzipped (one member a record) or not, with jwarc, and makes one {@link
 * Capture} per capture record, with the fields and record choice of {@code warcio cdx-index}
 * (2.4.11): every record but {@code request}, {@code warcinfo}, and {@code metadata} or {@code
 * resource} records of type {@code application/warc-fields}; records without a target URI are
 * passed over too.
 *
 * <pre>
 * WARC ─► jwarc WarcReader ─► record at offset O ─► body read to its end (length: next O - O)
 *      ─► Capture(SURT, 14-digit date, {"url","mime","status","digest","length","offset",
 *                 "filename"}, payload digest) ─► sink
 * </pre>
 *
 * <p>JSON fields, as warcio writes them: {@code url} the target URI; {@code mime} {@code
 * warc/revisit} for a revisit, the HTTP Content-Type (before any {@code ;}) for a response, else
 * the record's Content-Type; {@code status} the HTTP status of a response or revisit; {@code
 * digest} the payload digest without its algorithm ({@code sha1:}); {@code length} and {@code offset} the
 * record's bytes in the file (compressed); {@code filename} the file's name. A field with no
 * value is left out.
 *
 * <p>Bad input: a record that cannot be read (a truncated or corrupt record, a bad gzip member,
 * an HTTP header that does not parse, a date out of range, a URL whose SURT is not printable
 * ASCII) raises an {@link ArchiveException} naming the file and the record's offset. With {@code
 * skipBad}, it is reported to the warning consumer instead, counted, and reading goes on at the
 * next record start after it (the next gzip member header, or the next {@code WARC/} line).
 */
public final class WarcIndexer {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Where captures go. A sink that refuses a capture with an {@link IllegalArgumentException}
     * (its entry would break a limit, say) makes it a bad record.
     */
    @FunctionalInterface
    public interface Sink {
        void accept(Capture capture) throws IOException, ArchiveException;
    }

    private final boolean skipBad;
    private final Consumer<String> warnings;
    // Counters shared by the threads of indexAll.
    private final LongAdder records = new LongAdder();
    private final LongAdder captures = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    /**
     * @param skipBad report bad records to {@code warnings} and go on, rather than stop
     * @param warnings takes one line per bad record skipped
     */
    public WarcIndexer(boolean skipBad, Consumer<String> warnings) {
        this.skipBad = skipBad;
        this.warnings = warnings;
    }

    /** Records read so far, of every type. */
    public long records() {
        return records.sum();
    }

    /** Captures made so far. */
    public long captures() {
        return captures.sum();
    }

    /** Bad records skipped so far (only with skipBad). */
    public long skipped() {
        return skipped.sum();
    }

    /**
     * Indexes WARC files into {@code sink}, up to {@code threads} files at a time, each file read
     * by one thread from start to end (reading, inflating and parsing a file is most of the
     * work). The sink is called from those threads, one call at a time; {@code done} is called
     * with each file once it is read. The first failure (a bad record without skipBad, or the
     * sink's) stops the other files and is thrown; with several bad files, which one is named
     * depends on which is read first. The warning consumer is called from the reading threads.
     *
     * @param threads at most this many files at once; 1 reads them in order on this thread
     * @throws IllegalArgumentException when threads is below 1
     */
    public void indexAll(List<Path> files, int threads, Sink sink, FileDone done)
            throws IOException, ArchiveException, InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " is below 1");
        }
        if (threads == 1 || files.size() < 2) {
            for (Path f : files) {
                index(f, sink);
                done.read(f);
            }
            return;
        }
        Object lock = new Object();
        Sink serial = c -> {
            synchronized (lock) {
                sink.accept(c);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
            Thread t = new Thread(r, "distree-warc-reader");
            t.setDaemon(true);
            return t;
        });
        List<Future<Path>> started = new ArrayList<>();
        try {
            ExecutorCompletionService<Path> each = new ExecutorCompletionService<>(pool);
            for (Path f : files) {
                started.add(each.submit(() -> {
                    index(f, serial);
                    return f;
                }));
            }
            for (int i = 0; i < files.size(); i++) {
                Path f;
                try {
                    f = each.take().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof ArchiveException a) {
                        throw a;
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(cause);
                }
                synchronized (lock) {
                    done.read(f);
                }
            }
        } finally {
            for (Future<Path> f : started) {
                f.cancel(true); // after a failure, the files still being read
            }
            pool.shutdownNow();
        }
    }

    /** Told of each file once it is read (one call at a time). */
    @FunctionalInterface
    public interface FileDone {
        void read(Path file) throws IOException;
    }

    /** Indexes one WARC file into {@code sink}. */
    public void index(Path file, Sink sink) throws IOException, ArchiveException {
        String name = String.valueOf(file.getFileName());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = 0;
            while (start < size) {
                Bad bad = run(ch, start, name, sink);
                if (bad == null) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    // indexAll stopped this thread: what failed was the interrupted read.
                    throw new InterruptedIOException(name + ": stopped");
                }
                long resume = nextRecordStart(ch, bad.offset + 1, bad.gzip);
                String where = String.format(Locale.ROOT, "record at offset %,d", bad.offset);
                if (!skipBad) {
                    throw new ArchiveException(name, where, bad.reason);
                }
                skipped.increment();
                warnings.accept(name + ": " + where + ": " + bad.reason
                        + (resume < 0
                                ? "; nothing after it is read"
                                : String.format(Locale.ROOT, "; going on at offset %,d", resume)));
                if (resume < 0) {
                    return;
                }
                start = resume;
            }
        }
    }

    /** A record that could not be read. */
    private record Bad(long offset, String reason, boolean gzip) {}

    /** A capture read whose length is known once the next record starts. */
    private record Pending(WarcRecord record, long offset) {}

    /**
     * Reads records from {@code start} to the end or to the first bad one, which it returns
     * (null at a clean end).
     */
    private @Nullable Bad run(FileChannel ch, long start, String name, Sink sink)
            throws IOException, ArchiveException {
        ch.position(start);
        WarcReader reader;
        try {
            reader = new WarcReader(ch);
        } catch (IOException | RuntimeException e) {
            return new Bad(start, reason(e), false);
        }
        boolean gzip = reader.compression() == WarcCompression.GZIP;
        Pending pending = null;
        long offset = start;
        boolean any = false;
        while (true) {
            Optional<WarcRecord> next;
            try {
                next = reader.next();
            } catch (IOException | RuntimeException e) {
                // The record after the last good one: where it starts, if a gzip member or a
                // WARC line starts there, else just after the last good record.
                long at = any ? nextRecordStart(ch, offset + 1, gzip) : start;
                if (pending != null && at > offset) {
                    emit(pending, length(ch, gzip, offset, at), name, sink);
                }
                return new Bad(at < 0 ? offset : at, reason(e), gzip);
            }
            long at = next.isPresent() ? reader.position() : ch.size();
            if (pending != null) {
                emit(pending, length(ch, gzip, pending.offset, at), name, sink);
                pending = null;
            }
            if (next.isEmpty()) {
                return null;
            }
            WarcRecord record = next.get();
            records.increment();
            any = true;
            offset = at;
            try {
                boolean indexed = indexed(record);
                if (indexed) {
                    // Parse the HTTP header now, while the body is at its start.
                    http(record);
                }
                record.body().consume();
                if (indexed) {
                    pending = new Pending(record, at);
                }
            } catch (IOException | RuntimeException e) {
                return new Bad(at, reason(e), gzip);
            }
        }
    }

    private void emit(Pending p, long length, String name, Sink sink)
            throws IOException, ArchiveException {
        try {
            Capture c = capture(p.record, p.offset, length, name);
            if (c != null) {
                sink.accept(c);
                captures.increment();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IOException io
                    && !(e instanceof org.netpreserve.jwarc.ParsingException)) {
                throw io; // the sink's own failure, not the record's
            }
            String where = String.format(Locale.ROOT, "record at offset %,d", p.offset);
            if (!skipBad) {
                throw new ArchiveException(name, where, reason(e));
            }
            skipped.increment();
            warnings.accept(name + ": " + where + ": " + reason(e));
        }
    }

    /**
     * A record's length from its offset to the next record's: in an uncompressed file less the
     * blank line that ends it ({@code CR LF CR LF}), as warcio counts it.
     */
    private static long length(FileChannel ch, boolean gzip, long offset, long next)
            throws IOException {
        long n = next - offset;
        if (!gzip && n >= 4) {
            ByteBuffer tail = ByteBuffer.allocate(4);
            ch.read(tail, next - 4);
            if (tail.position() == 4
                    && tail.get(0) == '\r'
                    && tail.get(1) == '\n'
                    && tail.get(2) == '\r'
                    && tail.get(3) == '\n') {
                n -= 4;
            }
        }
        return n;
    }

    /** warcio's choice of records. */
    private static boolean indexed(WarcRecord r) {
        String type = r.type();
        if (type.equals("request") || type.equals("warcinfo")) {
            return false;
        }
        if (type.equals("metadata") || type.equals("resource")) {
            String ct = r.headers().first("Content-Type").orElse("");
            return !ct.strip().toLowerCase(Locale.ROOT).startsWith("application/warc-fields");
        }
        return true;
    }

    /** The HTTP header of a response or revisit that holds one, or null. */
    private static org.netpreserve.jwarc.@Nullable HttpResponse http(WarcRecord r)
            throws IOException {
        String ct = r.headers().first("Content-Type").orElse("");
        if (!ct.toLowerCase(Locale.ROOT).startsWith("application/http")) {
            return null;
        }
        if (r instanceof WarcResponse resp) {
            return resp.http();
        }
        if (r instanceof WarcRevisit rev) {
            return rev.http();
        }
        return null;
    }

    private static @Nullable Capture capture(WarcRecord r, long offset, long length, String file)
            throws IOException {
        String url = r.headers().first("WARC-Target-URI").orElse("").strip();
        if (url.startsWith("<") && url.endsWith(">")) {
            url = url.substring(1, url.length() - 1); // WARC 1.0 as wget writes it
        }
        if (url.isEmpty()) {
            return null;
        }
        Instant date = r.date();
        int year = date.atZone(ZoneOffset.UTC).getYear();
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("the date " + date + " is out of range");
        }
        String type = r.type();
        String mime;
        String status = null;
        org.netpreserve.jwarc.HttpResponse http = http(r);
        if (http != null) {
            status = Integer.toString(http.status());
        }
        if (type.equals("revisit")) {
            mime = "warc/revisit";
        } else if (type.equals("response")) {
            mime = http == null
                    ? null
                    : http.headers()
                            .first("Content-Type")
                            .map(v -> v.split(";", 2)[0].strip())
                            .orElse(null);
        } else {
            mime = r.headers().first("Content-Type").orElse(null);
        }
        // The CDXJ digest as warcio writes it: the payload digest without its algorithm.
        String payload = r.headers().first("WARC-Payload-Digest").orElse(null);
        String digest = null;
        if (payload != null) {
            int colon = payload.indexOf(':');
            digest = colon < 0 ? null : payload.substring(colon + 1);
        }
        StringWriter json = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("url", url);
            if (mime != null) {
                g.writeStringField("mime", mime);
            }
            if (status != null) {
                g.writeStringField("status", status);
            }
            if (digest != null) {
                g.writeStringField("digest", digest);
            }
            g.writeStringField("length", Long.toString(length));
            g.writeStringField("offset", Long.toString(offset));
            g.writeStringField("filename", file);
            g.writeEndObject();
        }
        return new Capture(
                Surt.of(url),
                TIMESTAMP.format(date),
                json.toString(),
                url,
                // The capture's digest is the one its CDXJ line gives, as CdxjReader reads it,
                // so that an index made from the WARC and one made from its CDXJ agree (found by
                // fuzzing: a digest of another algorithm than SHA-1 was kept whole here, and
                // was lost or read as a SHA-1 from the CDXJ line).
                Capture.digestAttribute(digest));
    }

    /**
     * The offset of the first record start at or after {@code from}: a gzip member header
     * ({@code 1f 8b 08}) in a gzipped file, else {@code WARC/1.} at the start of a line; -1 when
     * there is none.
     */
    static long nextRecordStart(FileChannel ch, long from, boolean gzip) throws IOException {
        byte[] magic = gzip
                ? new byte[] {0x1f, (byte) 0x8b, 0x08}
                : "\nWARC/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long base = gzip ? from : from - 1;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = Math.max(0, base);
        int matched = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == magic[matched]) {
                    matched++;
                    if (matched == magic.length) {
                        long end = pos + i + 1;
                        return gzip ? end - magic.length : end - magic.length + 1;
                    }
                } else {
                    matched = b == magic[0] ? 1 : 0;
                }
            }
            pos += n;
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        String kind = e instanceof java.io.EOFException
                ? "truncated"
                : e instanceof java.util.zip.ZipException ? "bad gzip data" : "cannot be read";
        return m == null || m.isBlank()
                ? kind + " (" + e.getClass().getSimpleName() + ")"
                : kind + ": " + m.strip().replace('\n', ' ');
    }
}
