package org.distree.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one place that forces many files to disk at once. On Linux, past {@value #SYNCFS_FROM}
 * files, one {@code sync --file-system} (syncfs) does it in a fraction of the time of forcing
 * each file; otherwise, or if that fails, the files are forced from {@value #THREADS} threads,
 * which lets the file system batch them into few journal commits.
 */
public final class Durability {
    /** From this many files on, a file-system sync is used where available. */
    static final int SYNCFS_FROM = 64;

    private static final int THREADS = 16;

    private Durability() {}

    /** Forces the files and folders given (and on syncfs, everything on their file system). */
    public static void forceAll(Collection<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            return;
        }
        if (paths.size() >= SYNCFS_FROM && syncFileSystem(paths.iterator().next())) {
            return;
        }
        if (paths.size() == 1) {
            force(paths.iterator().next());
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, paths.size()));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path p : paths) {
                done.add(pool.submit(() -> {
                    force(p);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forcing files to disk");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Forces one file or folder; a folder that cannot be forced (some file systems) is skipped. */
    public static void force(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some file systems cannot force a folder; renames there are still atomic.
            }
        } else if (Files.exists(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    private static boolean syncFileSystem(Path anyPath) {
        Path sync = Path.of("/bin/sync");
        if (!System.getProperty("os.name", "").startsWith("Linux") || !Files.isExecutable(sync)) {
            return false;
        }
        Path target =
                Files.isDirectory(anyPath) ? anyPath : anyPath.toAbsolutePath().getParent();
        if (target == null) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(sync.toString(), "--file-system", target.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
