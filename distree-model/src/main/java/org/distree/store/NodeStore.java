package org.distree.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.html.NodeWriter;
import org.distree.model.NodeFile;
import org.jspecify.annotations.Nullable;

/**
 * A tree's files on disk: node files under {@code n/}, the entry page {@code index.html} that
 * points at the root, and a private {@code .distree/} folder for the lock and the write-ahead
 * log.
 *
 * <p>One writer at a time: opening takes an exclusive lock on {@code .distree/lock}, and a
 * second open fails at once with a clear message. Every change is one transaction: its files are
 * appended to the log as one checksummed record ({@link LogRecords}) and the log is forced to disk (the commit point:
 * one fsync per transaction, however many files it holds). Then each file is written to a
 * temporary name and renamed into place before commit returns, so a reader of the folder sees the
 * old file or the new one, never half of one. The renamed files are forced to disk together at a checkpoint (every {@value
 * #CHECKPOINT_BYTES} bytes of log, and on close), after which the log is emptied. After a crash,
 * opening the store replays every whole record in the log and drops a torn last one, so an
 * acknowledged change is never lost and an unacknowledged one is never half applied. Node names
 * are stable: a name is never reused for another node while the store lives.
 *
 * <pre>
 * commit(writes, deletes)
 *   .distree/wal  += [length, crc32c, manifest, file bytes…]; force    &lt;- durable from here
 *   for each file: write name.tmp, rename to name (not forced yet)
 * checkpoint: force the written files and their folders, then empty the log
 * </pre>
 */
public final class NodeStore implements Closeable {
    /** The entry page that points at the root. */
    public static final String INDEX = "index.html";

    /** The folder that holds node files. */
    public static final String NODE_DIR = "n";

    /**
     * The folder that holds page records (format version 2), which record entries of the
     * tree's leaves link as {@code ../p/NAME.html}.
     */
    public static final String RECORD_DIR = "p";

    /**
     * The name of a page record, as a regular expression: 1 to 12 lowercase letters or digits (a
     * page number in base 36); its file is {@code p/NAME.html}.
     */
    public static final String RECORD_NAME = "[0-9a-z]{1,12}";

    private static final Pattern NODE_NAME = Pattern.compile("([0-9a-f]{1,16})\\.html");

    /** The log is checkpointed once it holds this many bytes: 64 MiB. */
    public static final int CHECKPOINT_BYTES = 64 << 20;

    private static final int RECORD_MAGIC = 0x44545231; // "DTR1"

    private final Path dir;
    private final Path journal;
    private final FileChannel wal;
    /** Files and folders renamed or deleted since the last checkpoint, to force then. */
    private final Set<Path> dirty = new LinkedHashSet<>();
    /** Why the log cannot take more records; once set, every later commit fails. */
    private volatile @Nullable IOException applyFailure;

    /**
     * A transaction in the log whose files could not all be put in place (a full disk, a folder
     * gone read-only): until they are, no other transaction commits and the log is not emptied.
     */
    private volatile @Nullable Unapplied unapplied;

    private record Unapplied(Map<String, byte[]> writes, Set<String> deletes, IOException cause) {}

    private final FileChannel lockChannel;
    private final FileLock lock;
    private long nextId;
    private final boolean durable;
    private final java.util.concurrent.atomic.AtomicLong commits =
            new java.util.concurrent.atomic.AtomicLong();

