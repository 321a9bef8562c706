package org.distree.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distree.store.NodeStore;

/** Turns a command-line PATH or URL into the URL a walk starts from. */
final class Targets {
    private Targets() {}

    /** True when the argument is an http or https URL. */
    static boolean isHttp(String arg) {
        String a = arg.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("http://") || a.startsWith("https://");
    }

    /**
     * The start URL: a folder's entry page, a file, or a URL as given.
     *
     * @throws UserException when a local path does not exist
     */
    static URI start(String arg) {
        if (isHttp(arg) || arg.toLowerCase(java.util.Locale.ROOT).startsWith("file:")) {
            try {
                return URI.create(arg);
            } catch (IllegalArgumentException e) {
                throw UserException.usage("'" + arg + "' is not a valid URL");
            }
        }
        Path p = Path.of(arg).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            Path index = p.resolve(NodeStore.INDEX);
            if (!Files.exists(index)) {
                throw UserException.failure(
                        "no tree in " + arg + " (it has no " + NodeStore.INDEX + ")");
            }
            return index.toUri();
        }
        if (!Files.exists(p)) {
            throw UserException.failure("no such file or folder: " + arg);
        }
        return p.toUri();
    }

    /** The folder that names in reports are shown relative to. */
    static URI base(URI start) {
        return start.resolve(".");
    }
}
