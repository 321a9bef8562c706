package org.distree.site;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * What a site tree was last made from, kept privately in {@code .distree/site-pages.tsv}: for
 * each page its link, digest and keys, so that an update knows which entries a changed page had
 * without reading the tree. One line a page, {@code link TAB digest TAB key TAB key …} (links,
 * digests and keys hold no control characters), and a last line {@code # root NAME DIGEST}
 * naming the root file it belongs to and that file's digest: if the tree was changed since
 * (say, by {@code distree add}), the manifest is stale and is not used.
 */
final class PageManifest {
    static final String NAME = "site-pages.tsv";
    private static final String TRAILER = "# root ";

    /** A page as last indexed: its digest and its keys, tab-joined. */
    record Page(String digest, String keys) {
        List<String> keyList() {
            return keys.isEmpty() ? List.of() : List.of(keys.split("\t"));
        }
    }

    private PageManifest() {}

    static Path path(NodeStore store) {
        return store.dir().resolve(".distree").resolve(NAME);
    }

    /** The root file's name and digest: what the manifest must match. */
    static String rootIdentity(NodeStore store) throws IOException {
        String root = store.rootName();
        if (root == null) {
            throw new IOException("no tree in " + store.dir());
        }
        return root + " " + PageReader.digest(store.readBytes(root));
    }

    /** The pages by link, or null when there is no manifest or it does not match the tree. */
    static @Nullable Map<String, Page> load(NodeStore store) throws IOException {
        Path p = path(store);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        String identity = rootIdentity(store);
        Map<String, Page> out = new HashMap<>();
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    last = line;
                    continue;
                }
                int a = line.indexOf('\t');
                int b = a < 0 ? -1 : line.indexOf('\t', a + 1);
                if (a < 0) {
                    return null; // damaged: rebuild it from the tree
                }
                String digest = b < 0 ? line.substring(a + 1) : line.substring(a + 1, b);
                out.put(line.substring(0, a), new Page(digest, b < 0 ? "" : line.substring(b + 1)));
            }
        }
        return (TRAILER + identity).equals(last) ? out : null;
    }

    /** Writes the manifest in place of the old one, atomically. */
    static void write(NodeStore store, Map<String, Page> pages) throws IOException {
        try (Writer out = new Writer(store)) {
            for (Map.Entry<String, Page> e : pages.entrySet()) {
                out.add(e.getKey(), e.getValue());
            }
            out.commit();
        }
    }

    /**
     * Writes a manifest a page at a time, so that a build holds no page's keys once it has
     * passed them on: into a temporary file, which {@link #commit} puts in place of the old
     * manifest, atomically, once the tree is written. Closed without a commit, the temporary
     * file is deleted and the old manifest stays.
     */
    static final class Writer implements Closeable {
        private final NodeStore store;
        private final Path tmp;
        private final BufferedWriter out;
        private boolean committed;

        Writer(NodeStore store) throws IOException {
            this.store = store;
            this.tmp = path(store).resolveSibling(NAME + ".tmp");
            Files.createDirectories(tmp.getParent());
            this.out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        }

        void add(String link, Page page) throws IOException {
            out.write(link);
            out.write('\t');
            out.write(page.digest());
            if (!page.keys().isEmpty()) {
                out.write('\t');
                out.write(page.keys());
            }
            out.write('\n');
        }

        /** Ends the manifest with the identity of the store's root, and puts it in place. */
        void commit() throws IOException {
            out.write(TRAILER + rootIdentity(store) + "\n");
            out.close();
            Path p = path(store);
            try {
                Files.move(
                        tmp,
                        p,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                out.close();
                Files.deleteIfExists(tmp);
            }
        }
    }
}
