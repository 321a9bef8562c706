package org.distree.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.crawl.HttpNodeSource;
import org.distree.query.FileSource;
import org.distree.rules.Linter;
import org.distree.rules.Violation;
import org.distree.store.NodeStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distree lint}: check a tree against every rule of docs/FORMAT.md. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Check a tree against every rule of the format, from its root down.",
            "Prints one line per finding, 'file#fragment: rule: details', and exits 1 if any."
        })
final class LintCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description = "A tree folder, a root or entry page file, or an http(s) URL.")
    String target;

    @Override
    public Integer call() throws Exception {
        Linter.Report report = lint(target);
        PrintWriter out = spec.commandLine().getOut();
        for (Violation v : report.violations()) {
            out.println(v);
        }
        out.flush();
        Linter.Stats s = report.stats();
        spec.commandLine()
                .getErr()
                .println(String.format(
                        Locale.ROOT,
                        "%s: %,d node%s, %,d entries, height %d: %s",
                        target,
                        s.nodes(),
                        s.nodes() == 1 ? "" : "s",
                        s.entries(),
                        s.height(),
                        report.clean()
                                ? "no rule broken"
                                : report.violations().size() + " finding"
                                        + (report.violations().size() == 1 ? "" : "s")));
        return report.clean() ? Distree.EXIT_OK : Distree.EXIT_FAILURE;
    }

    /** Lints a folder (with the unreachable-file check) or a file. */
    static Linter.Report lint(String target) throws java.io.IOException {
        URI start = Targets.start(target);
        if (!"file".equalsIgnoreCase(start.getScheme())) {
            // Over http the walk follows the tree's own (relative) links, fetched one at a time
            // with the crawler's limits; files the root does not reach cannot be listed.
            try (HttpNodeSource source = new HttpNodeSource()) {
                return Linter.lint(source, start, Targets.base(start), false, null);
            }
        }
        Path p = Path.of(target);
        if (Files.isDirectory(p)) {
            java.util.List<String> names = new java.util.ArrayList<>();
            Path nodes = p.resolve(NodeStore.NODE_DIR);
            if (Files.isDirectory(nodes)) {
                try (var s = Files.list(nodes)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".html"))
                            .forEach(f -> names.add(NodeStore.NODE_DIR + "/" + f.getFileName()));
                }
            }
            names.sort(null);
            // Files are read and parsed ahead of the walk on every processor.
            return Linter.lintFolder(
                    new FileSource(), p, names, Runtime.getRuntime().availableProcessors());
        }
        return Linter.lint(new FileSource(), start, Targets.base(start), false, null);
    }
}
