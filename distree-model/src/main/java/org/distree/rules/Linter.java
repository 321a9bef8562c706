package org.distree.rules;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeSums;
import org.distree.html.NodeWriter;
import org.distree.html.RootPointerException;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * Checks a tree against every rule of docs/FORMAT.md, walking from its root through links on the
 * same machine (relative links; absolute ones too when asked), and gathers its statistics.
 *
 * <p>Rules, by the names reported: {@code format}, {@code 10KB}, {@code range}, {@code order}
 * (checked while reading), {@code height}, {@code size}, {@code cover}, {@code 16x}, {@code ref}
 * (a link's range, height, size or sum differs from the child's own), {@code link} (a child cannot be
 * read), {@code record} (a record entry's page record on the same machine cannot be read) and
 * {@code path-to-root} (a node file of the folder that the root does not reach). Nodes of format
 * versions 1 and 2 are checked alike.
 */
public final class Linter {
    /** What a lint found: the broken rules and the tree's statistics. */
    public record Report(List<Violation> violations, Stats stats) {
        public boolean clean() {
            return violations.isEmpty();
        }
    }

    /** Statistics of the nodes a lint visited. */
    public record Stats(
            long entries,
            int nodes,
            int leaves,
            int height,
            long totalBytes,
            int largestFile,
            String largestFileName,
            long childLinks,
            int remoteChildren) {
        /** The average file size as a share of the 10 KB budget. */
        public double fill() {
            return nodes == 0 ? 0 : (double) totalBytes / nodes / Rules.MAX_FILE_BYTES;
        }

        /** The average number of children of an internal node. */
        public double fanout() {
            int internal = nodes - leaves;
            return internal == 0 ? 0 : (double) childLinks / internal;
        }
    }

    private final NodeSource source;
    private final URI base;
    private final boolean followRemote;
    /** Reads files ahead of the walk; null: read one at a time, on the caller's thread. */
    private final java.util.concurrent.@Nullable ExecutorService readers;
    /** Files being read ahead, by URL: taken by the walk when it comes to them. */
    private final Map<URI, java.util.concurrent.Future<NodeSource.Fetched>> ahead = new HashMap<>();

    /** Files the walk will come to, in its order, not yet read ahead. */
    private final Deque<URI> toReadAhead = new ArrayDeque<>();

    /**
     * Files read ahead of the walk and not yet taken, at most: 64 a reading thread, so that the
     * memory a lint holds does not grow with the tree (a level of 50,000 leaves parsed at once
     * did not fit in a 1 GB heap).
     */
    static final int AHEAD_PER_THREAD = 64;

    /**
     * Parsed files the walk keeps, for a second link to the same file (another fragment, an
     * alternate): the last 256 read; an older one is read again.
     */
    static final int KEPT_FILES = 256;

    private final int aheadLimit;

    /** The parsed files the walk keeps ({@link #KEPT_FILES}, least recently used out first). */
    private final Map<URI, NodeSource.Fetched> keptFiles =
            new LinkedHashMap<>(KEPT_FILES * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<URI, NodeSource.Fetched> eldest) {
                    return size() > KEPT_FILES;
                }
            };

    private final List<Violation> violations = new ArrayList<>();
    /** Page records read, by URL: each is read once however many entries link it. */
    private final Map<URI, Boolean> records = new HashMap<>();

    private Linter(NodeSource source, URI base, boolean followRemote, int threads) {
        this.source = source;
        this.base = base;
        this.aheadLimit = Math.max(1, threads) * AHEAD_PER_THREAD;
        this.followRemote = followRemote;
        this.readers = threads <= 1
                ? null
                : java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "distree-lint");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Lints the tree whose root (or entry page) is at {@code root}.
     *
     * @param base names in the report are shown relative to this URL (the tree's folder)
     * @param followRemote also follow absolute links to other machines
     * @param allNodes every node file the folder holds, to find those the root does not reach;
     *     null when not known (a URL)
     */
    public static Report lint(
            NodeSource source,
            URI root,
            URI base,
            boolean followRemote,
            @Nullable List<URI> allNodes) {
        return new Linter(source, base, followRemote, 1).run(root, allNodes);
    }

    /** Lints a tree folder on disk, reading one file at a time. */
    public static Report lintFolder(NodeSource source, Path dir, List<String> nodeNames) {
        return lintFolder(source, dir, nodeNames, 1);
    }

    /**
     * Lints a tree folder on disk, reading and parsing files ahead of the walk on {@code
     * threads} threads (1: on the caller's thread alone; the source must be safe to call from
     * several threads). The report is the same whatever the number.
     */
    public static Report lintFolder(
            NodeSource source, Path dir, List<String> nodeNames, int threads) {
        URI base = dir.toAbsolutePath().normalize().toUri();
        List<URI> all = new ArrayList<>();
        for (String n : nodeNames) {
            all.add(base.resolve(n));
        }
        Linter linter = new Linter(source, base, false, threads);
        try {
            return linter.run(base.resolve("index.html"), all);
        } finally {
            if (linter.readers != null) {
                linter.readers.shutdownNow();
            }
        }
    }

    /** Notes a file the walk will come to, to read it ahead when reading ahead. */
    private void readAhead(URI fileUrl) {
        if (readers != null) {
            toReadAhead.add(fileUrl);
            topUp();
        }
    }

    /** Starts reading the next files the walk comes to, up to the bound on files read ahead. */
    private void topUp() {
        if (readers == null) {
            return;
        }
        while (ahead.size() < aheadLimit && !toReadAhead.isEmpty()) {
            URI fileUrl = toReadAhead.poll();
            // Read already (a second link to the file): the walk takes it from those it keeps.
            if (!ahead.containsKey(fileUrl) && !keptFiles.containsKey(fileUrl)) {
                ahead.put(fileUrl, readers.submit(() -> source.fetch(fileUrl)));
            }
        }
    }

    /** The file at {@code fileUrl}: read ahead, or read now. */
    private NodeSource.Fetched fetch(URI fileUrl) throws IOException, NodeFormatException {
        java.util.concurrent.Future<NodeSource.Fetched> f = ahead.remove(fileUrl);
        if (f == null) {
            return source.fetch(fileUrl);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + fileUrl);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof NodeFormatException bad) {
                throw bad;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private String name(URI url) {
        String s = url.toString().replaceFirst("^file:///", "file:/");
        String b = base.toString().replaceFirst("^file:///", "file:/");
        return s.startsWith(b) ? s.substring(b.length()) : s;
    }

    private void report(URI url, @Nullable String narrower, String rule, String details) {
        violations.add(
                new Violation(name(url) + (narrower == null ? "" : "#" + narrower), rule, details));
    }

    private record Visit(
            URI url, @Nullable URI parent, @Nullable ChildRef ref, boolean root) {}

    private Report run(URI root, @Nullable List<URI> allNodes) {
        Map<URI, NodeSource.Fetched> files = keptFiles;
        // Files whose bytes were counted and checked: once each, even if read again.
        Set<URI> counted = new HashSet<>();
        Set<URI> visited = new HashSet<>();
        Set<URI> reached = new HashSet<>();
        Deque<Visit> queue = new ArrayDeque<>();
        URI rootUrl = resolveRoot(root);
        if (rootUrl == null) {
            return new Report(violations, new Stats(0, 0, 0, 0, 0, 0, "", 0, 0));
        }
        queue.add(new Visit(rootUrl, null, null, true));
        long entries = 0;
        int nodes = 0;
        int leaves = 0;
        int height = 0;
        long totalBytes = 0;
        int largest = 0;
        String largestName = "";
        int remote = 0;
        long links = 0;
        while (!queue.isEmpty()) {
            Visit v = queue.poll();
            topUp();
            URI fileUrl = Links.file(v.url);
            NodeSource.Fetched f = files.get(fileUrl);
            reached.add(fileUrl);
            if (f == null) {
                try {
                    f = fetch(fileUrl);
                } catch (NodeFormatException e) {
                    report(fileUrl, e.fragment(), "format", e.field() + ": " + e.reason());
                    visited.add(v.url);
                    continue;
                } catch (IOException | RuntimeException e) {
                    report(
                            v.parent == null ? fileUrl : v.parent,
                            null,
                            "link",
                            "cannot read " + name(fileUrl) + ": " + e.getMessage());
                    visited.add(v.url);
                    continue;
                }
                files.put(fileUrl, f);
                if (counted.add(fileUrl)) {
                    totalBytes += f.bytes();
                    if (f.bytes() > largest) {
                        largest = f.bytes();
                        largestName = name(fileUrl);
                    }
                    checkBytes(fileUrl, f);
                }
            }
            String fragment = Links.fragment(v.url);
            Optional<Node> found = f.file().fragment(fragment);
            if (found.isEmpty()) {
                report(
                        v.parent == null ? fileUrl : v.parent,
                        null,
                        "link",
                        name(v.url) + " has no node with id '" + fragment + "'");
                continue;
            }
            Node node = found.get();
            if (v.ref != null) {
                checkRef(v, node);
            }
            if (!visited.add(v.url)) {
                continue;
            }
            nodes++;
            height = Math.max(height, node.height());
            if (node.isLeaf()) {
                leaves++;
                entries += node.entries().size();
                checkLeaf(v.url, node);
                continue;
            }
            checkInternal(v.url, node, v.root);
            links += node.children().size();
            for (ChildRef c : node.children()) {
                boolean relative = Links.isRelative(c.href());
                if (!relative) {
                    remote++;
                }
                if (c.height() >= node.height() || !(relative || followRemote)) {
                    continue;
                }
                URI child;
                try {
                    child = Links.resolve(v.url, c.href());
                } catch (IllegalArgumentException e) {
                    report(v.url, null, "link", String.valueOf(e.getMessage()));
                    continue;
                }
                if (!Links.followable(child)) {
                    report(v.url, null, "link", "'" + c.href() + "' is not http, https or file");
                    continue;
                }
                if (!files.containsKey(Links.file(child))) {
                    readAhead(Links.file(child));
                }
                queue.add(new Visit(child, v.url, c, false));
            }
        }
        if (allNodes != null) {
            for (URI u : allNodes) {
                if (!reached.contains(u)) {
                    report(u, null, "path-to-root", "not reachable from the root");
                }
            }
        }
        return new Report(
                violations,
                new Stats(
                        entries,
                        nodes,
                        leaves,
                        height,
                        totalBytes,
                        largest,
                        largestName,
                        links,
                        remote));
    }

    private @Nullable URI resolveRoot(URI root) {
        URI url = root;
        RootPointerException last = null; // the entry page that points at the root
        URI lastUrl = url;
        // The root, after at most MAX_POINTER_HOPS entry pages.
        for (int hop = 0; hop <= IndexPage.MAX_POINTER_HOPS; hop++) {
            try {
                NodeSource.Fetched f = source.fetch(Links.file(url));
                if (last != null) {
                    checkCopy(lastUrl, last, f.file().node());
                }
                return url;
            } catch (RootPointerException p) {
                last = p;
                lastUrl = url;
                url = Links.resolve(Links.file(url), p.href());
            } catch (NodeFormatException e) {
                report(url, e.fragment(), "format", e.field() + ": " + e.reason());
                return null;
            } catch (IOException | RuntimeException e) {
                report(url, null, "link", "cannot read the root: " + e.getMessage());
                return null;
            }
        }
        report(root, null, "link", "entry pages point at each other");
        return null;
    }

    /**
     * An entry page's copy of the root is the root, its links written relative to the page
     * ({@link IndexPage#copyOf}); a page without one is fine.
     */
    private void checkCopy(URI page, RootPointerException p, Node root) {
        if (p.copyError() != null) {
            report(page, null, "entry-page", "the root's copy cannot be read: " + p.copyError());
            return;
        }
        NodeFile copy = p.copy();
        if (copy == null) {
            return;
        }
        if (!copy.orphans().isEmpty() || !copy.node().equals(IndexPage.copyOf(p.href(), root))) {
            report(
                    page,
                    null,
                    "entry-page",
                    "the root's copy on the entry page is not the root " + p.href()
                            + " (distree maintain --data TREE --job rules writes it again)");
        }
    }

    private void checkBytes(URI url, NodeSource.Fetched f) {
        int bytes = f.file().orphans().isEmpty()
                ? f.bytes()
                : NodeWriter.byteSize(f.file().node());
        Rules.fileSize(bytes).ifPresent(b -> report(url, null, b.rule(), b.details()));
        for (Node o : f.file().orphans()) {
            Rules.fileSize(NodeWriter.byteSize(o))
                    .ifPresent(b -> report(url, o.id(), b.rule(), "orphan copy is " + b.details()));
        }
    }

    private void checkLeaf(URI url, Node node) {
        int i = 0;
        for (Entry e : node.entries()) {
            i++;
            if (!node.range().contains(e.position())) {
                report(
                        url,
                        frag(node, i),
                        "range",
                        "entry '" + e.key() + "' is outside the" + " node's range " + node.range());
            }
            if (e.isRecord() && Links.isRelative(e.link())) {
                checkRecord(url, node, i, e);
            }
        }
    }

    /** A record entry's page record on this machine can be read (each record read once). */
    private void checkRecord(URI url, Node node, int item, Entry e) {
        URI record;
        try {
            record = Links.file(Links.resolve(url, e.link()));
        } catch (IllegalArgumentException x) {
            report(url, frag(node, item), "record", String.valueOf(x.getMessage()));
            return;
        }
        if (records.containsKey(record)) {
            return;
        }
        String problem = null;
        try {
            source.record(record);
        } catch (NodeFormatException x) {
            problem = x.field() + ": " + x.reason();
        } catch (IOException | RuntimeException x) {
            problem = String.valueOf(x.getMessage());
        }
        records.put(record, problem == null);
        if (problem != null) {
            report(
                    url,
                    frag(node, item),
                    "record",
                    "entry '" + e.key() + "': cannot read the record " + name(record) + ": "
                            + problem);
        }
    }

    private static String frag(Node node, int item) {
        return (node.id() == null ? "" : node.id() + "/") + "item " + item;
    }

    private void checkInternal(URI url, Node node, boolean root) {
        if (node.children().isEmpty()) {
            report(url, node.id(), "cover", "an internal node with no children");
            return;
        }
        int i = 0;
        for (ChildRef c : node.children()) {
            i++;
            if (c.height() >= node.height()) {
                report(
                        url,
                        frag(node, i),
                        "height",
                        "child height " + c.height() + " is not below the node's " + node.height());
            }
            if (!c.range().meets(node.range())) {
                report(
                        url,
                        frag(node, i),
                        "range",
                        "child range " + c.range() + " is outside the node's range "
                                + node.range());
            }
        }
        Cover.firstGap(node.range(), node.children())
                .ifPresent(gap -> report(url, node.id(), "cover", "no live child covers " + gap));
        long size = Cover.size(node.range(), node.children());
        if (size != node.size()) {
            report(
                    url,
                    node.id(),
                    "size",
                    "size " + node.size() + " but its children's cover" + " adds up to " + size);
        }
        if (!root) {
            Rules.sixteenX(node).ifPresent(b -> report(url, node.id(), b.rule(), b.details()));
        }
    }

    private void checkRef(Visit v, Node child) {
        ChildRef ref = v.ref;
        URI parent = v.parent;
        if (ref == null || parent == null || !Links.isRelative(ref.href())) {
            // A link to another machine may lag behind; the link check job updates it.
            return;
        }
        String where = "link to " + ref.href();
        if (!ref.range().equals(child.range())) {
            report(
                    parent,
                    null,
                    "ref",
                    where + ": range " + ref.range() + " but the child's is " + child.range());
        }
        if (ref.height() != child.height()) {
            report(
                    parent,
                    null,
                    "ref",
                    where + ": height " + ref.height() + " but the child's is " + child.height());
        }
        if (ref.size() != child.size()) {
            report(
                    parent,
                    null,
                    "ref",
                    where + ": size " + ref.size() + " but the child's is " + child.size());
        }
        if (ref.sum() != null && child.id() == null) {
            String sum = NodeSums.of(child);
            if (!sum.equals(ref.sum())) {
                report(
                        parent,
                        null,
                        "ref",
                        where + ": sum " + ref.sum() + " but the child's is " + sum);
            }
        }
    }
}
