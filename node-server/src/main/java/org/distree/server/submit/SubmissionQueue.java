package org.distree.server.submit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Stream;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.Node;
import org.jspecify.annotations.Nullable;

/**
 * The durable queue of accepted submissions, which the maintainer adopts: one JSON file per
 * accepted URL in {@code DIR/.distree/submissions/}, named {@code <millis>-<receipt>-<n>.json}
 * so that name order is arrival order. A file appears whole (written, forced to disk, then
 * renamed into place) and is never changed; the maintainer deletes it once adopted. Files whose
 * name ends in {@code .tmp} are unfinished and are ignored (and removed at start).
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
 * appear when a bound has a link part, and an absent {@code low} or {@code high} is open.
 */
public final class SubmissionQueue {
    /** The queue's folder, relative to the data folder. */
    public static final String FOLDER = ".distree/submissions";

    /** What the {@code format} field says. */
    public static final String FORMAT = "distree-submission/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int maxFiles;

    /** A queue in {@code data}'s {@link #FOLDER}, holding at most {@code maxFiles}. */
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
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .count();
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
        String name = received.toEpochMilli() + "-" + receipt + "-" + index + ".json";
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

    private static void bound(ObjectNode n, String name, @Nullable Bound b) {
        if (b != null) {
            n.put(name, b.key());
            if (!b.link().isEmpty()) {
                n.put(name + "_link", b.link());
            }
        }
    }
}
