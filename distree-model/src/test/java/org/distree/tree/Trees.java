package org.distree.tree;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distree.model.Entry;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.rules.Linter;
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
        return Linter.lintFolder(new FileSource(), dir, names);
    }

    /** Lints the tree held open by {@code tree}. */
    public static Linter.Report lint(LocalTree tree) throws IOException {
        tree.store().flush();
        return Linter.lintFolder(new FileSource(), tree.store().dir(), tree.store().nodeNames());
    }

    /** Every entry the tree holds, found by a range search over all keys. */
    public static List<Entry> all(Path dir) {
        Walk.Result r = Walk.run(new FileSource(), dir.toAbsolutePath().resolve("index.html")
                .toUri(), Query.range(null, null), Walk.DEFAULT_MAX_NODES);
        List<Entry> out = new ArrayList<>();
        for (Walk.Hit h : r.hits()) {
            out.add(h.entry());
        }
        return out;
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
        return Entry.of(w, "https://example.org/" + w + "/" + Integer.toHexString(random.nextInt()),
                "", comment(random));
    }

    private static String comment(Random random) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 40) {
            sb.append(word(random)).append(' ');
        }
        return sb.toString().strip();
    }
}
