package org.distree.tree;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.distree.html.IndexPage;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.query.FileSource;
import org.distree.query.NodeSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.rules.Linter;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;

/** Helpers for tests that build and check trees. */
public final class Trees {
    private Trees() {}

    /** Lints the tree in {@code dir} (which must not be open for writing elsewhere). */
    public static Linter.Report lint(Path dir) throws IOException {
        List<String> names;
        try (NodeStore store = NodeStore.open(dir, false)) {
            names = store.nodeNames();
        }
        return Linter.lintFolder(SOURCE, dir, names);
    }

    /** Lints the tree held open by {@code tree}. */
    public static Linter.Report lint(LocalTree tree) throws IOException {
        return Linter.lintFolder(SOURCE, tree.store().dir(), tree.store().nodeNames());
    }

    /** Every entry the tree holds, found by a range search over all keys. */
    public static List<Entry> all(Path dir) {
        return search(dir, Query.range(null, null));
    }

    /** Every entry with a key in {@code query}'s range, found by a walk from the root. */
    public static List<Entry> search(Path dir, Query query) {
        Walk.Result r = Walk.run(
                SOURCE,
                dir.toAbsolutePath().resolve("index.html").toUri(),
                query,
                Walk.DEFAULT_MAX_NODES);
        List<Entry> out = new ArrayList<>();
        for (Walk.Hit h : r.hits()) {
            out.add(h.entry());
        }
        return out;
    }

    /**
     * The rules broken by the node files in {@code dir}, checked file by file without the
     * linter: every file is at most 10,240 bytes, every internal node but the root obeys the 16x
     * rule, and heights strictly fall along every local link (the child's own height, and the
     * height its parent claims for it). Empty when all hold.
     */
    public static List<String> ruleBreaks(Path dir) throws IOException {
        List<String> breaks = new ArrayList<>();
        String root = IndexPage.rootHref(
                Files.readString(dir.resolve(NodeStore.INDEX), StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve(NodeStore.NODE_DIR))) {
            files = s.sorted().toList();
        }
        Map<String, Node> nodes = new HashMap<>();
        for (Path f : files) {
            String name = NodeStore.NODE_DIR + "/" + f.getFileName();
            Node node = readNode(f);
            // The 10 KB rule counts the file's own node alone, not its orphan copies.
            long bytes = Math.min(Files.size(f), org.distree.html.NodeWriter.byteSize(node));
            if (!Rules.fits(bytes)) {
                breaks.add(name + " is " + bytes + " bytes");
            }
            nodes.put(name, node);
        }
        for (Map.Entry<String, Node> n : nodes.entrySet()) {
            String name = n.getKey();
            Node node = n.getValue();
            if (!name.equals(root) && !Rules.obeysSixteenX(node)) {
                breaks.add(name + " breaks 16x: size " + node.size() + ", largest child "
                        + Rules.largestChild(node));
            }
            for (ChildRef c : node.children()) {
                if (!Links.isRelative(c.href())) {
                    continue;
                }
                if (c.height() >= node.height()) {
                    breaks.add(name + " links " + c.href() + " at height " + c.height()
                            + ", not below its own " + node.height());
                }
                Node child = nodes.get(NodeStore.NODE_DIR + "/" + c.href());
                if (child == null) {
                    breaks.add(name + " links " + c.href() + ", which is missing");
                } else if (child.height() >= node.height() || child.height() != c.height()) {
                    breaks.add(name + " (height " + node.height() + ") links " + c.href()
                            + " as height " + c.height() + " but it is " + child.height());
                }
            }
        }
        return breaks;
    }

    /**
     * The links, in the tree reached from the root of {@code dir}, from an internal node to a
     * local child lower than the tallest local child of that node: what a splice leaves (a
     * parent that links the children of a piece that broke 16x). The root's own links count only
     * when {@code withRoot}. Empty when every node's local children share one height.
     */
    public static List<String> shortLinks(Path dir, boolean withRoot) throws IOException {
        String root = IndexPage.rootHref(
                Files.readString(dir.resolve(NodeStore.INDEX), StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(root));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            Node node = readNode(dir.resolve(name));
            int tallest = -1;
            for (ChildRef c : node.children()) {
                if (Links.isRelative(c.href())) {
                    tallest = Math.max(tallest, c.height());
                    todo.push(NodeStore.NODE_DIR + "/" + c.href());
                }
            }
            if (name.equals(root) && !withRoot) {
                continue;
            }
            for (ChildRef c : node.children()) {
                if (Links.isRelative(c.href()) && c.height() < tallest) {
                    out.add(name + " (height " + node.height() + ") links " + c.href()
                            + " of height " + c.height() + " beside children of height "
                            + tallest);
                }
            }
        }
        return out;
    }

    private static Node readNode(Path f) throws IOException {
        try {
            return SOURCE.fetch(f.toUri()).file().node();
        } catch (NodeFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Reads files as {@link FileSource} does, but parses each content of each file once, so that
     * checking a tree after every small change stays fast. Only what {@link FileSource} returns
     * is kept, keyed by the file and its exact bytes; errors are not kept.
     */
    static final NodeSource SOURCE = new NodeSource() {
        /** A file's bytes and what they parsed to; a class, as a record would compare arrays. */
        private static final class Parsed {
            final byte[] bytes;
            final Fetched fetched;

            Parsed(byte[] bytes, Fetched fetched) {
                this.bytes = bytes;
                this.fetched = fetched;
            }
        }

        private final Map<URI, Parsed> parsed = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, Parsed> eldest) {
                return size() > 2_000;
            }
        };

        @Override
        public org.distree.model.Entry.Target record(URI url)
                throws IOException, NodeFormatException {
            return new FileSource().record(url);
        }

        @Override
        public synchronized Fetched fetch(URI url) throws IOException, NodeFormatException {
            Path p = Path.of(url);
            if (Files.size(p) > NodeReader.DEFAULT_MAX_BYTES) {
                return new FileSource().fetch(url);
            }
            byte[] bytes = Files.readAllBytes(p);
            Parsed hit = parsed.get(url);
            if (hit != null && Arrays.equals(hit.bytes, bytes)) {
                return hit.fetched;
            }
            Fetched f = new Fetched(url, NodeReader.read(bytes, p.toString()), bytes.length);
            parsed.put(url, new Parsed(bytes, f));
            return f;
        }
    };

    /** Deletes a folder and everything in it. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A random lowercase word of 2 to 12 letters. */
    public static String word(Random random) {
        int n = 2 + random.nextInt(11);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /** A random entry like the benchmark's: a word, a URL and a 40-byte comment. */
    public static Entry entry(Random random) {
        String w = word(random);
        return Entry.of(
                w,
                "https://example.org/" + w + "/" + Integer.toHexString(random.nextInt()),
                "",
                comment(random));
    }

    private static String comment(Random random) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 40) {
            sb.append(word(random)).append(' ');
        }
        return sb.toString().strip();
    }
}
