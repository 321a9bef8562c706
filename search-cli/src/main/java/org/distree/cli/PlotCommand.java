package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.sim.plot.CsvTable;
import org.distree.sim.plot.Plots;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code distree plot KIND CSV... [--out FILE]}: a PNG chart of simulations, from the CSV files
 * of {@code distree simulate} ({@link Plots}). One subcommand a kind of chart; each reads its
 * files, draws and writes one PNG, and prints where.
 */
@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description = {
            "Draw a PNG chart of simulations from the CSV files of distree simulate: --csv for"
                    + " recall, rounds, fetches and down, --storage-csv for storage.",
            "Charts are 800 x 600 pixels unless --width and --height say otherwise, and are"
                    + " written to KIND.png in the current folder unless --out names a file."
                    + " No display is needed."
        },
        subcommands = {
            PlotCommand.Recall.class,
            PlotCommand.Rounds.class,
            PlotCommand.Fetches.class,
            PlotCommand.Down.class,
            PlotCommand.Storage.class
        })
final class PlotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a kind of chart is required: recall, rounds, fetches, down or storage");
    }

    /** What every kind of chart takes: the files, their labels, the size, the output. */
    abstract static class Chart implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(
                paramLabel = "CSV",
                arity = "1..*",
                description = "CSV files written by distree simulate.")
        List<Path> files = new ArrayList<>();

        @Option(
                names = "--label",
                paramLabel = "LABEL",
                description = "A label for each CSV, in the order given (repeat it once per file;"
                        + " all or none).")
        List<String> labels = new ArrayList<>();

        @Option(
                names = {"-o", "--out"},
                paramLabel = "FILE",
                description = "The PNG to write (replaced if there; its folder made if not)."
                        + " Default: ${COMMAND-NAME}.png in the current folder.")
        @Nullable
        Path out;

        @Option(
                names = "--width",
                paramLabel = "PIXELS",
                defaultValue = "" + Plots.DEFAULT_WIDTH,
                description = "The chart's width, " + Plots.MIN_SIDE + " to " + Plots.MAX_SIDE
                        + " (default ${DEFAULT-VALUE}).")
        int width;

        @Option(
                names = "--height",
                paramLabel = "PIXELS",
                defaultValue = "" + Plots.DEFAULT_HEIGHT,
                description = "The chart's height, " + Plots.MIN_SIDE + " to " + Plots.MAX_SIDE
                        + " (default ${DEFAULT-VALUE}).")
        int height;

        /** Draws the chart of {@code runs} into {@code png}. */
        abstract void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException;

        @Override
        public Integer call() throws IOException {
            if (!labels.isEmpty() && labels.size() != files.size()) {
                throw UserException.usage(labels.size() + " labels for " + files.size()
                        + " CSV files: give one --label per file, or none");
            }
            // An IllegalArgumentException (a size out of range) is a usage error.
            Plots.Size size = new Plots.Size(width, height);
            List<Plots.Run> runs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                runs.add(new Plots.Run(
                        CsvTable.read(files.get(i)), labels.isEmpty() ? "" : labels.get(i)));
            }
            Path png = out != null ? out : Path.of(spec.name() + ".png");
            draw(runs, size, png);
            PrintWriter o = spec.commandLine().getOut();
            o.println(String.format(
                    Locale.ROOT,
                    "wrote %s (%d x %d pixels, %d file%s)",
                    png,
                    width,
                    height,
                    runs.size(),
                    runs.size() == 1 ? "" : "s"));
            o.flush();
            return Distree.EXIT_OK;
        }
    }

    @Command(
            name = "recall",
            mixinStandardHelpOptions = true,
            description = "min_recall (the smallest share of the live entries found from a"
                    + " sampled root) by round: a line per CSV, named by its --label or its file"
                    + " name without the extension.")
    static final class Recall extends Chart {
        @Override
        void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException {
            Plots.recall(runs, size, png);
        }
    }

    @Command(
            name = "rounds",
            mixinStandardHelpOptions = true,
            description = "Rounds to full recall (the first round whose min_recall reaches"
                    + " --threshold) against machines (those running at round 0), log scale,"
                    + " beside the target 2 log2(machines). A run that never reached it is drawn"
                    + " apart, at its last round. Files with the same --label make one series.")
    static final class Rounds extends Chart {
        @Option(
                names = "--threshold",
                paramLabel = "RECALL",
                defaultValue = "" + Plots.DEFAULT_THRESHOLD,
                description = "The recall that counts as full, above 0 to 1 (default"
                        + " ${DEFAULT-VALUE}).")
        double threshold;

        @Override
        void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException {
            Plots.rounds(runs, threshold, size, png);
        }
    }

    @Command(
            name = "fetches",
            mixinStandardHelpOptions = true,
            description = "Node files an exact lookup fetched, median and 99th percentile, in"
                    + " each CSV's last round, against machines (those running at round 0), log"
                    + " scale, beside the targets 6 and 12. Files with the same --label make one"
                    + " series.")
    static final class Fetches extends Chart {
        @Override
        void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException {
            Plots.fetches(runs, size, png);
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Recall right after a stop, before any repair (distree simulate"
                    + " --stop-fraction; the CSV columns before_repair_min_recall and"
                    + " before_repair_min_recall_all), against the share of the machines"
                    + " stopped, beside 1 - f^r (what r independent holders of each key allow),"
                    + " and the recall in each CSV's last round. Files with the same --label make"
                    + " one series.")
    static final class Down extends Chart {
        @Option(
                names = "--replicas",
                paramLabel = "R",
                defaultValue = "" + Plots.DEFAULT_REPLICAS,
                description = "The holders of each key, r in 1 - f^r, 1 to 16 (default"
                        + " ${DEFAULT-VALUE}, the ring's replicas).")
        int replicas;

        @Override
        void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException {
            Plots.down(runs, replicas, size, png);
        }
    }

    @Command(
            name = "storage",
            mixinStandardHelpOptions = true,
            description = "The distribution of the entries stored per machine, in shares of an"
                    + " even load (live entries over running machines), as bars of the share of"
                    + " machines, from CSV files of distree simulate --storage-csv: a series per"
                    + " file, named by its --label or its file name without the extension.")
    static final class Storage extends Chart {
        @Option(
                names = "--bin",
                paramLabel = "SHARES",
                defaultValue = "" + Plots.DEFAULT_BIN,
                description = "The width of a bar, in shares (default ${DEFAULT-VALUE}; at most "
                        + Plots.MAX_BINS + " bars).")
        double bin;

        @Override
        void draw(List<Plots.Run> runs, Plots.Size size, Path png) throws IOException {
            Plots.storage(runs, bin, size, png);
        }
    }
}
