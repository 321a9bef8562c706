package org.distree.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distree demo}: the quick start. Builds a tree from the embedded sample (the chemical
 * elements), checks it, and searches it, printing each command as a user would type it. With
 * {@code --site}, indexes the embedded site sample (the PostgreSQL tutorial) instead, ready to
 * serve with any static server and search in a browser.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Build, check and search a sample tree (the chemical elements), showing"
                    + " each command.",
            "With --site: index a sample site (the PostgreSQL tutorial) with a search page for"
                    + " the browser."
        })
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "samples/entries.tsv";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final String SITE_SAMPLE = "samples/pg-tutorial/site/";

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where to build the sample tree (default: demo-tree, or demo-site with"
                    + " --site); replaced.")
    @Nullable
    Path out;

    @Option(
            names = "--site",
            description = "Index the sample site (25 pages of the PostgreSQL"
                    + " tutorial) and search it.")
    boolean site;

    @Override
    public Integer call() throws Exception {
        if (site) {
            return siteDemo(out != null ? out : Path.of("demo-site"));
        }
        if (out == null) {
            out = Path.of("demo-tree");
        }
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
                String shown = String.join(" ", step)
                        .replace(input.toString(), "sample-trees/elements/entries.tsv");
                err.println();
                err.println("$ distree " + shown);
                err.flush();
                int code = Distree.execute(
                        step.toArray(String[]::new), spec.commandLine().getOut(), err);
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

    private int siteDemo(Path dir) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path pages = Files.createTempDirectory("distree-demo-site-");
        try {
            String list;
            try (InputStream in = DemoCommand.class.getResourceAsStream(SITE_SAMPLE + "PAGES")) {
                if (in == null) {
                    throw UserException.failure(
                            "the embedded site sample is missing from this" + " build");
                }
                list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            for (String name : list.lines().toList()) {
                if (name.isBlank() || name.contains("/") || name.startsWith(".")) {
                    continue;
                }
                try (InputStream in =
                        DemoCommand.class.getResourceAsStream(SITE_SAMPLE + name.strip())) {
                    if (in != null) {
                        Files.copy(
                                in,
                                pages.resolve(name.strip()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            String d = dir.toString();
            List<List<String>> steps = List.of(
                    List.of(
                            "index-site",
                            pages.toString(),
                            "--base-url",
                            "https://www.postgresql.org/docs/15/",
                            "--out",
                            d),
                    List.of("lint", d),
                    List.of("search", d, "join", "--limit", "5"),
                    List.of("search", d, "--prefix", "window", "--limit", "5"));
            for (List<String> step : steps) {
                err.println();
                err.println("$ distree "
                        + String.join(" ", step)
                                .replace(pages.toString(), "sample-trees/pg-tutorial/site"));
                err.flush();
                int code = Distree.execute(
                        step.toArray(String[]::new), spec.commandLine().getOut(), err);
                if (code != Distree.EXIT_OK) {
                    return code;
                }
            }
            err.println();
            err.println("The site's index is in " + d + "/. Serve that folder with any static"
                    + " server, for example");
            err.println("  python3 -m http.server -d " + d + " 8000");
            err.println("and open http://localhost:8000/search.html to search as you type, or"
                    + " http://localhost:8000/ to browse by hand.");
            return Distree.EXIT_OK;
        } finally {
            OutputFolder.deleteTree(pages);
        }
    }
}
