package org.distree.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * A tree's entry log: entries acknowledged as durable (the node daemon's {@code POST /entries})
 * that the tree may not hold yet; {@code LocalTree.open} applies what it holds before anything
 * else writes the tree. Files {@code .distree/entry-log/SEQ.log} (SEQ 16 hex digits), each a run
 * of {@link LogRecords} records, one per group of requests; appends go to the newest file.
 *
 * <pre>
 * append(entries)  newest file += record; force            &lt;- acknowledged from here
 * rotate()         a new newest file; the old ones hold exactly the entries taken to apply
 * delete(files)    once their entries are in the tree (its own transactions are durable)
 * open()           reads every file, oldest first: the entries a crash left unapplied
 * </pre>
 *
 * Not thread-safe: its writer (the daemon's {@code EntryWriter}) calls it under its lock. A record that fails to append
 * is never acknowledged; the log then goes on in a new file, so that nothing acknowledged later
 * sits behind a damaged record.
 */
public final class EntryLog implements Closeable {
    /** The folder of the log, under the tree's {@code .distree/}. */
    public static final String DIR = "entry-log";

    private static final int MAGIC = 0x44454c31; // "DEL1"
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})\\.log");

    /** The longest string a record may hold: 1 MiB (entries' fields are far below it). */
    private static final int MAX_STRING_BYTES = 1 << 20;

    private final Path treeDir;
    private final Path dir;
    private final boolean durable;
    private final List<Entry> recovered;
    private final List<Path> recoveredFiles;
    private long seq;
    private Path current;
    private java.nio.channels.FileChannel channel;

    private EntryLog(
            Path treeDir,
            Path dir,
            boolean durable,
            List<Entry> recovered,
            List<Path> recoveredFiles,
            long seq)
            throws IOException {
        this.treeDir = treeDir;
        this.dir = dir;
        this.durable = durable;
        this.recovered = recovered;
        this.recoveredFiles = recoveredFiles;
        this.seq = seq;
        this.current = dir.resolve(name(seq));
        this.channel = openNew(current);
    }

    /** True when the tree in {@code treeDir} has an entry log folder (a daemon wrote there). */
    public static boolean exists(Path treeDir) {
        return Files.isDirectory(treeDir.resolve(".distree").resolve(DIR));
    }

    /**
     * Opens the log of the tree in {@code treeDir}, reading the entries its files hold (left by
     * a daemon that stopped before it applied them), and starts a new file for appends.
     *
     * @param durable false only in tests: appends are not forced
     * @throws IOException if a file cannot be read, or holds a damaged record before whole ones
     */
    public static EntryLog open(Path treeDir, boolean durable) throws IOException {
        Path journal = treeDir.resolve(".distree");
        Path dir = journal.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (durable) {
                Durability.force(journal);
            }
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Long.parseUnsignedLong(m.group(1), 16), p);
                }
            }
        }
        List<Entry> recovered = new ArrayList<>();
        for (Path p : files.values()) {
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(p, StandardOpenOption.READ)) {
                LogRecords.replay(
                        ch, MAGIC, "the entry log " + p, body -> recovered.addAll(decode(body, p)));
            }
        }
        long next = files.isEmpty() ? 1 : files.lastKey() + 1;
        return new EntryLog(
                treeDir, dir, durable, recovered, new ArrayList<>(files.values()), next);
    }

    /** The entries found at open, oldest first (empty after a clean stop). */
    public List<Entry> recovered() {
        return recovered;
    }

    /** The files that held {@link #recovered}: to delete once those entries are applied. */
    public List<Path> recoveredFiles() {
        return List.copyOf(recoveredFiles);
    }

    /** The file appends go to. */
    public Path current() {
        return current;
    }

    /**
     * Appends the entries as one record and forces it: they are durable when this returns. On a
     * failure nothing of them is acknowledged and later appends go to a new file.
     */
    public void append(List<Entry> entries) throws IOException {
        byte[] body = encode(entries);
        long at = channel.size();
        try {
            LogRecords.append(channel, at, MAGIC, body, body.length, durable);
        } catch (IOException e) {
            try {
                rotate();
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw NodeStore.writeFailure(treeDir, e);
        }
    }

    /**
     * Starts a new file for appends and returns the one before it, which no append touches again.
     */
    public Path rotate() throws IOException {
        Path old = current;
        Path next = dir.resolve(name(seq + 1));
        java.nio.channels.FileChannel ch = openNew(next);
        channel.close();
        seq++;
        current = next;
        channel = ch;
        return old;
    }

    /** Deletes files whose entries the tree holds durably. */
    public static void delete(List<Path> files) throws IOException {
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
    }

    /** Closes the newest file, and deletes it when it holds nothing. */
    @Override
    public void close() throws IOException {
        boolean empty = channel.size() == 0;
        channel.close();
        if (empty) {
            Files.deleteIfExists(current);
        }
    }

    private java.nio.channels.FileChannel openNew(Path p) throws IOException {
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                p,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (durable) {
            // The new name must outlive a crash before anything in it is acknowledged.
            Durability.force(dir);
        }
        return ch;
    }

    private static String name(long seq) {
        return String.format(java.util.Locale.ROOT, "%016x.log", seq);
    }

    /** A record's body: the count, then each entry's key and target. */
    static byte[] encode(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 128 * entries.size());
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.size());
        for (Entry e : entries) {
            Entry.Target t = e.target();
            writeString(out, e.key());
            writeString(out, t.link());
            writeString(out, t.title());
            writeString(out, t.comment());
            out.writeBoolean(t.digest() != null);
            if (t.digest() != null) {
                writeString(out, t.digest());
            }
            out.writeInt(t.extra().size());
            for (Map.Entry<String, String> x : t.extra().entrySet()) {
                writeString(out, x.getKey());
                writeString(out, x.getValue());
            }
            out.writeBoolean(t.record());
            out.writeInt(t.score());
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * The entries of a record whose checksum matched.
     *
     * @throws IOException naming the file when the record does not decode (a log written by
     *     another version, or damage the checksum missed)
     */
    static List<Entry> decode(byte[] body, Path file) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        try {
            int n = in.readInt();
            if (n < 0 || n > body.length) {
                throw new IOException("count " + n);
            }
            List<Entry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String key = readString(in);
                String link = readString(in);
                String title = readString(in);
                String comment = readString(in);
                @Nullable String digest = in.readBoolean() ? readString(in) : null;
                int extras = in.readInt();
                if (extras < 0 || extras > body.length) {
                    throw new IOException("attribute count " + extras);
                }
                Map<String, String> extra = new LinkedHashMap<>();
                for (int x = 0; x < extras; x++) {
                    extra.put(readString(in), readString(in));
                }
                boolean record = in.readBoolean();
                int score = in.readInt();
                Entry.Target target =
                        new Entry.Target(link, title, comment, digest, extra, record, score);
                out.add(new Entry(key, Entry.requireLeafSized(target)));
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the last entry");
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(
                    "the entry log " + file + " holds a record that does not read" + " as entries ("
                            + e.getMessage() + "); it was kept as it is",
                    e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING_BYTES || n > in.available()) {
            throw new IOException("a string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
