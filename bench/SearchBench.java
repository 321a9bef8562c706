import java.io.BufferedReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;

/**
 * The issue 3 benchmark: exact-key lookups over HTTP on a served tree, with grep over the source
 * TSV as the reference, in one run. bench/search-http.sh serves the tree with nginx and runs it:
 *
 * <pre>
 * java -cp search-cli/target/distree.jar bench/SearchBench.java ROOT_URL TSV [KEYS] [SECONDS]
 * </pre>
 *
 * <p>Arguments: the tree's entry URL, the TSV it was built from, how many random keys to look
 * up (default 500), how long the concurrent phase runs (default 10 s).
 */
public final class SearchBench {
    private SearchBench() {}

    public static void main(String[] args) throws Exception {
        URI root = URI.create(args[0]);
        Path tsv = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<String> keys = sampleKeys(tsv, n, new Random(3));
        try (Searcher searcher = new Searcher()) {
            // Cold: the first lookup opens connections and fetches robots.txt; then the rest.
            long[] nodes = new long[n];
            long[] files = new long[n];
            long[] bytes = new long[n];
            int found = 0;
            for (int i = 0; i < n; i++) {
                SearchResult r = lookup(searcher, root, keys.get(i));
                nodes[i] = r.stats().nodes();
                files[i] = r.stats().fetches();
                bytes[i] = r.stats().bytes();
                found += r.total() > 0 ? 1 : 0;
            }
            // Warm: the same keys again, timed one by one (each search has its own cache, so
            // every lookup fetches its whole path again from nginx).
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                lookup(searcher, root, keys.get(i));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            // Concurrent: 16 searches at once for a fixed time.
            java.lang.management.OperatingSystemMXBean os =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = processCpuNanos();
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int offset = t;
                workers.add(pool.submit(() -> {
                    for (int i = offset; System.nanoTime() < end; i += 16) {
                        lookup(searcher, root, keys.get(i % n));
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            double perSecond = done.get() / (double) seconds;
            double cpuMs = (processCpuNanos() - cpu0) / 1e6 / done.get();
            double load = os.getSystemLoadAverage();
            // Reference: grep for the same keys over the TSV, as a user would run it.
            int g = Math.min(n, 50);
            double[] grepMs = new double[g];
            for (int i = 0; i < g; i++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(
                                "grep", "-c", "^" + keys.get(i) + "\t", tsv.toString())
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                p.waitFor();
                grepMs[i] = (System.nanoTime() - t0) / 1e6;
            }
            double mean = Arrays.stream(ms).average().orElse(0);
            Arrays.sort(ms);
            Arrays.sort(grepMs);
            Arrays.sort(nodes);
            Arrays.sort(files);
            Arrays.sort(bytes);
            double p50 = ms[n / 2];
            double p99 = ms[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)];
            double grep50 = grepMs[g / 2];
            System.out.printf(Locale.ROOT, "keys looked up:          %,d (found %,d)%n", n, found);
            System.out.printf(
                    Locale.ROOT,
                    "nodes per lookup:        median %d, max %d"
                            + " (files incl. entry page: median %d, max %d)%n",
                    nodes[n / 2],
                    nodes[n - 1],
                    files[n / 2],
                    files[n - 1]);
            System.out.printf(
                    Locale.ROOT,
                    "bytes per lookup:        median %,d, max %,d%n",
                    bytes[n / 2],
                    bytes[n - 1]);
            System.out.printf(
                    Locale.ROOT,
                    "warm lookup latency:     p50 %.2f ms, p99 %.2f ms," + " mean %.2f ms%n",
                    p50,
                    p99,
                    mean);
            System.out.printf(
                    Locale.ROOT,
                    "16 searches at once:     %,.0f lookups/s over %d s"
                            + " (client CPU %.2f ms per lookup; load average %.1f on %d cores)%n",
                    perSecond,
                    seconds,
                    cpuMs,
                    load,
                    os.getAvailableProcessors());
            System.out.printf(
                    Locale.ROOT,
                    "grep over the TSV:       median %.1f ms per key" + " (%d keys)%n",
                    grep50,
                    g);
            System.out.printf(Locale.ROOT, "ratio grep / search p50: %.0fx%n", grep50 / p50);
        }
    }

    private static SearchResult lookup(Searcher searcher, URI root, String key) {
        return searcher.search(SearchRequest.words(List.of(root), List.of(key)));
    }

    /** {@code n} distinct keys drawn at random from the TSV's first column. */
    private static List<String> sampleKeys(Path tsv, int n, Random random) throws Exception {
        List<String> all = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    all.add(line.substring(0, tab));
                }
            }
        }
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (out.size() < n) {
            String k = all.get(random.nextInt(all.size()));
            if (seen.add(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** CPU time of this process so far (all threads), through the portable process API. */
    private static long processCpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no process CPU time here"))
                .toNanos();
    }
}
