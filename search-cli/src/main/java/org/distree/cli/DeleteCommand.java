package org.distree.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.model.Bound;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distree delete}: remove entries from a tree on disk. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete the entry with KEY and LINK, or every entry with KEY, from DIR.")
final class DeleteCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The tree's folder.")
    Path dir;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    String key;

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "LINK",
            description = "The link; without it every entry with KEY goes.")
    @Nullable
    String link;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.exists(dir.resolve(NodeStore.INDEX))) {
            throw UserException.failure("no tree in " + dir);
        }
        try (LocalTree tree = LocalTree.open(dir)) {
            List<Bound> positions = new ArrayList<>();
            if (link != null) {
                positions.add(new Bound(key, link));
            } else {
                Walk.Result r = Walk.run(
                        new FileSource(),
                        tree.store().path(NodeStore.INDEX).toUri(),
                        Query.exact(key),
                        Walk.DEFAULT_MAX_NODES);
                for (Walk.Hit h : r.hits()) {
                    positions.add(h.entry().position());
                }
            }
            int before = (int) tree.root().size();
            tree.delete(positions);
            int removed = before - (int) tree.root().size();
            spec.commandLine()
                    .getErr()
                    .println(String.format(
                            Locale.ROOT,
                            "deleted %,d entr%s from %s",
                            removed,
                            removed == 1 ? "y" : "ies",
                            dir));
            return removed > 0 ? Distree.EXIT_OK : Distree.EXIT_FAILURE;
        }
    }
}
