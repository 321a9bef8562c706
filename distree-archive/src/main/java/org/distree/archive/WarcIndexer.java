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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.distree.archive.internal.JsStrings;
import org.distree.archive.internal.RecordStarts;
import org.distree.archive.internal.RequestRecord;
import org.distree.archive.internal.WarcHeader;
import org.distree.archive.internal.WarcRecordReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads WARC and ARC files, gzipped (one member a record) or not, with {@link WarcRecordReader},
 * and makes one {@link Capture} per capture record (of an ARC file, every record but the {@code
 * filedesc://} block, given by the reader as a WARC response or resource with its payload's
 * SHA-1: docs/ARCHIVE.md, "Reading ARC files"), with the fields and record choice of {@code warcio cdx-index}
 * (2.4.11): every record but {@code request}, {@code warcinfo}, and {@code metadata} or {@code
 * resource} records of type {@code application/warc-fields}; records without a target URI are
 * passed over too.
 *
 * <pre>
 * WARC ─► WarcRecordReader ─► header of the record at offset O (block skipped; length: next O - O)
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
 * next record start after it (the next gzip member header, or the next {@code WARC/} line or
 * ARC header line).
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

    /** Takes what {@link #indexAll} made of each capture, one call at a time. */
    @FunctionalInterface
    public interface Into<T> {
        void accept(T made) throws IOException, ArchiveException;
    }

    /** As {@link #indexAll(List, int, Function, Into, FileDone)}, the captures as they are. */
    public void indexAll(List<Path> files, int threads, Sink sink, FileDone done)
            throws IOException, ArchiveException, InterruptedException {
        indexAll(files, threads, c -> c, sink::accept, done);
    }

    /**
     * Indexes WARC or ARC files into {@code sink}, up to {@code threads} files at a time, each file read
     * by one thread from start to end (reading, inflating and parsing a file is most of the
     * work). Each capture is first given to {@code make} off the sink's lock (so that the work per
     * capture, its SURT, JSON block, entry, hash and checks, is done by several threads at once);
     * what it makes goes to the sink, one call at a time, in each file's order. Threads that are
     * not reading a file (more threads than files: one file on two cores, say) make captures for
     * the readers, which hand each record over once read and take the results back in order, so
     * warnings, bad records and the sink see a file exactly as one thread reading it alone
     * would. An {@link IllegalArgumentException} from either makes the record a bad one. {@code
     * done} is called with each file once it is read. The first failure (a bad record without
     * skipBad, or the sink's) stops the other files and is thrown; with several bad files, which
     * one is named depends on which is read first. The warning consumer is called from the
     * reading threads.
     *
     * @param threads at most this many threads in all; 1 reads the files in order on this thread
     * @throws IllegalArgumentException when threads is below 1
     */
    public <T> void indexAll(
            List<Path> files, int threads, Function<Capture, T> make, Into<T> sink, FileDone done)
            throws IOException, ArchiveException, InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " is below 1");
        }
        int readers = Math.min(threads, Math.max(1, files.size()));
        int helpers = threads - readers;
        ExecutorService helping = helpers == 0
                ? null
                : Executors.newFixedThreadPool(helpers, r -> {
                    Thread t = new Thread(r, "distree-warc-maker");
                    t.setDaemon(true);
                    return t;
                });
        try {
            if (readers == 1) {
                for (Path f : files) {
                    index(f, emitter(helping, make, sink));
                    done.read(f);
                }
                return;
            }
            Object lock = new Object();
            Into<T> serial = made -> {
                synchronized (lock) {
                    sink.accept(made);
                }
            };
            readAll(files, readers, () -> emitter(helping, make, serial), lock, done);
        } finally {
            if (helping != null) {
                helping.shutdownNow();
            }
        }
    }

    /** The files, {@code readers} at a time, each on a thread of its own. */
    private void readAll(
            List<Path> files, int readers, Supplier<Emitter> emitters, Object lock, FileDone done)
            throws IOException, ArchiveException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
            Thread t = new Thread(r, "distree-warc-reader");
            t.setDaemon(true);
            return t;
        });
        List<Future<Path>> started = new ArrayList<>();
        try {
            ExecutorCompletionService<Path> each = new ExecutorCompletionService<>(pool);
            for (Path f : files) {
                started.add(each.submit(() -> {
                    index(f, emitters.get());
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

    /** A reader's emitter: captures made on its own thread, or handed to {@code helping}. */
    private <T> Emitter emitter(
            @Nullable ExecutorService helping, Function<Capture, T> make, Into<T> sink) {
        return helping == null ? inline(make, sink) : new Handed<>(helping, make, sink);
    }

    /** Told of each file once it is read (one call at a time). */
    @FunctionalInterface
    public interface FileDone {
        void read(Path file) throws IOException;
    }

    /** Indexes one WARC or ARC file into {@code sink}, on this thread. */
    public void index(Path file, Sink sink) throws IOException, ArchiveException {
        index(file, inline(c -> c, sink::accept));
    }

    private void index(Path file, Emitter out) throws IOException, ArchiveException {
        String name = String.valueOf(file.getFileName());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = 0;
            int arc = 0; // the ARC version, once a bad record of an ARC file is passed over
            while (start < size) {
                Bad bad;
                try {
                    bad = run(ch, start, arc, name, out);
                    out.finish(); // the captures before a bad record, in order, first
                } catch (IOException | ArchiveException | RuntimeException e) {
                    out.cancelPending();
                    throw e;
                }
                if (bad == null) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    // indexAll stopped this thread: what failed was the interrupted read.
                    throw new InterruptedIOException(name + ": stopped");
                }
                arc = bad.arc;
                long resume = RecordStarts.nextRecordStart(ch, bad.offset + 1, bad.gzip, bad.arc);
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
    private record Bad(long offset, String reason, boolean gzip, int arc) {}

    /**
     * Reads records from {@code start} to the end or to the first bad one, which it returns
     * (null at a clean end). Records are paired with their requests as warcio pairs them ({@link
     * RequestPairing}); a capture is made once the next record's start is known: its length runs
     * to there. A bad record ends the pairing: the record held before it is let go unpaired.
     */
    private @Nullable Bad run(FileChannel ch, long start, int arc, String name, Emitter out)
            throws IOException, ArchiveException {
        try (WarcRecordReader reader = new WarcRecordReader(ch, start, arc)) {
            boolean gzip = reader.gzip();
            RequestPairing pairing = new RequestPairing();
            // A record paired with the request before it, whose length is known at the next one.
            RequestPairing.Pair awaiting = null;
            while (true) {
                WarcHeader next;
                try {
                    next = reader.next();
                } catch (IOException | RuntimeException e) {
                    long at = reader.recordOffset();
                    flush(awaiting, pairing.end(), at, ch, gzip, name, out);
                    return new Bad(at, reason(e), gzip, reader.arc() ? reader.arcVersion() : 0);
                }
                long at = next != null ? next.offset() : ch.size();
                if (awaiting != null) {
                    out.emit(awaiting, length(ch, gzip, awaiting.record(), at), name);
                    awaiting = null;
                }
                if (next == null) {
                    flush(null, pairing.end(), at, ch, gzip, name, out);
                    return null;
                }
                records.increment();
                RequestRecord request = null;
                try {
                    if (next.type().equals("request")) {
                        request = RequestRecord.parse(
                                reader.readBlock(RequestRecord.MAX_BLOCK), next.contentLength());
                    }
                    reader.skipBlock();
                } catch (IOException | RuntimeException e) {
                    flush(null, pairing.end(), at, ch, gzip, name, out);
                    return new Bad(
                            next.offset(), reason(e), gzip, reader.arc() ? reader.arcVersion() : 0);
                }
                RequestPairing.Pair decided = pairing.next(next, request);
                if (decided == null) {
                    continue;
                }
                if (decided.record().offset() == next.offset()) {
                    awaiting = decided;
                } else {
                    out.emit(decided, length(ch, gzip, decided.record(), at), name);
                }
            }
        }
    }

    /** Before a bad record or at the end: the captures still held, their lengths running to at. */
    private void flush(
            RequestPairing.@Nullable Pair awaiting,
            RequestPairing.@Nullable Pair held,
            long at,
            FileChannel ch,
            boolean gzip,
            String name,
            Emitter out)
            throws IOException, ArchiveException {
        for (RequestPairing.Pair p : new RequestPairing.Pair[] {awaiting, held}) {
            if (p != null && at > p.record().offset()) {
                out.emit(p, length(ch, gzip, p.record(), at), name);
            }
        }
    }

    /**
     * The capture of record {@code p} read, or null when it is not one that warcio indexes (or
     * has no target URI). Touches nothing shared: helpers call it.
     *
     * @throws RuntimeException when the record is bad (a date, a URL, a request body, a CDXJ
     *     line {@code build --format cdxj} would refuse)
     */
    private static @Nullable Capture captureOf(RequestPairing.Pair p, long length, String name) {
        WarcHeader h = p.record();
        if (!indexed(h)) {
            return null;
        }
        Capture c = capture(h, length, name, p.request());
        if (c != null) {
            // A line build --format cdxj would refuse (a long POST body's key and fields).
            CdxjReader.requireLength(c.line());
        }
        return c;
    }

    /**
     * A bad capture: the record's refusal (a date, a URL, a request body) or the sink's refusal
     * of its entry, thrown, or with skipBad counted and reported. (The sink's own failures are
     * IOExceptions and go up.)
     */
    private void bad(long offset, String name, RuntimeException e) throws ArchiveException {
        String where = String.format(Locale.ROOT, "record at offset %,d", offset);
        if (!skipBad) {
            throw new ArchiveException(name, where, reason(e));
        }
        skipped.increment();
        warnings.accept(name + ": " + where + ": " + reason(e));
    }

    /**
     * Where a file's reader hands each record it has read (with its length) to be made into a
     * capture and given to the sink, in the file's order.
     */
    private interface Emitter {
        void emit(RequestPairing.Pair p, long length, String name)
                throws IOException, ArchiveException;

        /** Gives the sink what was handed over and is still pending, in order. */
        default void finish() throws IOException, ArchiveException {}

        /** Drops what is still pending: the file's reading failed. */
        default void cancelPending() {}
    }

    /** Makes and gives each capture on the reader's own thread. */
    private <T> Emitter inline(Function<Capture, T> make, Into<T> sink) {
        return (p, length, name) -> {
            try {
                Capture c = captureOf(p, length, name);
                if (c != null) {
                    sink.accept(make.apply(c));
                    captures.increment();
                }
            } catch (RuntimeException e) {
                bad(p.record().offset(), name, e);
            }
        };
    }

    /**
     * Hands each record to helper threads, which make its capture and what {@code make} makes of
     * it; the reader takes the results back in the file's order (at most {@link #IN_FLIGHT}
     * records and {@link #IN_FLIGHT_BODY_BYTES} of request bodies ahead), and gives them to the sink or reports them bad, as {@link #inline} would. When the
     * oldest is not taken yet by a helper, the reader makes it itself rather than wait.
     */
    private final class Handed<T> implements Emitter {
        private final ExecutorService helpers;
        private final Function<Capture, T> make;
        private final Into<T> sink;
        private final ArrayDeque<Job<T>> pending = new ArrayDeque<>();
        // The bytes of the request bodies the pending records hold (up to a MiB each).
        private long bodies;

        Handed(ExecutorService helpers, Function<Capture, T> make, Into<T> sink) {
            this.helpers = helpers;
            this.make = make;
            this.sink = sink;
        }

        @Override
        public void emit(RequestPairing.Pair p, long length, String name)
                throws IOException, ArchiveException {
            if (!indexed(p.record())) {
                return; // most records are not (the requests): no handing over for them
            }
            FutureTask<@Nullable T> task = new FutureTask<>(() -> {
                Capture c = captureOf(p, length, name);
                return c == null ? null : make.apply(c);
            });
            RequestRecord request = p.request();
            int body = request == null ? 0 : request.body().length;
            pending.add(new Job<>(p.record().offset(), name, body, task));
            bodies += body;
            helpers.execute(task);
            while (pending.size() > IN_FLIGHT || bodies > IN_FLIGHT_BODY_BYTES) {
                takeOldest();
            }
        }

        @Override
        public void finish() throws IOException, ArchiveException {
            while (!pending.isEmpty()) {
                takeOldest();
            }
        }

        @Override
        public void cancelPending() {
            for (Job<T> j : pending) {
                j.task.cancel(false);
            }
            pending.clear();
            bodies = 0;
        }

        private void takeOldest() throws IOException, ArchiveException {
            Job<T> j = pending.remove();
            bodies -= j.body;
            j.task.run(); // made here when no helper has started it (else this does nothing)
            T made;
            try {
                made = j.task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    bad(j.offset, j.name, r);
                    return;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(j.name + ": stopped");
            }
            if (made == null) {
                return;
            }
            try {
                sink.accept(made);
                captures.increment();
            } catch (RuntimeException e) {
                bad(j.offset, j.name, e);
            }
        }
    }

    /** A record handed to helpers: where it is, its request's body bytes, its capture being made. */
    private record Job<T>(long offset, String name, int body, FutureTask<@Nullable T> task) {}

    /** Records a reader hands to helpers before it takes the oldest result back. */
    private static final int IN_FLIGHT = 256;

    /**
     * The most bytes of request bodies (POST captures; {@link RequestRecord#MAX_BLOCK} each at
     * most) a reader's pending records may hold: 8 MiB.
     */
    private static final long IN_FLIGHT_BODY_BYTES = 8L << 20;

    /**
     * A record's length from its offset to the next record's: in an uncompressed file less the
     * blank line that ends it ({@code CR LF CR LF}), as warcio counts it; an uncompressed ARC
     * record's is its header line and block, without the newline after it.
     */
    private static long length(FileChannel ch, boolean gzip, WarcHeader h, long next)
            throws IOException {
        long offset = h.offset();
        if (h.end() >= 0) {
            return h.end() - offset;
        }
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
    private static boolean indexed(WarcHeader h) {
        String type = h.type();
        if (type.equals("request") || type.equals("warcinfo")) {
            return false;
        }
        if (type.equals("metadata") || type.equals("resource")) {
            String ct = h.contentType() == null ? "" : h.contentType();
            return !ct.strip().toLowerCase(Locale.ROOT).startsWith("application/warc-fields");
        }
        return true;
    }

    private static @Nullable Capture capture(
            WarcHeader h, long length, String file, @Nullable RequestRecord request) {
        String url = RequestPairing.uri(h); // without the <> of WARC 1.0 as wget writes it
        if (url == null || url.isEmpty()) {
            return null;
        }
        String timestamp = timestamp(h.date());
        String type = h.type();
        String mime;
        String status = null;
        WarcHeader.Http http = h.http();
        if (http != null) {
            status = Integer.toString(http.status());
        }
        if (type.equals("revisit")) {
            mime = "warc/revisit";
        } else if (type.equals("response")) {
            String ct = http == null ? null : http.contentType();
            mime = ct == null ? null : ct.split(";", 2)[0].strip();
        } else {
            mime = h.contentType();
        }
        // The CDXJ digest as warcio writes it: the payload digest without its algorithm.
        String payload = h.payloadDigest();
        String digest = null;
        if (payload != null) {
            int colon = payload.indexOf(':');
            digest = colon < 0 ? null : payload.substring(colon + 1);
        }
        RequestQuery.Result post = request == null ? null : RequestQuery.of(url, request);
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
            g.writeStringField("offset", Long.toString(h.offset()));
            g.writeStringField("filename", file);
            // The request's fields with JSON.stringify's escapes (lowercase hex; a surrogate
            // that the cap cut off its pair escaped), as warcio writes them.
            if (post != null && post.method() != null) {
                g.writeFieldName("method");
                g.writeRawValue(JsStrings.jsonString(post.method()));
            }
            if (post != null && post.requestBody() != null) {
                g.writeFieldName("requestBody");
                g.writeRawValue(JsStrings.jsonString(post.requestBody()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return new Capture(
                Surt.of(post == null ? url : post.url()),
                timestamp,
                json.toString(),
                url,
                // The capture's digest is the one its CDXJ line gives, as CdxjReader reads it,
                // so that an index made from the WARC and one made from its CDXJ agree (found by
                // fuzzing: a digest of another algorithm than SHA-1 was kept whole here, and
                // was lost or read as a SHA-1 from the CDXJ line).
                Capture.digestAttribute(digest));
    }

    /**
     * The 14-digit UTC timestamp of a WARC-Date: {@code YYYY-MM-DDThh:mm:ssZ} read directly, any
     * other form (fractions of a second, WARC 1.1) through {@link Instant#parse}.
     *
     * @throws IllegalArgumentException when there is no date, it does not parse, or its year is
     *     outside 1000 to 9999
     */
    static String timestamp(@Nullable String date) {
        if (date == null) {
            throw new IllegalArgumentException("the record has no WARC-Date");
        }
        java.time.LocalDateTime t = org.distree.model.UtcTimes.canonical(date);
        if (t != null && t.getYear() >= 1000) {
            return new StringBuilder(14)
                    .append(date, 0, 4)
                    .append(date, 5, 7)
                    .append(date, 8, 10)
                    .append(date, 11, 13)
                    .append(date, 14, 16)
                    .append(date, 17, 19)
                    .toString();
        }
        Instant instant;
        try {
            instant = Instant.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("the date " + date + " does not parse", e);
        }
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("the date " + instant + " is out of range");
        }
        return TIMESTAMP.format(instant);
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
