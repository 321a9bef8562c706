package org.distree.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one place for a command's output folder: refusing to overwrite one that holds files, and
 * swapping a finished staging folder in, so a failed run leaves the old folder as it was.
 */
final class OutputFolder {
    private OutputFolder() {}

    /**
     * Refuses {@code dir} unless it is absent, empty, or {@code force} is given.
     *
     * @param shown how the folder was named on the command line
     * @param whenNotEmpty the rest of the message when it holds files
     */
    static void requireReplaceable(Path dir, String shown, boolean force, String whenNotEmpty)
            throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw UserException.failure(shown + " exists and is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent() && !force) {
                throw UserException.failure(shown + " " + whenNotEmpty);
            }
        }
    }

    /**
     * An empty staging folder's path beside {@code target}, an absolute path, for {@link #swapIn}:
     * the parent is created, and what an earlier run with this process id left there is deleted.
     */
    static Path staging(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null) {
            throw UserException.failure(target + " is a file system root; name a folder in it");
        }
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + target.getFileName() + ".building-"
                + ProcessHandle.current().pid());
        deleteTree(staging);
        return staging;
    }

    /** Replaces {@code target} with {@code staging}: the old tree goes only once the new one is in. */
    static void swapIn(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-"
                    + ProcessHandle.current().pid());
            deleteTree(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
