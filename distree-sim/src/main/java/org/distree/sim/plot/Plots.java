package org.distree.sim.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of simulations, each drawn from CSV files of {@code distree simulate} and written as
 * a PNG image ({@link #DEFAULT_WIDTH} by {@link #DEFAULT_HEIGHT} pixels unless told):
 *
 * <ul>
 *   <li>{@link #recall}: {@code min_recall} by round, a line per file;
 *   <li>{@link #rounds}: the first round whose {@code min_recall} reaches a threshold against the
 *       machines (log scale), beside issue 13's target {@code 2 log2(N)}; a run that never
 *       reached it is drawn apart, at the last round it ran;
 *   <li>{@link #fetches}: the median and the 99th percentile of the node files an exact lookup
 *       fetched, in each file's last round, against the machines (log scale), beside the targets
 *       6 and 12;
 *   <li>{@link #down}: the recall right after a stop, before any repair, against the share of
 *       the machines stopped, beside {@code 1 - f^r} (what {@code r} independent holders allow),
 *       and the recall in the file's last round;
 *   <li>{@link #storage}: the distribution of the entries stored per machine, in shares of an
 *       even load, from CSV files of {@code distree simulate --storage-csv}.
 * </ul>
 *
 * <p>Labels: in {@link #recall} and {@link #storage} each file is a series, named by its label or,
 * with none, by its file name without the extension. In {@link #rounds}, {@link #fetches} and
 * {@link #down} each file is a point, and the files with the same label make one series (with no
 * labels, one series of all the files).
 *
 * <p>Nothing here needs a display: the charts are drawn into an image in memory (AWT headless is
 * enough, and {@code distree} runs with {@code java.awt.headless=true}).
 */
public final class Plots {
    /** The width of a chart unless told: 800 pixels. */
    public static final int DEFAULT_WIDTH = 800;

    /** The height of a chart unless told: 600 pixels. */
    public static final int DEFAULT_HEIGHT = 600;

    /** The least width or height of a chart: 200 pixels. */
    public static final int MIN_SIDE = 200;

    /** The most width or height of a chart: 8,000 pixels. */
    public static final int MAX_SIDE = 8000;

    /** The recall {@link #rounds} counts the rounds to unless told: 0.999 (issue 13's target). */
    public static final double DEFAULT_THRESHOLD = 0.999;

    /** The holders per key {@link #down} draws {@code 1 - f^r} for unless told: 3. */
    public static final int DEFAULT_REPLICAS = 3;

    /** The width of a bar of {@link #storage} unless told: half an even share. */
    public static final double DEFAULT_BIN = 0.5;

    /** The most bars {@link #storage} draws per file. */
    public static final int MAX_BINS = 200;

    private static final Color TARGET = new Color(0x55, 0x55, 0x55);

    private Plots() {}

    /**
     * A CSV file to plot and what to call it.
     *
     * @param csv the file read
     * @param label its label, or empty for none (see the class comment)
     */
    public record Run(CsvTable csv, String label) {
        /** What a chart that draws a series per file calls this one: its label, or its name. */
        public String name() {
            return label.isEmpty() ? csv.name() : label;
        }
    }

    /**
     * The size of a chart in pixels, each side {@link #MIN_SIDE} to {@link #MAX_SIDE}.
     *
     * @param width the width; {@link #DEFAULT_WIDTH} in {@link #DEFAULT}
     * @param height the height; {@link #DEFAULT_HEIGHT} in {@link #DEFAULT}
     */
    public record Size(int width, int height) {
        /** 800 by 600 pixels. */
        public static final Size DEFAULT = new Size(DEFAULT_WIDTH, DEFAULT_HEIGHT);

        public Size {
            side("width", width);
            side("height", height);
        }

        private static void side(String name, int pixels) {
            if (pixels < MIN_SIDE || pixels > MAX_SIDE) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "%s %,d is outside %,d..%,d pixels",
                        name,
                        pixels,
                        MIN_SIDE,
                        MAX_SIDE));
            }
        }
    }

    /**
     * Writes the chart of {@code min_recall} by round, a line per file, to {@code png}.
     *
     * @throws CsvFormatException when a file has no {@code round} or {@code min_recall} column
     *     or a field there is not a number
     * @throws IllegalArgumentException when there are no files, or two are called the same
     */
    public static void recall(List<Run> runs, Size size, Path png) throws IOException {
        write(recallChart(runs, size), png);
    }

    /**
     * Writes the chart of rounds to a recall of {@code threshold} (0 to 1; {@link
     * #DEFAULT_THRESHOLD}) against machines, beside {@code 2 log2(N)}, to {@code png}.
     *
     * @throws CsvFormatException when a file lacks {@code round}, {@code min_recall} or {@code
     *     running}, or no machine runs
     */
    public static void rounds(List<Run> runs, double threshold, Size size, Path png)
            throws IOException {
        write(roundsChart(runs, threshold, size), png);
    }

    /**
     * Writes the chart of lookup fetches (median and p99, each file's last round) against
     * machines, beside the targets 6 and 12, to {@code png}.
     *
     * @throws CsvFormatException when a file lacks {@code median_fetches}, {@code p99_fetches},
     *     {@code round} or {@code running}
     */
    public static void fetches(List<Run> runs, Size size, Path png) throws IOException {
        write(fetchesChart(runs, size), png);
    }

    /**
     * Writes the chart of recall before any repair against the share of machines stopped,
     * beside {@code 1 - f^replicas} ({@link #DEFAULT_REPLICAS}), to {@code png}.
     *
     * @throws CsvFormatException when a file stopped no machine, or lacks the columns {@code
     *     before_repair_min_recall} and {@code before_repair_min_recall_all} (written by {@code
     *     distree simulate} since they were added)
     */
    public static void down(List<Run> runs, int replicas, Size size, Path png) throws IOException {
        write(downChart(runs, replicas, size), png);
    }

    /**
     * Writes the histogram of the entries stored per machine, in shares of an even load, with
     * bars {@code bin} shares wide ({@link #DEFAULT_BIN}), a series per file of {@code distree
     * simulate --storage-csv}, to {@code png}.
     *
     * @throws CsvFormatException when a file has no {@code share} column, or a share is not a
     *     number
     * @throws IllegalArgumentException when the bars would be over {@link #MAX_BINS}
     */
    public static void storage(List<Run> runs, double bin, Size size, Path png) throws IOException {
        write(storageChart(runs, bin, size), png);
    }

    static XYChart recallChart(List<Run> runs, Size size) throws CsvFormatException {
        requireRuns(runs, false);
        XYChart chart = xy(
                size,
                "Recall by round",
                "round",
                "recall: smallest share found from a sampled root (min_recall)");
        Map<String, Path> names = new HashMap<>();
        for (Run r : runs) {
            Path other = names.putIfAbsent(r.name(), r.csv().file());
            if (other != null) {
                throw new IllegalArgumentException("two files are both called " + r.name() + " ("
                        + other + " and " + r.csv().file() + "): give each a label");
            }
            XYSeries s = chart.addSeries(
                    r.name(), r.csv().numbers("round"), r.csv().numbers("min_recall"));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    static XYChart roundsChart(List<Run> runs, double threshold, Size size)
            throws CsvFormatException {
        requireRuns(runs, false);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " is outside 0 to 1");
        }
        XYChart chart = xy(
                size,
                String.format(
                        Locale.ROOT,
                        "Rounds to full recall (min_recall \u2265 %s)",
                        plain(threshold)),
                "machines (log scale)",
                "rounds from the cold start");
        List<Double> machines = new ArrayList<>();
        for (Map.Entry<String, List<CsvTable>> g : groups(runs).entrySet()) {
            List<double[]> reached = new ArrayList<>();
            List<double[]> not = new ArrayList<>();
            for (CsvTable t : g.getValue()) {
                int n = Measures.machines(t);
                machines.add((double) n);
                OptionalInt r = Measures.roundsTo(t, threshold);
                if (r.isPresent()) {
                    reached.add(new double[] {n, r.getAsInt()});
                } else {
                    not.add(new double[] {n, Measures.lastRound(t)});
                }
            }
            if (!reached.isEmpty()) {
                points(chart, named(g.getKey(), "measured"), reached)
                        .setMarker(SeriesMarkers.CIRCLE);
            }
            if (!not.isEmpty()) {
                XYSeries s = points(chart, named(g.getKey(), "not reached (rounds run)"), not);
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.TRIANGLE_UP);
            }
        }
        double[] span = span(machines);
        double[] x = geometric(span[0], span[1], 50);
        double[] y = Arrays.stream(x).map(Measures::roundsTarget).toArray();
        target(chart.addSeries("target: 2 log2(machines)", x, y));
        logX(chart, span);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    static XYChart fetchesChart(List<Run> runs, Size size) throws CsvFormatException {
        requireRuns(runs, false);
        XYChart chart = xy(
                size,
                "Node files fetched by an exact lookup, at the end of each run",
                "machines (log scale)",
                "node files fetched");
        List<Double> machines = new ArrayList<>();
        double most = 12;
        for (Map.Entry<String, List<CsvTable>> g : groups(runs).entrySet()) {
            List<double[]> median = new ArrayList<>();
            List<double[]> p99 = new ArrayList<>();
            for (CsvTable t : g.getValue()) {
                int n = Measures.machines(t);
                machines.add((double) n);
                median.add(new double[] {n, Measures.last(t, "median_fetches")});
                p99.add(new double[] {n, Measures.last(t, "p99_fetches")});
                most = Math.max(most, Measures.last(t, "p99_fetches"));
            }
            points(chart, named(g.getKey(), "median"), median).setMarker(SeriesMarkers.CIRCLE);
            points(chart, named(g.getKey(), "99th percentile"), p99)
                    .setMarker(SeriesMarkers.DIAMOND);
        }
        double[] span = span(machines);
        target(chart.addSeries(
                "target: median \u2264 6", new double[] {span[0], span[1]}, new double[] {6, 6}));
        target(chart.addSeries(
                        "target: p99 \u2264 12",
                        new double[] {span[0], span[1]},
                        new double[] {12, 12}))
                .setLineStyle(SeriesLines.DOT_DOT);
        logX(chart, span);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(Math.ceil(most * 1.15));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    static XYChart downChart(List<Run> runs, int replicas, Size size) throws CsvFormatException {
        requireRuns(runs, false);
        if (replicas < 1 || replicas > 16) {
            throw new IllegalArgumentException(replicas + " replicas is outside 1..16");
        }
        XYChart chart = xy(
                size,
                "Recall with a share of the machines stopped at once",
                "share of the machines stopped (f)",
                "recall: smallest share found from a sampled root");
        double widest = 0;
        double lowest = 1;
        for (Map.Entry<String, List<CsvTable>> g : groups(runs).entrySet()) {
            List<double[]> live = new ArrayList<>();
            List<double[]> all = new ArrayList<>();
            List<double[]> last = new ArrayList<>();
            for (CsvTable t : g.getValue()) {
                Measures.Stop s = Measures.stop(t)
                        .orElseThrow(() -> new CsvFormatException(
                                t.file(),
                                0,
                                "no round stopped machines (before_repair_min_recall is empty):"
                                        + " run distree simulate with --stop-fraction"));
                live.add(new double[] {s.share(), s.beforeRepair()});
                all.add(new double[] {s.share(), s.beforeRepairAll()});
                last.add(new double[] {s.share(), s.last()});
                widest = Math.max(widest, s.share());
                lowest = Math.min(lowest, Math.min(s.beforeRepairAll(), s.beforeRepair()));
                lowest = Math.min(lowest, s.last());
            }
            points(chart, named(g.getKey(), "before any repair: live entries"), live)
                    .setMarker(SeriesMarkers.CIRCLE);
            points(chart, named(g.getKey(), "before any repair: every machine's own entries"), all)
                    .setMarker(SeriesMarkers.DIAMOND);
            points(chart, named(g.getKey(), "last round of the run: live entries"), last)
                    .setMarker(SeriesMarkers.SQUARE);
        }
        double to = Math.min(1, Math.max(0.5, widest * 1.2));
        double[] x = new double[101];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = to * i / (x.length - 1);
            y[i] = Measures.keptByIndependentHolders(x[i], replicas);
        }
        lowest = Math.min(lowest, Measures.keptByIndependentHolders(widest, replicas));
        target(chart.addSeries(
                String.format(Locale.ROOT, "1 - f^%d (%d independent holders)", replicas, replicas),
                x,
                y));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(to).setXAxisDecimalPattern("0.0#");
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((lowest - 0.02) * 20) / 20));
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    static CategoryChart storageChart(List<Run> runs, double bin, Size size)
            throws CsvFormatException {
        requireRuns(runs, true);
        List<double[]> histograms = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int bins = 0;
        for (Run r : runs) {
            double[] shares = r.csv().numbers("share");
            double[] h = Measures.histogram(shares, bin, MAX_BINS);
            histograms.add(h);
            bins = Math.max(bins, h.length);
            names.add(String.format(
                    Locale.ROOT,
                    "%s (%d machine%s; mean %.2f, max %.2f)",
                    r.name(),
                    shares.length,
                    shares.length == 1 ? "" : "s",
                    Arrays.stream(shares).average().orElse(0),
                    Arrays.stream(shares).max().orElse(0)));
        }
        if (names.stream().distinct().count() < names.size()) {
            throw new IllegalArgumentException("two files have the same name: give each a label");
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(size.width())
                .height(size.height())
                .title("Entries stored per machine (targets: mean \u2264 4, max \u2264 6 shares)")
                .xAxisTitle("entries in a machine's leaves, in shares of an even load"
                        + " (live entries / running machines)")
                .yAxisTitle("machines, %")
                .build();
        style(chart.getStyler());
        List<String> categories = new ArrayList<>();
        for (int k = 0; k < bins; k++) {
            categories.add(plain(k * bin) + "\u2013" + plain((k + 1) * bin));
        }
        for (int i = 0; i < histograms.size(); i++) {
            double[] h = Arrays.copyOf(histograms.get(i), bins);
            List<Double> percent = Arrays.stream(h).map(v -> 100 * v).boxed().toList();
            chart.addSeries(names.get(i), categories, percent);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(bins > 12 ? 45 : 0);
        return chart;
    }

    /**
     * Draws the chart into an image and writes it as PNG to {@code png} (its folders made as
     * needed), through a temporary file in the same folder renamed into place, so a reader never
     * sees half an image.
     */
    static void write(Chart<?, ?> chart, Path png) throws IOException {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException(png + ": not a file");
        }
        Files.createDirectories(dir);
        // Not Files.createTempFile: its files are private to the owner, and a chart is not.
        Path tmp = dir.resolve(String.format(
                Locale.ROOT,
                ".%s.%d-%d.tmp",
                target.getFileName(),
                ProcessHandle.current().pid(),
                System.nanoTime()));
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("this Java has no PNG writer");
                }
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Refuses no files, and files of the other kind: {@code storage} takes those of {@code
     * --storage-csv} (a {@code share} column), every other chart those of {@code --csv} (a
     * {@code round} column).
     */
    private static void requireRuns(List<Run> runs, boolean storage) throws CsvFormatException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no CSV file to plot");
        }
        for (Run r : runs) {
            if (storage && !r.csv().has("share")) {
                throw new CsvFormatException(
                        r.csv().file(),
                        0,
                        "no column share: distree plot storage takes the CSV of distree simulate"
                                + " --storage-csv");
            }
            if (!storage && !r.csv().has("round")) {
                throw new CsvFormatException(
                        r.csv().file(),
                        0,
                        "no column round: this chart takes the CSV of distree simulate --csv");
            }
        }
    }

    private static XYChart xy(Size size, String title, String x, String y) {
        XYChart chart = new XYChartBuilder()
                .width(size.width())
                .height(size.height())
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
    }

    /** The files by label, in the order each label first comes. */
    private static Map<String, List<CsvTable>> groups(List<Run> runs) {
        Map<String, List<CsvTable>> groups = new LinkedHashMap<>();
        for (Run r : runs) {
            groups.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r.csv());
        }
        return groups;
    }

    /** A series name within a group: the label first, when there is one. */
    private static String named(String label, String what) {
        return label.isEmpty() ? what : label + ": " + what;
    }

    /** A series of (x, y) points, in the order of x. */
    private static XYSeries points(XYChart chart, String name, List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(
                Comparator.comparingDouble((double[] p) -> p[0]).thenComparingDouble(p -> p[1]));
        return chart.addSeries(
                name,
                sorted.stream().mapToDouble(p -> p[0]).toArray(),
                sorted.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** A target or bound: a dashed grey line without markers. */
    private static XYSeries target(XYSeries s) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(TARGET);
        s.setLineStyle(SeriesLines.DASH_DASH);
        return s;
    }

    /** The least and the most of the machines, widened to a factor of 2 each way when one. */
    private static double[] span(List<Double> machines) {
        double lo = machines.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double hi = machines.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        return lo == hi ? new double[] {Math.max(1, lo / 2), hi * 2} : new double[] {lo, hi};
    }

    /** {@code n} points from {@code lo} to {@code hi}, evenly on a log scale. */
    private static double[] geometric(double lo, double hi, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo * Math.pow(hi / lo, (double) i / (n - 1));
        }
        return x;
    }

    private static void logX(XYChart chart, double[] span) {
        chart.getStyler()
                .setXAxisLogarithmic(true)
                .setXAxisLogarithmicDecadeOnly(false)
                .setXAxisMin(span[0] / 1.15)
                .setXAxisMax(span[1] * 1.15);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
    }

    /** A number as a person writes it: {@code 0.5}, {@code 1}, {@code 0.999}. */
    private static String plain(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
