package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distree plot} on the CSV files that {@code distree simulate} wrote: small rings, run
 * once for the class (a ring of 3 to full recall, a ring of 4 with a machine stopped).
 */
class PlotCommandTest {
    @TempDir
    static Path runs;

    @TempDir
    Path tmp;

    static Path three;
    static Path stop;
    static Path storage;

    @BeforeAll
    static void simulate() {
        three = runs.resolve("ring-3.csv");
        storage = runs.resolve("storage-3.csv");
        stop = runs.resolve("stop.csv");
        Cli full = Cli.run(
                "simulate",
                "--machines",
                "3",
                "--entries-per-machine",
                "10",
                "--rounds",
                "6",
                "--seed",
                "3",
                "--lookups",
                "3",
                "--threads",
                "2",
                "--until-full",
                "--set",
                "positions=4",
                "--dir",
                runs.toString(),
                "--csv",
                three.toString(),
                "--storage-csv",
                storage.toString());
        assertThat(full.code()).as(full.err()).isZero();
        Cli stopped = Cli.run(
                "simulate",
                "--machines",
                "4",
                "--entries-per-machine",
                "10",
                "--rounds",
                "3",
                "--seed",
                "4",
                "--lookups",
                "3",
                "--threads",
                "2",
                "--stop-fraction",
                "0.25",
                "--stop-at",
                "2",
                "--dir",
                runs.toString(),
                "--csv",
                stop.toString());
        assertThat(stopped.code()).as(stopped.err()).isZero();
    }

    @Test
    void drawsEveryKindFromWhatSimulateWrote() throws Exception {
        for (List<String> args : List.of(
                List.of("recall", three.toString(), stop.toString()),
                List.of("rounds", three.toString(), "--threshold", "1"),
                List.of("fetches", three.toString(), stop.toString()),
                List.of("down", stop.toString(), "--replicas", "2"),
                List.of("storage", storage.toString(), "--bin", "0.25"))) {
            Path png = tmp.resolve("charts").resolve(args.get(0) + ".png");
            Cli c = Cli.run(cat("plot", args, "--out", png.toString()));
            assertThat(c.code()).as(c.err()).isZero();
            long files = args.stream().filter(a -> a.endsWith(".csv")).count();
            assertThat(c.out())
                    .isEqualTo("wrote " + png + " (800 x 600 pixels, " + files + " file"
                            + (files == 1 ? "" : "s") + ")\n");
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png + " is a PNG").isNotNull();
            assertThat(image.getWidth()).isEqualTo(800);
            assertThat(image.getHeight()).isEqualTo(600);
        }
    }

    @Test
    void takesASizeAndLabels() throws Exception {
        Path png = tmp.resolve("small.png");
        Cli c = Cli.run(
                "plot",
                "recall",
                three.toString(),
                stop.toString(),
                "--label",
                "a",
                "--label",
                "b",
                "--width",
                "400",
                "--height",
                "300",
                "-o",
                png.toString());
        assertThat(c.code()).as(c.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isEqualTo(300);
    }

    @Test
    void aBadCsvIsOneLineNamingTheFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        List<String> lines = Files.readAllLines(three, StandardCharsets.UTF_8);
        Files.write(
                bad,
                List.of(lines.get(0), lines.get(1), lines.get(2).replaceFirst(",[^,]*,", ",x,")),
                StandardCharsets.UTF_8);
        Path png = tmp.resolve("bad.png");
        Cli c = Cli.run("plot", "recall", three.toString(), bad.toString(), "-o", png.toString());
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err())
                .isEqualTo("distree: " + bad + ":3: min_recall is \"x\", not a number\n");
        assertThat(png).doesNotExist();

        Cli missing = Cli.run("plot", "rounds", tmp.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err())
                .isEqualTo("distree: no such file: " + tmp.resolve("nope.csv") + "\n");

        Cli noStop = Cli.run("plot", "down", three.toString(), "-o", png.toString());
        assertThat(noStop.code()).isEqualTo(1);
        assertThat(noStop.err())
                .isEqualTo("distree: " + three + ": no round stopped machines"
                        + " (before_repair_min_recall is empty): run distree simulate with"
                        + " --stop-fraction\n");

        Cli notStorage = Cli.run("plot", "storage", three.toString(), "-o", png.toString());
        assertThat(notStorage.code()).isEqualTo(1);
        assertThat(notStorage.err())
                .isEqualTo("distree: " + three + ": no column share: distree plot storage takes"
                        + " the CSV of distree simulate --storage-csv\n");
        Cli notRounds = Cli.run("plot", "fetches", storage.toString(), "-o", png.toString());
        assertThat(notRounds.code()).isEqualTo(1);
        assertThat(notRounds.err())
                .isEqualTo("distree: " + storage + ": no column round: this chart takes the CSV"
                        + " of distree simulate --csv\n");
        assertThat(png).doesNotExist();
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Cli noKind = Cli.run("plot");
        assertThat(noKind.code()).isEqualTo(2);
        assertThat(noKind.err()).startsWith("distree: a kind of chart is required: recall,");
        Cli noFile = Cli.run("plot", "recall");
        assertThat(noFile.code()).isEqualTo(2);
        Cli labels = Cli.run("plot", "recall", three.toString(), "--label", "a", "--label", "b");
        assertThat(labels.code()).isEqualTo(2);
        assertThat(labels.err())
                .isEqualTo("distree: 2 labels for 1 CSV files: give one --label per file, or"
                        + " none\n");
        Cli tiny = Cli.run("plot", "recall", three.toString(), "--width", "10");
        assertThat(tiny.code()).isEqualTo(2);
        assertThat(tiny.err()).isEqualTo("distree: width 10 is outside 200..8,000 pixels\n");
        Cli threshold = Cli.run(
                "plot",
                "rounds",
                three.toString(),
                "--threshold",
                "2",
                "-o",
                tmp.resolve("t.png").toString());
        assertThat(threshold.code()).isEqualTo(2);
        assertThat(threshold.err()).isEqualTo("distree: threshold 2.0 is outside 0 to 1\n");
    }

    @Test
    void helpStatesTheDefaults() {
        Cli plot = Cli.run("plot", "--help");
        assertThat(plot.code()).isZero();
        assertThat(words(plot.out()))
                .contains("800 x 600 pixels", "recall", "rounds", "fetches", "down", "storage");
        assertThat(words(Cli.run("plot", "rounds", "--help").out()))
                .contains(
                        "(default 0.999)",
                        "200 to 8000 (default 800)",
                        "(default 600)",
                        "Default: rounds.png in the current folder");
        assertThat(words(Cli.run("plot", "down", "--help").out()))
                .contains("(default 3, the ring's replicas)");
        assertThat(words(Cli.run("plot", "storage", "--help").out()))
                .contains("(default 0.5; at most 200 bars)");
    }

    /** Help text with its lines joined, as one reads it. */
    private static String words(String text) {
        return text.replaceAll("\\s+", " ");
    }

    private static String[] cat(String first, List<String> middle, String... last) {
        return java.util.stream.Stream.of(List.of(first), middle, List.of(last))
                .flatMap(List::stream)
                .toArray(String[]::new);
    }
}
