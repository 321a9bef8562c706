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
import java.nio.file.NoSuchFileException;
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
 * points at the root, and a private {@code .distree/} folder for the lock and the journal.
 *
 * <p>One writer at a time: opening takes an exclusive lock on {@code .distree/lock}, and a
 * second open fails at once with a clear message. Every change is one transaction: the new files
 * are written into the journal and forced to disk, a manifest naming them is written and forced
 * (the commit point), then each file is renamed into place. After a crash, opening the store
 * finishes a committed transaction and drops an uncommitted one, so a reader never sees half a
 * change and an acknowledged change is never lost. Node names are stable: a name is never reused
 * for another node while the store lives.
 *
 * <pre>
 * commit(writes, deletes)
 *   journal/0.tmp … journal/k.tmp   written, forced
 *   journal/manifest                 written, forced      &lt;- durable from here
 *   rename each tmp into place; delete; force folders
 *   delete manifest
 * </pre>
 */
public final class NodeStore implements Closeable {
    /** The entry page that points at the root. */
    public static final String INDEX = "index.html";

    /** The folder that holds node files. */
    public static final String NODE_DIR = "n";

    private static final Pattern NODE_NAME = Pattern.compile("([0-9a-f]{1,16})\\.html");

    private final Path dir;
    private final Path journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long nextId;
    private final boolean durable;

    private NodeStore(Path dir, FileChannel lockChannel, FileLock lock, boolean durable)
            throws IOException {
        this.dir = dir;
        this.journal = dir.resolve(".distree").resolve("journal");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.durable = durable;
        Files.createDirectories(journal);
        Files.createDirectories(dir.resolve(NODE_DIR));
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
        Files.createDirectories(meta);
        FileChannel ch = FileChannel.open(meta.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
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

    /** The tree's folder. */
    public Path dir() {
        return dir;
    }

    /** The path of a file named relative to the tree's folder, such as {@code n/1a.html}. */
    public Path path(String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir.normalize()) || name.startsWith(".distree")) {
            throw new IllegalArgumentException("'" + name + "' is outside the tree's folder");
        }
        return p;
    }

    /** True when a file of that name exists. */
    public boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    /** Reads and parses a node file. */
    public NodeFile read(String name) throws IOException, NodeFormatException {
        return NodeReader.read(path(name), name, NodeReader.DEFAULT_MAX_BYTES);
    }

    /** The name of the root node's file, from the entry page, or null if there is no tree yet. */
    public @Nullable String rootName() throws IOException {
        Path index = path(INDEX);
        if (!Files.exists(index)) {
            return null;
        }
        return IndexPage.rootHref(Files.readString(index, StandardCharsets.UTF_8));
    }

    /** A new, never-used node file name such as {@code n/1b.html}. */
    public synchronized String newName() {
        return NODE_DIR + "/" + Long.toHexString(nextId++) + ".html";
    }

    /** Starts a transaction. */
    public Transaction begin() {
        return new Transaction();
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

        /** Makes every write and delete durable, all together; returns once they are. */
        public void commit() throws IOException {
            if (isEmpty()) {
                return;
            }
            StringBuilder manifest = new StringBuilder();
            int i = 0;
            for (Map.Entry<String, byte[]> w : writes.entrySet()) {
                String tmp = i++ + ".tmp";
                writeFile(journal.resolve(tmp), w.getValue());
                manifest.append("put ").append(tmp).append(' ').append(w.getKey()).append('\n');
            }
            for (String d : deletes) {
                manifest.append("delete ").append(d).append('\n');
            }
            Path m = journal.resolve("manifest");
            Path mTmp = journal.resolve("manifest.tmp");
            writeFile(mTmp, manifest.toString().getBytes(StandardCharsets.UTF_8));
            move(mTmp, m);
            forceDir(journal);
            apply(manifest.toString());
            Files.delete(m);
            forceDir(journal);
        }
    }

    private void apply(String manifest) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String line : manifest.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            if (parts[0].equals("put") && parts.length == 3) {
                Path target = path(parts[2]);
                Path tmp = journal.resolve(parts[1]);
                if (Files.exists(tmp)) {
                    Files.createDirectories(target.getParent());
                    move(tmp, target);
                }
                dirs.add(target.getParent());
            } else if (parts[0].equals("delete") && parts.length == 2) {
                Path target = path(parts[1]);
                Files.deleteIfExists(target);
                dirs.add(target.getParent());
            } else {
                throw new IOException("journal manifest line is damaged: " + line);
            }
        }
        for (Path d : dirs) {
            forceDir(d);
        }
    }

    private void recover() throws IOException {
        Path m = journal.resolve("manifest");
        if (Files.exists(m)) {
            apply(Files.readString(m, StandardCharsets.UTF_8));
            Files.delete(m);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journal)) {
            for (Path p : files) {
                Files.delete(p);
            }
        }
        forceDir(journal);
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

    private void writeFile(Path p, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (durable) {
                ch.force(true);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void forceDir(Path d) throws IOException {
        if (!durable) {
            return;
        }
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // Some file systems cannot force a folder; the renames are still atomic there.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