    private NodeStore(Path dir, FileChannel lockChannel, FileLock lock, boolean durable)
            throws IOException {
        this.dir = dir;
        this.journal = dir.resolve(".distree");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.durable = durable;
        Files.createDirectories(dir.resolve(NODE_DIR));
        this.wal = FileChannel.open(
                journal.resolve("wal"),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        recover();
        this.nextId = scanNextId();
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, taking the writer's lock and finishing
     * or dropping a transaction a crash left behind.
     *
     * @throws IOException if the folder cannot be made, or another process holds the lock
     */
    public static NodeStore open(Path dir) throws IOException {
        return open(dir, true);
    }

    /**
     * Opens the store; with {@code durable} false, files are not forced to disk (for tests and
     * scratch trees only: a crash may then lose acknowledged changes).
     */
    public static NodeStore open(Path dir, boolean durable) throws IOException {
        Path meta = dir.resolve(".distree");
        FileChannel ch;
        try {
            Files.createDirectories(meta);
            ch = FileChannel.open(
                    meta.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw writeFailure(dir, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("the tree in " + dir + " is open by another writer");
        }
        try {
            return new NodeStore(dir, ch, lock, durable);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /**
     * The number of transactions that changed files since this store was opened. Two equal
     * readings mean that no file of the folder changed through this store in between (the
     * store holds the folder's writer lock, so nothing else writes it).
     */
    public long commits() {
        return commits.get();
    }

    /** The tree's folder. */
    public Path dir() {
        return dir;
    }

    /** The path of a file named relative to the tree's folder, such as {@code n/1a.html}. */
    public Path path(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir.normalize()) || name.startsWith(".distree") || name.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is outside the tree's folder");
        }
        return p;
    }

    /** True when a file of that name exists. */
    public boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    /**
     * Reads and parses a node file, as last committed (while a transaction commits, possibly as
     * just before it: each file is renamed into place whole).
     */
    public NodeFile read(String name) throws IOException, NodeFormatException {
        return NodeReader.read(path(name), name, NodeReader.DEFAULT_MAX_BYTES);
    }

    /** False when opened without forcing writes to disk (tests). */
    public boolean durable() {
        return durable;
    }

    /** A file's bytes, as last committed. */
    public byte[] readBytes(String name) throws IOException {
        return Files.readAllBytes(path(name));
    }

    /** The name of the root node's file, from the entry page, or null if there is no tree yet. */
    public @Nullable String rootName() throws IOException {
        if (!exists(INDEX)) {
            return null;
        }
        return IndexPage.rootHref(new String(readBytes(INDEX), StandardCharsets.UTF_8));
    }

    /** A new, never-used node file name such as {@code n/1b.html}. */
    public synchronized String newName() {
        return NODE_DIR + "/" + Long.toHexString(nextId++) + ".html";
    }

    /**
     * Starts a transaction. If an earlier one is in the log but not all in place (see {@link
     * Transaction#commit}), its files are put in place first, so that what the new one reads is
     * whole; if they still cannot be, the new one's commit fails.
     */
    public Transaction begin() {
        synchronized (this) {
            try {
                reapply();
            } catch (IOException e) {
                // Still unapplied: commit says why.
            }
        }
        return new Transaction();
    }

    /** Puts in place the files of a logged transaction that could not be; no-op if none. */
    private void reapply() throws IOException {
        Unapplied u = unapplied;
        if (u == null) {
            return;
        }
        apply(u.writes(), u.deletes());
        unapplied = null;
    }

    /** A set of writes and deletes that land together or not at all. */
    public final class Transaction {
        private final Map<String, byte[]> writes = new LinkedHashMap<>();
        private final Set<String> deletes = new LinkedHashSet<>();

        private Transaction() {}

        /** Writes a node file. */
        public Transaction put(String name, NodeFile file) {
            return putBytes(name, NodeWriter.write(file));
        }

        /** Writes any file of the tree, such as the entry page. */
        public Transaction putBytes(String name, byte[] bytes) {
            path(name);
            deletes.remove(name);
            writes.put(name, bytes);
            return this;
        }

        /** Deletes a file. */
        public Transaction delete(String name) {
            path(name);
            writes.remove(name);
            deletes.add(name);
            return this;
        }

        /** True when nothing was put or deleted. */
        public boolean isEmpty() {
            return writes.isEmpty() && deletes.isEmpty();
        }

        /**
         * Makes every write and delete durable, all together; returns once they are.
         *
         * <p>On a full disk or a read-only folder it fails with an {@link IOException} of one
         * line that names the tree's folder and says so ("no space left on device", "the file
         * system is read-only"), and nothing is changed: a log record cut short is cut from the
         * log (on a full disk the log, which is what fills it between checkpoints, is emptied
         * first and the record tried once more), and so is a whole one if a file cannot be
         * written beside its place (all are, before any is renamed). Only if a rename or a
         * delete fails is the transaction durable with some of its files not in place: then no
         * later transaction commits until they are (tried again at each {@link #begin}), the
         * log is not emptied, and reopening the store replays it.
         */
        public void commit() throws IOException {
            if (isEmpty()) {
                return;
            }
            synchronized (NodeStore.this) {
                // Sized exactly (names are ASCII), and written from its own array: a large
                // transaction's bytes are held once more, not three times.
                long size = 8;
                for (Map.Entry<String, byte[]> w : writes.entrySet()) {
                    size += 2 + w.getKey().length() + 4 + w.getValue().length;
                }
                for (String d : deletes) {
                    size += 2 + d.length();
                }
                Body body = new Body((int) Math.min(Integer.MAX_VALUE - 8, size));
                java.io.DataOutputStream out = new java.io.DataOutputStream(body);
                out.writeInt(writes.size());
                for (Map.Entry<String, byte[]> w : writes.entrySet()) {
                    out.writeUTF(w.getKey());
                    out.writeInt(w.getValue().length);
                    out.write(w.getValue());
                }
                out.writeInt(deletes.size());
                for (String d : deletes) {
                    out.writeUTF(d);
                }
                out.flush();
                IOException failed = applyFailure;
                if (failed != null) {
                    throw new IOException(
                            "cannot write files into " + dir + ": " + failed.getMessage(), failed);
                }
                Unapplied before = unapplied;
                if (before != null) {
                    throw new IOException(
                            "cannot write the tree in " + dir + ": " + reason(before.cause())
                                    + " (an earlier change is not all in place yet)",
                            before.cause());
                }
                long start;
                try {
                    start = appendRecord(body.array(), body.size());
                } catch (IOException e) {
                    start = appendAfterCheckpoint(e, body);
                }
                // Files go in place before commit returns, so readers of the folder (a static
                // server, a search) see every acknowledged change at once. All are written
                // before any is renamed: one that cannot be (a full disk) changes nothing.
                List<Path[]> staged;
                try {
                    staged = stage(writes);
                } catch (IOException e) {
                    dropRecord(start, e);
                    start = appendAfterCheckpoint(e, body);
                    try {
                        staged = stage(writes);
                    } catch (IOException again) {
                        dropRecord(start, again);
                        throw failure(again);
                    }
                }
                try {
                    install(staged, deletes);
                } catch (IOException e) {
                    // The log holds the transaction; the next begin, or reopening the store,
                    // puts it in place.
                    unapplied = new Unapplied(
                            new LinkedHashMap<>(writes), new LinkedHashSet<>(deletes), e);
                    throw failure(e);
                }
                commits.incrementAndGet();
                if (wal.size() >= CHECKPOINT_BYTES) {
                    checkpoint();
                }
            }
        }
    }

    /**
     * After a write of a transaction failed: when it failed for want of room and the log holds
     * records (between checkpoints it keeps a copy of every file written, each already in
     * place), empties the log and appends {@code body} once more, returning where it starts;
     * otherwise throws the failure as a user reads it.
     */
    private long appendAfterCheckpoint(IOException e, Body body) throws IOException {
        if (!noSpace(e) || wal.size() == 0 || applyFailure != null) {
            throw failure(e);
        }
        try {
            checkpoint();
            return appendRecord(body.array(), body.size());
        } catch (IOException again) {
            throw failure(again);
        }
    }

    /** A record's body, written in place: its array is not copied. */
    private static final class Body extends java.io.ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    /** Appends a record to the log and forces it; returns where it starts. */
    private long appendRecord(byte[] body, int length) throws IOException {
        long end = wal.size();
        try {
            LogRecords.append(wal, end, RECORD_MAGIC, body, length, durable);
        } catch (IOException e) {
            // A record cut short must not stay: the next would follow it, and recovery refuses a
            // log with a damaged record before whole ones. (Not acknowledged, so dropped.)
            dropRecord(end, e);
            throw e;
        }
        return end;
    }

    /** True when {@code e} is the operating system's "no space left on device" (ENOSPC). */
    private static boolean noSpace(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("No space left on device");
    }

    /**
     * The reason of an I/O failure as a user reads it: "no space left on device", "the file
     * system is read-only", or the exception's own message.
     */
    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (noSpace(e)) {
            return "no space left on device";
        }
        if (m.contains("Read-only file system")) {
            return "the file system is read-only";
        }
        return m;
    }

    /**
     * A failure to write as one line naming the tree's folder, for a full disk or a read-only
     * file system; any other failure as it is (its message names the file).
     */
    private IOException failure(IOException e) {
        return writeFailure(dir, e);
    }

    /**
     * A failure to write in the tree in {@code dir} as a user reads it: for a full disk or a
     * read-only file system, one line naming the folder and saying which; any other failure as
     * it is (its message names the file). Also used by writers of other files in the tree's
     * folder, such as the node daemon's entry log.
     */
    public static IOException writeFailure(Path dir, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (noSpace(e) || m.contains("Read-only file system")) {
            return new IOException("cannot write the tree in " + dir + ": " + reason(e), e);
        }
        return e;
    }

    /** Writes each file under a temporary name and renames it into place; deletes the rest. */
    private void apply(Map<String, byte[]> writes, Set<String> deletes) throws IOException {
        install(stage(writes), deletes);
    }

    /**
     * Writes each file under a temporary name beside its place. If one cannot be written (a full
     * disk, a read-only folder), those written are deleted and nothing has changed.
     *
     * @return pairs of temporary file and target, in order
     */
    private List<Path[]> stage(Map<String, byte[]> writes) throws IOException {
        List<Path[]> staged = new ArrayList<>(writes.size());
        // Folders made (or found) in this call: a transaction of thousands of files under n/
        // asks the file system once, not once a file.
        Set<Path> folders = new java.util.HashSet<>();
        try {
            for (Map.Entry<String, byte[]> w : writes.entrySet()) {
                Path target = path(w.getKey());
                Path folder = target.getParent();
                if (folders.add(folder)) {
                    Files.createDirectories(folder);
                }
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                staged.add(new Path[] {tmp, target});
                writeFile(tmp, w.getValue());
            }
        } catch (IOException e) {
            // Give the space back.
            for (Path[] s : staged) {
                try {
                    Files.deleteIfExists(s[0]);
                } catch (IOException t) {
                    e.addSuppressed(t);
                }
            }
            throw e;
        }
        return staged;
    }

    /** Renames staged files into place, then deletes the rest. */
    private void install(List<Path[]> staged, Set<String> deletes) throws IOException {
        for (Path[] s : staged) {
            move(s[0], s[1]);
            dirty.add(s[1]);
            dirty.add(s[1].getParent());
        }
        for (String d : deletes) {
            Path target = path(d);
            Files.deleteIfExists(target);
            dirty.add(target.getParent());
        }
    }

    /**
     * Cuts the log back to {@code end}, dropping a record whose commit failed before any of its
     * files moved; if that fails, no later transaction commits (the record is replayed on open,
     * and nothing may follow it that was made without it).
     */
    private void dropRecord(long end, IOException cause) {
        try {
            wal.truncate(end);
            if (durable) {
                wal.force(false);
            }
        } catch (IOException t) {
            cause.addSuppressed(t);
            applyFailure = cause;
        }
    }

    /**
     * Puts every committed file in place, forces them all to disk, then empties the log. Called
     * when the log grows past {@value #CHECKPOINT_BYTES} bytes and on close.
     */
    public synchronized void checkpoint() throws IOException {
        // The log may be emptied only once every transaction in it is in place.
        try {
            reapply();
        } catch (IOException e) {
            throw failure(e);
        }
        if (durable) {
            Durability.forceAll(dirty);
        }
        dirty.clear();
        wal.truncate(0);
        if (durable) {
            wal.force(true);
        }
    }

    /** Replays every whole record of the log, drops a torn tail, and checkpoints. */
    private void recover() throws IOException {
        LogRecords.replay(
                wal, RECORD_MAGIC, "the write-ahead log " + journal.resolve("wal"), this::replay);
        checkpoint();
        // Temporary files of a transaction cut off before its rename.
        for (String folder : new String[] {".", NODE_DIR, RECORD_DIR}) {
            if (!Files.isDirectory(dir.resolve(folder))) {
                continue;
            }
            try (DirectoryStream<Path> files =
                    Files.newDirectoryStream(dir.resolve(folder), "*.tmp")) {
                for (Path p : files) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void replay(byte[] record) throws IOException {
        java.io.DataInputStream in =
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(record));
        Map<String, byte[]> writes = new LinkedHashMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            writes.put(name, bytes);
        }
        Set<String> deletes = new LinkedHashSet<>();
        int d = in.readInt();
        for (int i = 0; i < d; i++) {
            deletes.add(in.readUTF());
        }
        apply(writes, deletes);
    }

    private long scanNextId() throws IOException {
        long max = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(NODE_DIR))) {
            for (Path p : files) {
                Matcher m = NODE_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Long.parseUnsignedLong(m.group(1), 16));
                }
            }
        }
        return max + 1;
    }

    /** Every node file name in the store, such as {@code n/1a.html}. */
    public List<String> nodeNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(NODE_DIR))) {
            for (Path p : files) {
                if (NODE_NAME.matcher(p.getFileName().toString()).matches()) {
                    names.add(NODE_DIR + "/" + p.getFileName());
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static void writeFile(Path p, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(
                p,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Checkpoints, then releases the lock. If a transaction's files are still not all in place
     * (see {@link Transaction#commit}), it fails and leaves the log as it is: the next open
     * replays it.
     */
    @Override
    public void close() throws IOException {
        try {
            synchronized (this) {
                try {
                    checkpoint();
                } finally {
                    wal.close();
                }
            }
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }
}
