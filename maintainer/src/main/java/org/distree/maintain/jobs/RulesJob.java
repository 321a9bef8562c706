package org.distree.maintain.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.JobReport;
import org.distree.model.Entry;
import org.distree.model.Node;
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
 * something. A run when no transaction has been committed since the last clean lint does
 * nothing at all. The lint reads every file: about half a millisecond a file, so on a tree of
 * 16,000 files a run costs some seconds of one core, none of them blocking writes. So that a
 * daemon under a steady stream of writes does not spend a core on it, a lint is deferred until
 * {@value #LINT_SHARE} times its last duration has passed since it ended: at most about one
 * part in {@value #LINT_SHARE} of the time goes to linting. The tree's own writes keep every
 * rule; the lint is there for what they cannot see (a file changed or damaged outside the
 * store, a bug).
 */
public final class RulesJob {
    /** The least ratio of the time between two lints to the last lint's duration: 20. */
    static final int LINT_SHARE = 20;

    private RulesJob() {}

    public static JobReport run(Context ctx) throws IOException {
        NodeStore store = ctx.tree().store();
        long commits = store.commits();
        if (commits == ctx.rulesCleanAt()) {
            return new JobReport("rules", 0, 0, "no change since the last clean check");
        }
        long now = ctx.nowMillis();
        if (now < ctx.rulesNextLint()) {
            return new JobReport("rules", 0, 0, String.format(Locale.ROOT,
                    "lint deferred for %,d ms (at most 1/%d of the time goes to linting)",
                    ctx.rulesNextLint() - now, LINT_SHARE));
        }
        Linter.Report before = lint(ctx);
        if (before.violations().isEmpty()) {
            ctx.rulesCleanAt(commits);
            return new JobReport("rules", 0, 0, "0 files repaired; lint: clean");
        }
        return repair(ctx);
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
                } catch (IOException | org.distree.html.NodeFormatException
                        | RuntimeException e) {
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
                        .filter(e -> !have.contains(e.position())).distinct().toList();
                tree.insert(missing);
                reattached = missing.size();
            }
            if (!stray.isEmpty()) {
                NodeStore.Transaction txn = store.begin();
                stray.forEach(txn::delete);
                txn.commit();
                removed = stray.size();
            }
            store.flush();
        }
        long commits = tree.store().commits();
        List<Violation> v = lint(ctx).violations();
        if (v.isEmpty()) {
            ctx.rulesCleanAt(commits);
        }
        return new JobReport("rules", 0, repaired + removed, String.format(Locale.ROOT,
                "%d files repaired, %d unreachable files removed (%d entries put back);"
                        + " lint: %s", repaired, removed, reattached,
                v.isEmpty() ? "clean" : v.size() + " problems, first " + v.get(0)));
    }
}
