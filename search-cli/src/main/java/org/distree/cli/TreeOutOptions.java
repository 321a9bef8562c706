package org.distree.cli;

import java.nio.file.Path;
import org.distree.rules.Budgets;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of the commands that build a whole tree ({@code build}, {@code index-warc}): where
 * it goes and how it is written, declared once and mixed into each ({@code @Mixin}).
 */
final class TreeOutOptions {
    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The folder for the tree; it must be empty or absent unless --force.")
    Path out;

    @Option(
            names = "--fill",
            defaultValue = "" + Budgets.BUILD_FILL,
            paramLabel = "SHARE",
            description = "How full to pack each 10 KB file, 0.5..1.0 (default: ${DEFAULT-VALUE}).")
    double fill;

    @Option(
            names = "--buffer-mb",
            paramLabel = "MB",
            description = "Memory for sorting before spilling to disk (default: a third of the"
                    + " Java heap, at most 256).")
    @Nullable
    Integer bufferMb;

    @Option(names = "--force", description = "Replace a tree already in --out.")
    boolean force;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress or summary on stderr.")
    boolean quiet;

    /** The settings of {@link TreeBuild#run} for these options. */
    TreeBuild.Settings settings(@Nullable String analyzer, boolean verbose, long total) {
        return new TreeBuild.Settings(
                out, out.toString(), force, fill, analyzer, bufferMb, quiet, verbose, total);
    }
}
