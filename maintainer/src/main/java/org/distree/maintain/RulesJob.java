package org.distree.maintain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.maintain.internal.LocalNodes;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.query.FileSource;
import org.distree.rules.Linter;
import org.distree.rules.Violation;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;

/**
 * Rules: repair what the local tree can ({@link LocalTree#repair}: 10 KB shrinks, 16x splices,
 * stale local links and sizes, root growth), then restore every path to root: a node file the
 * root does not reach has its entries inserted through the root (so none is lost) and is
 * removed. Then lints the folder and reports what is still broken.
 *
 * <p>The daemon writes its tree while the job runs, so the job looks before it locks: it first
 * lints the folder without holding the tree (each file is replaced whole, so every file read is
 * one version of it), and takes the tree's monitor for the repair only when the lint found
 * something. Orphan copies older than {@code orphan-aging-ms} are removed first, the same way:
 * found without the tree, dropped under it after a second look. A run when no transaction has
 * been committed since the last clean lint, and no orphan copy has aged out since, does nothing
 * at all. The lint reads every file: about half a millisecond a file, so on a tree of 16,000
 * files a run costs some seconds of one core, none of them blocking writes. So that a daemon
 * under a steady stream of writes does not spend a core on it, a lint is deferred until
 * {@value #LINT_SHARE} times the last lint's duration has passed since it ended: at most about
 * one part in {@value #LINT_SHARE} of the time goes to linting. The tree's own writes keep every
 * rule; the lint is there for what they cannot see (a file changed or damaged outside the
 * store, a bug). Aged copies go whether the lint is deferred or not: finding them is a byte
 * scan of each file, no parse.
 */
final class RulesJob {
    /** The least ratio of the time between two lints to the last lint's duration: 20. */
    static final int LINT_SHARE = 20;

    private RulesJob() {}

    public static JobReport run(Context ctx) throws IOException {
        NodeStore store = ctx.tree().store();
        long commits = store.commits();
        if (commits == ctx.rulesCleanAt() && ctx.nowMillis() < ctx.orphansDueMillis()) {
            return new JobReport("rules", 0, 0, "no change since the last clean check");
        }
        int aged = expireOrphans(ctx);
        String copies = aged == 0 ? "" : aged + " files dropped aged orphan copies; ";
        long now = ctx.nowMillis();
        if (now < ctx.rulesNextLint()) {
            return new JobReport(
                    "rules",
                    0,
                    aged,
                    copies
                            + String.format(
                                    Locale.ROOT,
                                    "lint deferred for %,d ms (at most 1/%d of the time goes to linting)",
                                    ctx.rulesNextLint() - now,
                                    LINT_SHARE));
        }
        commits = store.commits();
        Linter.Report before = lint(ctx);
        if (before.violations().isEmpty()) {
            ctx.rulesCleanAt(commits);
            return new JobReport("rules", 0, aged, copies + "0 files repaired; lint: clean");
        }
        JobReport r = repair(ctx);
        if (r.changes() > 0) {
            // A repair that cut files made copies this run's scan did not see.
            ctx.orphansDueMillis(Long.MIN_VALUE);
        }
        return new JobReport(r.job(), r.fetches(), r.changes() + aged, copies + r.detail());
    }

