package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.crawl.NodeFetchException;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.maintain.transport.Transport;
import org.distree.model.Links;
import org.distree.query.NodeSource;
import org.distree.tree.LocalTree;

/**
 * An in-memory network for simulating many machines: a fetch reads the committed file of the
 * machine named by the URL's origin and parses it with the real reader; a submission is queued
 * in that machine's folder as the daemon would. Machines can be taken down.
 */
final class MemoryNet {
    record Host(Path data, LocalTree tree) {}

    final Map<String, Host> hosts = new ConcurrentHashMap<>();
    final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();

    Transport transport() {
        return new Transport() {
            @Override
            public NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
                Host h = host(url);
                String path = url.getPath().substring(1);
                byte[] bytes;
                try {
                    bytes = h.tree().store().readBytes(path);
                } catch (java.nio.file.NoSuchFileException | IllegalArgumentException e) {
                    throw new NodeFetchException(url.toString(), 404, "not found");
                }
                return new NodeSource.Fetched(
                        url, NodeReader.read(bytes, url.toString()), bytes.length);
            }

            @Override
            public void submit(URI origin, List<URI> nodes) throws IOException {
                Host h = host(origin);
                Path dir = h.data().resolve(SubmissionQueue.FOLDER);
                Files.createDirectories(dir);
                for (URI u : nodes) {
                    Files.writeString(
                            dir.resolve(queued.incrementAndGet() + ".json"),
                            "{\"format\":\"" + SubmissionQueue.FORMAT + "\",\"url\":\"" + u
                                    + "\"}");
                }
            }

            @Override
            public void close() {}
        };
    }

    private Host host(URI url) throws IOException {
        String origin = Links.origin(url);
        Host h = hosts.get(origin);
        if (h == null || down.containsKey(origin)) {
            throw new NodeFetchException(url.toString(), 0, "connection refused", true);
        }
        return h;
    }
}
