package org.distree.maintain.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.distree.crawl.Validators;
import org.jspecify.annotations.Nullable;

/**
 * What the maintainer remembers between runs, in {@code DIR/.distree/maintainer/state.json}:
 * remote nodes to sync from, which leaves were submitted (and the retries of those that were
 * not), the failures of remote children, and the validators ({@code ETag}, {@code
 * Last-Modified}) of their files for the link check's conditional GET. Written whole to a temporary file and renamed, so
 * a crash leaves the old state or the new; a state file that cannot be read starts afresh (it is
 * only a cache of work done: nothing stored depends on it). Thread-safe.
 */
public final class State {
    /** A submission that failed: how often, and when it may be tried again (epoch millis). */
    public record Retry(int attempts, long nextMillis) {}

    /**
     * A remote child's failed checks in a row, and when the first and the last of them were
     * (epoch millis; the last is the first in a state written before it was kept).
     */
    public record Failure(int count, long firstMillis, long lastMillis) {}

    /**
     * A machine known to take part: the URL its root node was last read at (null until read),
     * when it was last read, or first heard of (epoch millis), and the places its root last
     * published ({@code data-places} as written, null for none yet).
     */
    public record Member(
            @Nullable String root,
            long seenMillis,
            @Nullable String places) {}

    /** Machines remembered at most: those seen least recently are forgotten first. */
    public static final int MAX_MEMBERS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final int maxNeighbors;
    private final LinkedHashSet<String> neighbors = new LinkedHashSet<>();
    private final Map<String, String> submitted = new LinkedHashMap<>();
    private final Map<String, Retry> retries = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private final Map<String, Validators> validators = new LinkedHashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();

    /** Validators remembered at most: those of the files least recently checked go first. */
    public static final int MAX_VALIDATORS = 100_000;

    private State(Path file, int maxNeighbors) {
        this.file = file;
        this.maxNeighbors = maxNeighbors;
    }

    /** Loads the state of the tree in {@code data}, or an empty one. */
    public static State load(Path data, int maxNeighbors) {
        State s = new State(data.resolve(".distree/maintainer/state.json"), maxNeighbors);
        try {
            if (Files.isRegularFile(s.file)) {
                JsonNode root = JSON.readTree(s.file.toFile());
                root.path("neighbors").forEach(n -> s.neighbors.add(n.asText()));
                root.path("submitted")
                        .properties()
                        .forEach(e -> s.submitted.put(e.getKey(), e.getValue().asText()));
                root.path("retries")
                        .properties()
                        .forEach(e -> s.retries.put(
                                e.getKey(),
                                new Retry(
                                        e.getValue().path("attempts").asInt(),
                                        e.getValue().path("next").asLong())));
                root.path("failures")
                        .properties()
                        .forEach(e -> s.failures.put(
                                e.getKey(),
                                new Failure(
                                        e.getValue().path("count").asInt(),
                                        e.getValue().path("first").asLong(),
                                        e.getValue()
                                                .path("last")
                                                .asLong(e.getValue()
                                                        .path("first")
                                                        .asLong()))));
                root.path("members")
                        .properties()
                        .forEach(e -> s.members.put(
                                e.getKey(),
                                new Member(
                                        text(e.getValue().path("root")),
                                        e.getValue().path("seen").asLong(),
                                        text(e.getValue().path("places")))));
                root.path("validators")
                        .properties()
                        .forEach(e -> s.validators.put(
                                e.getKey(),
                                new Validators(
                                        text(e.getValue().path("etag")),
                                        text(e.getValue().path("last-modified")))));
            }
        } catch (IOException | RuntimeException e) {
            s.neighbors.clear();
            s.submitted.clear();
            s.retries.clear();
            s.failures.clear();
            s.validators.clear();
            s.members.clear();
        }
        return s;
    }

