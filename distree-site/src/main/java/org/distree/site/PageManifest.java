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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * What a site tree was last made from, kept privately in {@code .distree/site-pages.tsv}: for
 * each page its link, digest, record name, lengths and keys with their weights (see {@link
 * Relevance}), so that an update knows which entries a changed page had, and with what score,
 * without reading the tree. A first line {@code # distree-site-pages 4 next N} (N: the next
 * record number to give), one line a page, {@code link TAB digest TAB record TAB length TAB
 * titleLength TAB key TAB key …}, where a key whose weight is not 1 is followed by U+001F and its weight (links,
 * digests and keys hold no control characters), and a last line {@code # root NAME DIGEST}
 * naming the root file it belongs to and that file's digest: if the tree was changed since (say,
 * by {@code distree add}), the manifest is stale and is not used. A manifest without the first
 * line was written before page records, one of version 2 before scores, one of version 3 before
 * titles were scored by their length ({@link #outdated}): the tree is built again.
 */
final class PageManifest {
    static final String NAME = "site-pages.tsv";
    private static final String HEADER = "# distree-site-pages 4 next ";
    private static final String TRAILER = "# root ";
    /** Separates a key from its weight in a page's keys. */
    static final char WEIGHT = '\u001F';

    /**
     * A page as last indexed: its digest, the name of its record ({@code p/NAME.html}), the
     * lengths in tokens of its text and of its title its entries were scored with (-1 when not
     * known: then neither are its weights) and its keys with their weights, tab-joined (see the
     * class comment).
     */
    record Page(String digest, String record, int length, int titleLength, String keys) {
        /** A page whose keys are known, but not their weights nor the page's lengths. */
        static Page unscored(String digest, String record, String keys) {
            return new Page(digest, record, -1, -1, keys);
        }

        /** A page with the keys, weights and lengths of {@code terms}. */
        static Page of(String digest, String record, Relevance.Terms terms) {
            return of(digest, record, terms, terms.length());
        }

        /**
         * A page with the keys, weights and title length of {@code terms}, scored with {@code
         * length}.
         */
        static Page of(String digest, String record, Relevance.Terms terms, int length) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < terms.keys().size(); i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                sb.append(terms.keys().get(i));
                if (terms.weight(i) != 1) {
                    sb.append(WEIGHT).append(terms.weight(i));
                }
            }
            return new Page(digest, record, length, terms.titleLength(), sb.toString());
        }

        List<String> keyList() {
            List<String> out = new ArrayList<>();
            for (String item : items()) {
                int w = item.indexOf(WEIGHT);
                out.add(w < 0 ? item : item.substring(0, w));
            }
            return out;
        }

        /** The weight of each key; empty when not known ({@code length} -1). */
        Map<String, Integer> weights() {
            Map<String, Integer> out = new HashMap<>();
            if (length < 0) {
                return out;
            }
            for (String item : items()) {
                int w = item.indexOf(WEIGHT);
                if (w < 0) {
                    out.put(item, 1);
                } else {
                    out.put(item.substring(0, w), Integer.parseInt(item.substring(w + 1)));
                }
            }
            return out;
        }

        /** The tab-separated items of {@code keys}. */
        private List<String> items() {
            List<String> out = new ArrayList<>();
            int start = 0;
            while (start < keys.length()) {
                int tab = keys.indexOf('\t', start);
                int end = tab < 0 ? keys.length() : tab;
                out.add(keys.substring(start, end));
                start = end + 1;
            }
            return out;
        }
    }

    /** The pages by link, and the next record number to give. */
    record Loaded(Map<String, Page> pages, long next) {}

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

    /**
     * True when the store holds a manifest written before page records (no first line), before
     * scores (version 2) or before titles were scored by their length (version 3): the tree is
     * built again.
     */
    static boolean outdated(NodeStore store) throws IOException {
        Path p = path(store);
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            return first == null || !first.startsWith(HEADER);
        }
    }

    /**
     * The pages by link, or null when there is no manifest, it does not match the tree, or it
     * was written before page records.
     */
    static @Nullable Loaded load(NodeStore store) throws IOException {
        Path p = path(store);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        String identity = rootIdentity(store);
        Map<String, Page> out = new HashMap<>();
        String last = null;
        long next;
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null || !first.startsWith(HEADER)) {
                return null;
            }
            try {
                next = Long.parseLong(first.substring(HEADER.length()).strip());
            } catch (NumberFormatException e) {
                return null;
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    last = line;
                    continue;
                }
                int a = line.indexOf('\t');
                int b = a < 0 ? -1 : line.indexOf('\t', a + 1);
                int c = b < 0 ? -1 : line.indexOf('\t', b + 1);
                int d = c < 0 ? -1 : line.indexOf('\t', c + 1);
                int e = d < 0 ? -1 : line.indexOf('\t', d + 1);
                if (d < 0) {
                    return null; // damaged: rebuild it from the tree
                }
                String digest = line.substring(a + 1, b);
                String record = line.substring(b + 1, c);
                int length;
                int titleLength;
                try {
                    length = Integer.parseInt(line.substring(c + 1, d));
                    titleLength = Integer.parseInt(
                            e < 0 ? line.substring(d + 1) : line.substring(d + 1, e));
                } catch (NumberFormatException x) {
                    return null;
                }
                out.put(
                        line.substring(0, a),
                        new Page(
                                digest,
                                record,
                                length,
                                titleLength,
                                e < 0 ? "" : line.substring(e + 1)));
            }
        }
        return (TRAILER + identity).equals(last) ? new Loaded(out, next) : null;
    }

    /** Writes the manifest in place of the old one, atomically. */
    static void write(NodeStore store, Map<String, Page> pages, long next) throws IOException {
        try (Writer out = new Writer(store, next)) {
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

        /** A writer whose manifest says the next record number is {@code next}. */
        Writer(NodeStore store, long next) throws IOException {
            this.store = store;
            this.tmp = path(store).resolveSibling(NAME + ".tmp");
            Files.createDirectories(tmp.getParent());
            this.out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            out.write(HEADER + next + "\n");
        }

        void add(String link, Page page) throws IOException {
            out.write(link);
            out.write('\t');
            out.write(page.digest());
            out.write('\t');
            out.write(page.record());
            out.write('\t');
            out.write(Integer.toString(page.length()));
            out.write('\t');
            out.write(Integer.toString(page.titleLength()));
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