    /**
     * Orphan copies older than {@code orphan-aging-ms} go: the files that hold copies are found
     * without holding the tree (a file with copies holds more than one {@code <distree}, which a
     * byte scan finds without parsing the rest), and {@link LocalTree#dropOrphans} checks each
     * again under the tree's monitor. Remembers when the next copy ages out, so that a run with
     * no commit since a clean check looks again only then. Returns the files rewritten.
     */
    private static int expireOrphans(Context ctx) throws IOException {
        LocalTree tree = ctx.tree();
        NodeStore store = tree.store();
        long aging = ctx.config().orphanAging().toMillis();
        long now = ctx.nowMillis();
        long due = Long.MAX_VALUE;
        List<String> expired = new ArrayList<>();
        for (String name : store.nodeNames()) {
            NodeFile f;
            try {
                if (!holdsCopies(store.readBytes(name))) {
                    continue;
                }
                f = store.read(name);
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // removed by a write since the listing
            } catch (org.distree.html.NodeFormatException e) {
                continue; // the lint reports it
            }
            for (Node o : f.orphans()) {
                long at = o.updated().toEpochMilli() + aging;
                if (at <= now) {
                    expired.add(name);
                } else {
                    due = Math.min(due, at);
                }
            }
        }
        int files = expired.isEmpty()
                ? 0
                : tree.dropOrphans(expired, Instant.ofEpochMilli(now - aging));
        ctx.orphansDueMillis(due);
        return files;
    }

    private static final byte[] DISTREE = "<distree".getBytes(StandardCharsets.US_ASCII);

    /** True when the file's bytes hold a second {@code <distree}: an orphan copy. */
    static boolean holdsCopies(byte[] bytes) {
        int found = 0;
        outer:
        for (int i = 0; i + DISTREE.length <= bytes.length; i++) {
            for (int j = 0; j < DISTREE.length; j++) {
                if (bytes[i + j] != DISTREE[j]) {
                    continue outer;
                }
            }
            if (++found == 2) {
                return true;
            }
        }
        return false;
    }

    /** Lints the folder, and sets when the next lint may start. */
    private static Linter.Report lint(Context ctx) throws IOException {
        NodeStore store = ctx.tree().store();
        long start = System.nanoTime();
        Linter.Report r = Linter.lintFolder(new FileSource(), store.dir(), store.nodeNames());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        ctx.rulesNextLint(ctx.nowMillis() + (LINT_SHARE - 1) * tookMillis);
        return r;
    }

    private static JobReport repair(Context ctx) throws IOException {
        LocalTree tree = ctx.tree();
        int repaired;
        int reattached = 0;
        int removed = 0;
        synchronized (tree) {
            repaired = tree.repair();
            NodeStore store = tree.store();
            java.util.Set<String> reached = new java.util.HashSet<>();
            for (LocalNodes.Local l : LocalNodes.list(tree)) {
                reached.add(l.name());
            }
            List<String> stray = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            for (String name : store.nodeNames()) {
                if (reached.contains(name)) {
                    continue;
                }
                stray.add(name);
                try {
                    Node n = store.read(name).node();
                    entries.addAll(n.entries());
                } catch (IOException | org.distree.html.NodeFormatException | RuntimeException e) {
                    // Unreadable: nothing can be saved from it.
                }
            }
            if (!entries.isEmpty()) {
                // Path to root: the entries go back under the root. An entry already there (by
                // key and link) is the one the tree reaches, and stays.
                java.util.Set<org.distree.model.Bound> have = new java.util.HashSet<>();
                for (LocalNodes.Local l : LocalNodes.list(tree)) {
                    l.node().entries().forEach(e -> have.add(e.position()));
                }
                List<Entry> missing = entries.stream()
                        .filter(e -> !have.contains(e.position()))
                        .distinct()
                        .toList();
                tree.insert(missing);
                reattached = missing.size();
            }
            if (!stray.isEmpty()) {
                NodeStore.Transaction txn = store.begin();
                stray.forEach(txn::delete);
                txn.commit();
                removed = stray.size();
            }
        }
        long commits = tree.store().commits();
        List<Violation> v = lint(ctx).violations();
        if (v.isEmpty()) {
            ctx.rulesCleanAt(commits);
        }
        return new JobReport(
                "rules",
                0,
                repaired + removed,
                String.format(
                        Locale.ROOT,
                        "%d files repaired, %d unreachable files removed (%d entries put back);"
                                + " lint: %s",
                        repaired,
                        removed,
                        reattached,
                        v.isEmpty() ? "clean" : v.size() + " problems, first " + v.get(0)));
    }
}
