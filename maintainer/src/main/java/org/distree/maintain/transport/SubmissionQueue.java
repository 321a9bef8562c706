package org.distree.maintain.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.Node;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of accepted submissions, the one place for its folder and its file format:
 * the node daemon {@linkplain #add adds} what it accepted, the maintainer {@linkplain #oldest
 * takes} them in and deletes them. One JSON file per accepted URL in {@code
 * DIR/.distree/submissions/}, named {@code <millis>-<receipt>-<n>.json} so that name order is
 * arrival order. A file appears whole (written, forced to disk, then renamed into place) and is
 * never changed; the maintainer deletes it once adopted. Files whose name ends in {@code .tmp}
 * are unfinished and are ignored (and removed when the daemon opens the queue).
 *
 * <p>A file holds (docs/SERVE.md describes it):
 *
 * <pre>
 * {"format":"distree-submission/1","receipt":"…","url":"https://…/n/4f.html",
 *  "from":"203.0.113.7","received":"…Z","checked":"…Z","bytes":5120,
 *  "node":{"height":0,"low":"apple","high":"banana","size":64,"updated":"…Z"}}
 * </pre>
 *
 * The node fields are what a parent's child item needs; {@code low_link}/{@code high_link}
 * appear when a bound has a link part, and an absent {@code low} or {@code high} is open. A
 * reader ({@link #url}) needs only {@code format} and an http(s) {@code url}, in a file of at most
 * {@value #MAX_READ_BYTES} bytes; it trusts nothing else in it.
 */
public final class SubmissionQueue {
    /** The queue's folder, relative to the data folder. */
    public static final String FOLDER = ".distree/submissions";

    /** What the {@code format} field says. */
    public static final String FORMAT = "distree-submission/1";

    /** The largest queue file a reader reads: 64 KB. */
    public static final int MAX_READ_BYTES = 64 * 1024;

    private static final String SUFFIX = ".json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int maxFiles;

    /**
     * The queue in {@code data}'s {@link #FOLDER} for its writer, holding at most {@code
     * maxFiles}: makes the folder and removes unfinished files.
     */
    public SubmissionQueue(Path data, int maxFiles) throws IOException {
        this.dir = data.resolve(FOLDER);
        this.maxFiles = maxFiles;
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The queue's folder. */
    public Path dir() {
        return dir;
    }

    /** The number of accepted submissions waiting. */
    public int size() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(SubmissionQueue::isQueued).count();
        }
    }

    /**
     * Adds an accepted submission; returns once it is durable.
     *
     * @throws IOException when it cannot be written, or the queue is full
     */
    public synchronized Path add(
            String receipt,
            int index,
            URI url,
            String from,
            Instant received,
            Instant checked,
            int bytes,
            Node node)
            throws IOException {
        if (size() >= maxFiles) {
            throw new IOException("the queue of accepted submissions is full (" + maxFiles
                    + " waiting for the maintainer)");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("receipt", receipt);
        o.put("url", url.toString());
        o.put("from", from);
        o.put("received", NodeWriter.instant(received));
        o.put("checked", NodeWriter.instant(checked));
        o.put("bytes", bytes);
        ObjectNode n = o.putObject("node");
        n.put("height", node.height());
        bound(n, "low", node.range().low());
        bound(n, "high", node.range().high());
        n.put("size", node.size());
        n.put("updated", NodeWriter.instant(node.updated()));
        String name = received.toEpochMilli() + "-" + receipt + "-" + index + SUFFIX;
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf =
                    ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Path target = dir.resolve(name);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot force a folder; the rename is still atomic there.
        }
        return target;
    }

    /**
     * The oldest {@code max} queued files of the queue in {@code data}, oldest first; none when
     * there is no queue folder.
     */
    public static List<Path> oldest(Path data, int max) throws IOException {
        Path dir = data.resolve(FOLDER);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(SubmissionQueue::isQueued).sorted().limit(max).forEach(files::add);
        }
        return files;
    }

    /**
     * The submitted URL a queue file holds, or null when it is not a submission: over {@value
     * #MAX_READ_BYTES} bytes, not JSON, another {@code format}, or a {@code url} that is not http
     * or https with a host.
     */
    public static @Nullable URI url(Path file) {
        try {
            if (Files.size(file) > MAX_READ_BYTES) {
                return null;
            }
            JsonNode n = JSON.readTree(file.toFile());
            if (!FORMAT.equals(n.path("format").asText())) {
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

    private static boolean isQueued(Path p) {
        return p.getFileName().toString().endsWith(SUFFIX);
    }

    private static void bound(ObjectNode n, String name, @Nullable Bound b) {
        if (b != null) {
            n.put(name, b.key());
            if (!b.link().isEmpty()) {
                n.put(name + "_link", b.link());
            }
        }
    }
}
