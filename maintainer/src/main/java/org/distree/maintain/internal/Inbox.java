package org.distree.maintain.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The accepted submissions the node daemon queued for the maintainer: one JSON file per URL in
 * {@code DIR/.distree/submissions/} ({@code "format":"distree-submission/1"}, see
 * docs/PROTOCOL.md). The maintainer remembers each URL as a neighbor, then deletes the file. A
 * file that is not such a submission is deleted too, after being skipped: the daemon checked it,
 * and the sync fetches and checks the node again before using anything in it.
 */
public final class Inbox {
    /** The queue's folder, relative to the data folder. */
    public static final String FOLDER = ".distree/submissions";

    /** The most files taken in one run. */
    public static final int MAX_PER_RUN = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Inbox() {}

    /** Takes the queued submissions into the state's neighbors; returns how many. */
    public static int drain(Path data, State state) throws IOException {
        Path dir = data.resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .limit(MAX_PER_RUN)
                    .forEach(files::add);
        }
        int taken = 0;
        for (Path p : files) {
            URI url = read(p);
            if (url != null) {
                state.addNeighbor(url.toString());
                taken++;
            }
        }
        state.save();
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
        return taken;
    }

    private static @org.jspecify.annotations.Nullable URI read(Path p) {
        try {
            if (Files.size(p) > 64 * 1024) {
                return null;
            }
            JsonNode n = JSON.readTree(p.toFile());
            if (!"distree-submission/1".equals(n.path("format").asText())) {
                return null;
            }
            URI u = new URI(n.path("url").asText());
            String scheme = String.valueOf(u.getScheme());
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null
                    ? u
                    : null;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
