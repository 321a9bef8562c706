package org.distree.sim.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    @TempDir
    Path tmp;

    @Test
    void runsWithNoDisplay() {
        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
    }

    @Test
    void everyChartIsAPngOfTheSizeAsked() throws Exception {
        List<Plots.Run> rings = rings();
        List<Plots.Run> stops = stops();
        List<Plots.Run> storage = List.of(
                new Plots.Run(CsvTable.read(Runs.storage(tmp.resolve("st-10.csv"), 3, 4, 5)), ""),
                new Plots.Run(CsvTable.read(Runs.storage(tmp.resolve("st-20.csv"), 3.5, 4.2)), ""));
        Path out = tmp.resolve("charts");
        Plots.Size size = Plots.Size.DEFAULT;
        Plots.recall(rings, size, out.resolve("recall.png"));
        Plots.rounds(rings, Plots.DEFAULT_THRESHOLD, size, out.resolve("rounds.png"));
        Plots.fetches(rings, size, out.resolve("fetches.png"));
        Plots.down(stops, Plots.DEFAULT_REPLICAS, size, out.resolve("down.png"));
        Plots.storage(storage, Plots.DEFAULT_BIN, new Plots.Size(640, 480), out.resolve("st.png"));

        for (String name : List.of("recall", "rounds", "fetches", "down")) {
            BufferedImage image = png(out.resolve(name + ".png"));
            assertThat(image.getWidth()).as(name).isEqualTo(800);
            assertThat(image.getHeight()).as(name).isEqualTo(600);
            assertThat(colours(image)).as(name + " is more than a blank page").isGreaterThan(20);
        }
        BufferedImage st = png(out.resolve("st.png"));
        assertThat(st.getWidth()).isEqualTo(640);
        assertThat(st.getHeight()).isEqualTo(480);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder(
                            "recall.png", "rounds.png", "fetches.png", "down.png", "st.png");
        }
    }

    @Test
    void aChartReplacesAnOldOneAndItsFileIsNotPrivate() throws Exception {
        Path png = tmp.resolve("recall.png");
        Files.writeString(png, "old");
        Plots.recall(rings(), new Plots.Size(300, 200), png);
        assertThat(png(png).getWidth()).isEqualTo(300);
        assertThat(Files.getPosixFilePermissions(png).stream().map(Enum::name))
                .contains("GROUP_READ", "OTHERS_READ");
    }

    @Test
    void theRecallChartHasALinePerFileByRound() throws Exception {
        XYChart chart = Plots.recallChart(rings(), Plots.Size.DEFAULT);
        assertThat(chart.getSeriesMap()).containsOnlyKeys("ring-10", "ring-20", "big ring");
        XYSeries ten = chart.getSeriesMap().get("ring-10");
        assertThat(ten.getXData()).containsExactly(0, 1, 2, 3);
        assertThat(ten.getYData()).containsExactly(0.1, 0.6, 0.999, 1);
        assertThat(chart.getWidth()).isEqualTo(800);
    }

    @Test
    void theRoundsChartPutsEachRingAtItsMachinesBesideTwoLog2N() throws Exception {
        List<Plots.Run> runs = new ArrayList<>(rings());
        runs.add(new Plots.Run(
                CsvTable.read(Runs.recalls(tmp.resolve("slow.csv"), 100, 0.1, 0.5, 0.9)), ""));
        XYChart chart = Plots.roundsChart(runs, 0.999, Plots.Size.DEFAULT);
        assertThat(chart.getTitle()).isEqualTo("Rounds to full recall (min_recall \u2265 0.999)");
        assertThat(chart.getSeriesMap())
                .containsOnlyKeys(
                        "measured",
                        "big ring: measured",
                        "not reached (rounds run)",
                        "target: 2 log2(machines)");
        XYSeries measured = chart.getSeriesMap().get("measured");
        assertThat(measured.getXData()).containsExactly(10, 20);
        assertThat(measured.getYData()).as("0.999 at round 2, then 4").containsExactly(2, 4);
        assertThat(chart.getSeriesMap().get("big ring: measured").getYData()).containsExactly(6);
        XYSeries not = chart.getSeriesMap().get("not reached (rounds run)");
        assertThat(not.getXData()).containsExactly(100);
        assertThat(not.getYData()).containsExactly(2);
        XYSeries target = chart.getSeriesMap().get("target: 2 log2(machines)");
        double[] x = target.getXData();
        assertThat(x[0]).isEqualTo(10);
        assertThat(x[x.length - 1]).isCloseTo(100, within(1e-9));
        assertThat(target.getYData()[x.length - 1]).isCloseTo(13.288, within(1e-3));

        XYChart strict = Plots.roundsChart(rings(), 1, Plots.Size.DEFAULT);
        assertThat(strict.getSeriesMap().get("measured").getYData()).containsExactly(3, 5);
    }

    @Test
    void theFetchesChartTakesEachRunsLastRoundBesideTheTargets() throws Exception {
        XYChart chart = Plots.fetchesChart(rings(), Plots.Size.DEFAULT);
        assertThat(chart.getSeriesMap())
                .containsOnlyKeys(
                        "median",
                        "99th percentile",
                        "big ring: median",
                        "big ring: 99th percentile",
                        "target: median \u2264 6",
                        "target: p99 \u2264 12");
        assertThat(chart.getSeriesMap().get("median").getXData()).containsExactly(10, 20);
        assertThat(chart.getSeriesMap().get("median").getYData()).containsExactly(4, 4);
        assertThat(chart.getSeriesMap().get("99th percentile").getYData()).containsExactly(6, 6);
        assertThat(chart.getSeriesMap().get("target: p99 \u2264 12").getYData())
                .containsExactly(12, 12);
        assertThat(chart.getSeriesMap().get("target: p99 \u2264 12").getXData())
                .containsExactly(10, 50);
    }

    @Test
    void theDownChartSetsRecallBeforeRepairBesideOneMinusFToTheR() throws Exception {
        XYChart chart = Plots.downChart(stops(), 3, Plots.Size.DEFAULT);
        XYSeries live = chart.getSeriesMap().get("before any repair: live entries");
        assertThat(live.getXData()).containsExactly(0.1, 0.3);
        assertThat(live.getYData()).containsExactly(0.995, 0.968);
        assertThat(chart.getSeriesMap()
                        .get("before any repair: every machine's own entries")
                        .getYData())
                .containsExactly(0.99, 0.961);
        assertThat(chart.getSeriesMap()
                        .get("last round of the run: live entries")
                        .getYData())
                .containsExactly(1, 0.9993);
        XYSeries bound = chart.getSeriesMap().get("1 - f^3 (3 independent holders)");
        assertThat(bound.getXData()[0]).isZero();
        assertThat(bound.getXData()[100]).isEqualTo(0.5);
        assertThat(bound.getYData()[60]).as("f = 0.3").isCloseTo(0.973, within(1e-9));
        assertThat(Plots.downChart(stops(), 2, Plots.Size.DEFAULT).getSeriesMap())
                .containsKey("1 - f^2 (2 independent holders)");
    }

    @Test
    void theStorageChartIsAHistogramInPercentOfMachines() throws Exception {
        List<Plots.Run> runs = List.of(
                new Plots.Run(
                        CsvTable.read(Runs.storage(tmp.resolve("a.csv"), 1, 1.2, 3.9, 4)), ""),
                new Plots.Run(CsvTable.read(Runs.storage(tmp.resolve("b.csv"), 0.2)), "one"));
        CategoryChart chart = Plots.storageChart(runs, 1, Plots.Size.DEFAULT);
        assertThat(chart.getSeriesMap())
                .containsOnlyKeys(
                        "a (4 machines; mean 2.53, max 4.00)",
                        "one (1 machine; mean 0.20, max 0.20)");
        CategorySeries a = chart.getSeriesMap().get("a (4 machines; mean 2.53, max 4.00)");
        assertThat(new ArrayList<Object>(a.getXData()))
                .containsExactly("0\u20131", "1\u20132", "2\u20133", "3\u20134", "4\u20135");
        assertThat(a.getYData().stream().map(Number::doubleValue).toList())
                .containsExactly(0.0, 50.0, 0.0, 25.0, 25.0);
        CategorySeries one = chart.getSeriesMap().get("one (1 machine; mean 0.20, max 0.20)");
        assertThat(one.getYData().stream().map(Number::doubleValue).toList())
                .as("the same bars for every file")
                .containsExactly(100.0, 0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void refusesWhatItCannotDrawWithOneClearMessage() throws Exception {
        Path png = tmp.resolve("x.png");
        assertThatThrownBy(() -> Plots.recall(List.of(), Plots.Size.DEFAULT, png))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no CSV file to plot");
        Path a = Runs.recalls(Files.createDirectories(tmp.resolve("a")).resolve("run.csv"), 5, 1);
        Path b = Runs.recalls(Files.createDirectories(tmp.resolve("b")).resolve("run.csv"), 5, 1);
        List<Plots.Run> same =
                List.of(new Plots.Run(CsvTable.read(a), ""), new Plots.Run(CsvTable.read(b), ""));
        assertThatThrownBy(() -> Plots.recall(same, Plots.Size.DEFAULT, png))
                .hasMessage("two files are both called run (" + a + " and " + b
                        + "): give each a label");
        assertThatThrownBy(() -> Plots.rounds(rings(), 0, Plots.Size.DEFAULT, png))
                .hasMessage("threshold 0.0 is outside 0 to 1");
        assertThatThrownBy(() -> Plots.down(stops(), 0, Plots.Size.DEFAULT, png))
                .hasMessage("0 replicas is outside 1..16");
        assertThatThrownBy(() -> Plots.down(rings(), 3, Plots.Size.DEFAULT, png))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageEndingWith("ring-10.csv: no round stopped machines"
                        + " (before_repair_min_recall is empty): run distree simulate with"
                        + " --stop-fraction");
        assertThatThrownBy(() -> Plots.storage(rings(), 0.5, Plots.Size.DEFAULT, png))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageEndingWith("ring-10.csv: no column share: distree plot storage takes"
                        + " the CSV of distree simulate --storage-csv");
        Path st10 = Runs.storage(tmp.resolve("st-10.csv"), 1);
        assertThatThrownBy(() -> Plots.rounds(
                        List.of(new Plots.Run(CsvTable.read(st10), "")),
                        0.999,
                        Plots.Size.DEFAULT,
                        png))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(st10 + ": no column round: this chart takes the CSV of distree"
                        + " simulate --csv");
        Path st = Runs.storage(tmp.resolve("st.csv"), 1);
        List<Plots.Run> twice = List.of(
                new Plots.Run(CsvTable.read(st), "x"), new Plots.Run(CsvTable.read(st), "x"));
        assertThatThrownBy(() -> Plots.storage(twice, 0.5, Plots.Size.DEFAULT, png))
                .hasMessage("two files have the same name: give each a label");
        assertThatThrownBy(() -> new Plots.Size(100, 600))
                .hasMessage("width 100 is outside 200..8,000 pixels");
        assertThatThrownBy(() -> new Plots.Size(800, 9000))
                .hasMessage("height 9,000 is outside 200..8,000 pixels");
        assertThat(png).doesNotExist();
    }

    /** Rings of 10 and 20 machines (no label) and 50 ("big ring"), each at full recall. */
    private List<Plots.Run> rings() throws IOException {
        return List.of(
                new Plots.Run(
                        CsvTable.read(
                                Runs.recalls(tmp.resolve("ring-10.csv"), 10, 0.1, 0.6, 0.999, 1)),
                        ""),
                new Plots.Run(
                        CsvTable.read(Runs.recalls(
                                tmp.resolve("ring-20.csv"), 20, 0.05, 0.3, 0.6, 0.9, 0.9995, 1)),
                        ""),
                new Plots.Run(
                        CsvTable.read(Runs.recalls(
                                tmp.resolve("ring-50.csv"), 50, 0, 0.1, 0.2, 0.4, 0.8, 0.99, 1)),
                        "big ring"));
    }

    /** 20 machines with 10% stopped, and with 30%. */
    private List<Plots.Run> stops() throws IOException {
        return List.of(
                new Plots.Run(
                        CsvTable.read(
                                Runs.stop(tmp.resolve("stop-30.csv"), 20, 6, 0.968, 0.961, 0.9993)),
                        ""),
                new Plots.Run(
                        CsvTable.read(Runs.stop(tmp.resolve("stop-10.csv"), 20, 2, 0.995, 0.99, 1)),
                        ""));
    }

    private static BufferedImage png(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(8)).as(file + " starts as a PNG").isEqualTo(PNG_SIGNATURE);
        }
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file + " is an image").isNotNull();
        return image;
    }

    /** The distinct colours of an image. */
    private static long colours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
                .distinct()
                .count();
    }
}
