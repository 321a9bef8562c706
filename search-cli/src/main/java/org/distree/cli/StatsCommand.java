package org.distree.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.rules.Linter;
import org.distree.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distree stats}: the shape of a tree. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Show a tree's entries, nodes, height, largest file, fill and fanout.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PATH",
            description = "A tree folder, or a root or entry page file.")
    String target;

    @Override
    public Integer call() throws Exception {
        Linter.Report report = LintCommand.lint(target);
        Linter.Stats s = report.stats();
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "entries        %,d", s.entries()));
        out.println(String.format(
                Locale.ROOT,
                "nodes          %,d (%,d leaves, %,d internal)",
                s.nodes(),
                s.leaves(),
                s.nodes() - s.leaves()));
        out.println(String.format(Locale.ROOT, "height         %d", s.height()));
        out.println(String.format(Locale.ROOT, "bytes          %,d", s.totalBytes()));
        out.println(String.format(
                Locale.ROOT,
                "largest file   %,d bytes (%s), limit %,d",
                s.largestFile(),
                s.largestFileName(),
                Rules.MAX_FILE_BYTES));
        out.println(String.format(
                Locale.ROOT,
                "fill           %.1f%% of %,d bytes on average",
                100 * s.fill(),
                Rules.MAX_FILE_BYTES));
        out.println(String.format(
                Locale.ROOT, "fanout         %.1f children per internal node", s.fanout()));
        out.println(String.format(Locale.ROOT, "remote links   %,d", s.remoteChildren()));
        out.println(String.format(
                Locale.ROOT,
                "rules          %s",
                report.clean()
                        ? "all kept (distree lint finds nothing)"
                        : report.violations().size() + " broken; run distree lint"));
        out.flush();
        return Distree.EXIT_OK;
    }
}
