package org.distree.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distree demo}: the quick start. Builds a tree from the embedded sample (the chemical
 * elements), checks it, and searches it, printing each command as a user would type it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Build, check and search a sample tree (the chemical elements), showing"
                + " each command.")
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "samples/entries.tsv";

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-tree", paramLabel = "DIR",
            description = "Where to build the sample tree (default: ${DEFAULT-VALUE}); replaced.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path input = Files.createTempFile("distree-demo-", ".tsv");
        try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw UserException.failure("the embedded sample is missing from this build");
            }
            Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
            String dir = out.toString();
            List<List<String>> steps = List.of(
                    List.of("build", "--in", input.toString(), "--out", dir, "--force"),
                    List.of("stats", dir),
                    List.of("lint", dir),
                    List.of("search", dir, "gold"),
                    List.of("search", dir, "noble"),
                    List.of("search", dir, "--prefix", "ne"),
                    List.of("search", dir, "--range", "80..83"));
            for (List<String> step : steps) {
                String shown = String.join(" ", step).replace(input.toString(),
                        "sample-trees/elements/entries.tsv");
                err.println();
                err.println("$ distree " + shown);
                err.flush();
                int code = Distree.execute(step.toArray(String[]::new), spec.commandLine()
                        .getOut(), err);
                if (code != Distree.EXIT_OK) {
                    return code;
                }
            }
            err.println();
            err.println("The tree is in " + dir + "/: open " + dir + "/index.html in a browser"
                    + " and follow the links, or try 'distree search " + dir + " KEY'.");
            return Distree.EXIT_OK;
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