    private static @Nullable String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    /** Writes the state; returns once it is in place. */
    public synchronized void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        neighbors.forEach(root.putArray("neighbors")::add);
        ObjectNode sub = root.putObject("submitted");
        submitted.forEach(sub::put);
        ObjectNode ret = root.putObject("retries");
        retries.forEach((k, v) ->
                ret.putObject(k).put("attempts", v.attempts()).put("next", v.nextMillis()));
        ObjectNode fail = root.putObject("failures");
        failures.forEach((k, v) -> fail.putObject(k)
                .put("count", v.count())
                .put("first", v.firstMillis())
                .put("last", v.lastMillis()));
        ObjectNode mem = root.putObject("members");
        members.forEach((k, v) -> {
            ObjectNode o = mem.putObject(k).put("seen", v.seenMillis());
            if (v.root() != null) {
                o.put("root", v.root());
            }
            if (v.places() != null) {
                o.put("places", v.places());
            }
        });
        ObjectNode val = root.putObject("validators");
        validators.forEach((k, v) -> {
            ObjectNode o = val.putObject(k);
            if (v.etag() != null) {
                o.put("etag", v.etag());
            }
            if (v.lastModified() != null) {
                o.put("last-modified", v.lastModified());
            }
        });
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Remembers a remote node to sync from; the oldest is forgotten beyond the limit. */
    public synchronized void addNeighbor(String url) {
        neighbors.remove(url);
        neighbors.add(url);
        Iterator<String> it = neighbors.iterator();
        while (neighbors.size() > maxNeighbors && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    public synchronized List<String> neighbors() {
        return new ArrayList<>(neighbors);
    }

    /** What was submitted for a leaf (its range, as text), or null. */
    public synchronized @Nullable String submitted(String leaf) {
        return submitted.get(leaf);
    }

    public synchronized void markSubmitted(String leaf, String range) {
        submitted.put(leaf, range);
        retries.remove(leaf);
    }

    public synchronized @Nullable Retry retry(String leaf) {
        return retries.get(leaf);
    }

    public synchronized void setRetry(String leaf, Retry r) {
        retries.put(leaf, r);
    }

    /** Records a failed check of a remote child and returns the failures in a row so far. */
    public synchronized Failure fail(String url, long nowMillis) {
        Failure f = failures.get(url);
        Failure next = f == null
                ? new Failure(1, nowMillis, nowMillis)
                : new Failure(f.count() + 1, f.firstMillis(), nowMillis);
        failures.put(url, next);
        return next;
    }

    /** The failed checks in a row of a remote child so far, or null when its last check answered. */
    public synchronized @Nullable Failure failure(String url) {
        return failures.get(url);
    }

    public synchronized void succeed(String url) {
        failures.remove(url);
    }

    /** What a remote file's server last said identifies its version (file URL, no fragment). */
    public synchronized Validators validators(String file) {
        return validators.getOrDefault(file, Validators.NONE);
    }

    /** Remembers a file's validators; none forgets them. */
    public synchronized void setValidators(String file, Validators v) {
        validators.remove(file);
        if (!v.none()) {
            validators.put(file, v);
            Iterator<String> it = validators.keySet().iterator();
            while (validators.size() > MAX_VALIDATORS && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    /** The machines known to take part, by origin ({@code scheme://host[:port]}). */
    public synchronized Map<String, Member> members() {
        return new LinkedHashMap<>(members);
    }

    /** Remembers a machine heard of (a link to it, a submission), unless already known. */
    public synchronized void heardOf(String origin, long nowMillis) {
        if (!members.containsKey(origin)) {
            members.put(origin, new Member(null, nowMillis, null));
            trimMembers();
        }
    }

    /**
     * Remembers that a machine's root node was read at {@code root} now, publishing {@code
     * places} (null: the root said none, and the places known before are kept).
     */
    public synchronized void seen(
            String origin, String root, @Nullable String places, long nowMillis) {
        Member before = members.remove(origin);
        String kept = places != null ? places : before == null ? null : before.places();
        members.put(origin, new Member(root, nowMillis, kept));
        trimMembers();
    }

    /** Forgets the machines not read (or first heard of) since {@code beforeMillis}. */
    public synchronized void forgetMembers(long beforeMillis) {
        members.values().removeIf(m -> m.seenMillis() < beforeMillis);
    }

    private void trimMembers() {
        while (members.size() > MAX_MEMBERS) {
            String oldest = null;
            long at = Long.MAX_VALUE;
            for (Map.Entry<String, Member> e : members.entrySet()) {
                if (e.getValue().seenMillis() < at) {
                    at = e.getValue().seenMillis();
                    oldest = e.getKey();
                }
            }
            members.remove(oldest);
        }
    }
}
