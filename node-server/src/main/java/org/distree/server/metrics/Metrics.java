package org.distree.server.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The daemon's counters and gauges, written in the Prometheus text exposition format (version
 * 0.0.4): a {@code # HELP} and {@code # TYPE} line per metric, then one line per series.
 * Counters are named {@code distree_…_total}. A series' labels are written as given, such as
 * {@code outcome="accepted"}; label values here are always literals of this code.
 */
public final class Metrics {
    private static final class Family {
        final String type;
        final String help;
        final Map<String, DoubleSupplier> series = new ConcurrentSkipListMap<>();
        final Map<String, LongAdder> adders = new ConcurrentHashMap<>();

        Family(String type, String help) {
            this.type = type;
            this.help = help;
        }
    }

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();

    /** Declares a counter that this class keeps; {@link #add} counts into it. */
    public void counter(String name, String help) {
        families.putIfAbsent(name, new Family("counter", help));
    }

    /** Declares a series of a counter kept elsewhere, read at each scrape. */
    public void counterFrom(String name, String help, String labels, DoubleSupplier value) {
        families.computeIfAbsent(name, n -> new Family("counter", help)).series.put(labels, value);
    }

    /** Declares a gauge, read at each scrape. */
    public void gauge(String name, String help, DoubleSupplier value) {
        families.computeIfAbsent(name, n -> new Family("gauge", help)).series.put("", value);
    }

    /** Adds {@code n} to a declared counter. */
    public void add(String name, long n) {
        add(name, "", n);
    }

    /** Adds {@code n} to the series of a declared counter with these labels. */
    public void add(String name, String labels, long n) {
        Family f = families.get(name);
        if (f == null) {
            throw new IllegalArgumentException("counter '" + name + "' is not declared");
        }
        f.adders
                .computeIfAbsent(labels, l -> {
                    LongAdder a = new LongAdder();
                    f.series.put(l, a::sum);
                    return a;
                })
                .add(n);
    }

    /** Increments the series of a counter labelled {@code label="value"}. */
    public void inc(String name, String label, String value) {
        add(name, label + "=\"" + value + "\"", 1);
    }

    /** The current value of a series, or 0 when it has none yet (for tests and health). */
    public double value(String name, String labels) {
        Family f = families.get(name);
        DoubleSupplier s = f == null ? null : f.series.get(labels);
        return s == null ? 0 : s.getAsDouble();
    }

    /** The text exposition of every metric, sorted by name. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Map.Entry<String, Family> e : families.entrySet()) {
            String name = e.getKey();
            Family f = e.getValue();
            out.append("# HELP ").append(name).append(' ').append(f.help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(f.type).append('\n');
            if (f.series.isEmpty()) {
                out.append(name).append(" 0\n");
            }
            for (Map.Entry<String, DoubleSupplier> s : f.series.entrySet()) {
                out.append(name);
                if (!s.getKey().isEmpty()) {
                    out.append('{').append(s.getKey()).append('}');
                }
                out.append(' ').append(number(s.getValue().getAsDouble())).append('\n');
            }
        }
        return out.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
