package org.distree.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.html.NodeFormatException;
import org.distree.maintain.Maintainer;
import org.distree.maintain.MaintainerConfig;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Machines in a ring on a {@link Network}, each a tree folder with its own entries and the real
 * {@link Maintainer}, run round by round; after each round, the real search ({@link
 * Searcher#over}) measures what a user would find.
 *
 * <p>Setup, from the seed: machine {@code i} (base URL {@code http://m0001.sim/} for the first)
 * gets {@code entriesPerMachine} entries drawn as the maintainer tests draw theirs (a key of 2
 * to 12 random lowercase letters, uniform; a link under {@code https://example.org/} ending in
 * {@code /m<i>}; a 40-byte comment), so a seed gives the entries the maintenance benchmark's
 * ring of the same seed had ({@link Config#zipf} draws the keys by Zipf's law instead). Each machine is told only the next one's root as its peer. Its
 * maintainer settings: {@code per-host-interval-ms=0}, {@code max-fetches-per-round=2000}, then
 * {@link Config#settings}, then {@code copy-budget}, {@code base-url} and {@code peers}.
 *
 * <p>A round: the clock moves on by {@link #ROUND_TIME}, every running machine runs its jobs once
 * ({@link Maintainer#round}: sync, submit, link check, rules), on a pool of {@link
 * Config#threads} threads in {@link Network.Mode#ROUNDS} (or one after another, in machine
 * order, in {@link Network.Mode#LIVE}), then the network's barrier. Then the measures ({@link
 * Round}): from each of {@link Config#roots} roots sampled once from the seed, a range search
 * over every key (budgets 20,000 nodes, 256 MB, 60 s); {@link Config#lookups} exact lookups of
 * entries sampled once from the seed, each from one of those roots in turn; the entries each
 * machine stores in its leaves. The time stands still within a round, so the outcome of a seed
 * does not depend on the threads.
 *
 * <p>The trees live in folders under the one given (not forced to disk), which the caller
 * removes after {@link #close}.
 */
public final class Simulation implements AutoCloseable {
    /** The time one round stands for: 5 minutes, the default sync interval. */
    public static final Duration ROUND_TIME = Duration.ofMinutes(5);

    /** When the simulation starts, in its clock. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * What to simulate.
     *
     * @param machines the number of machines, 1 to 100,000
     * @param entriesPerMachine each machine's own entries, 0 to 10,000,000
     * @param copyBudget the maintainer's {@code copy-budget}: copies of other machines' entries
     *     a machine stores at most; -1 for no limit
     * @param seed what the entries and samples are drawn from
     * @param zipf 0 for keys drawn uniformly (each a fresh random word, as the maintainer tests
     *     draw them); above 0, keys drawn from a vocabulary of as many random words as there
     *     are entries by Zipf's law with this exponent (1 is about natural language), the
     *     entries' links as before; default 0
     * @param roots the roots searched from after each round, 1 to {@code machines}; default the
     *     smaller of {@code machines} and 20
     * @param lookups exact lookups after each round, 0 or more; default 20
     * @param threads the threads that run machines (and searches) at once, 1 or more; default the
     *     number of processors
     * @param mode when machines see each other's changes; default {@link Network.Mode#ROUNDS}
     * @param settings other maintainer settings for every machine; default none
     */
    public record Config(
            int machines,
            int entriesPerMachine,
            long copyBudget,
            long seed,
            double zipf,
            int roots,
            int lookups,
            int threads,
            Network.Mode mode,
            Map<String, String> settings) {
        public Config {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            if (machines < 1 || machines > 100_000) {
                throw new IllegalArgumentException(machines + " machines is outside 1..100,000");
            }
            if (entriesPerMachine < 0 || entriesPerMachine > 10_000_000) {
                throw new IllegalArgumentException(
                        entriesPerMachine + " entries per machine is outside 0..10,000,000");
            }
            if (copyBudget < -1) {
                throw new IllegalArgumentException(
                        "copy budget " + copyBudget + " is below -1 (no limit)");
            }
            if (zipf < 0 || Double.isNaN(zipf) || Double.isInfinite(zipf)) {
                throw new IllegalArgumentException("Zipf exponent " + zipf + " is not 0 or more");
            }
            if (roots < 1 || roots > machines) {
                throw new IllegalArgumentException(
                        roots + " roots is outside 1.." + machines + " (the machines)");
            }
            if (lookups < 0) {
                throw new IllegalArgumentException(lookups + " lookups is negative");
            }
            if (threads < 1) {
                throw new IllegalArgumentException(threads + " threads is below 1");
            }
        }

        /** The defaults for the rest (see the parameters). */
        public static Config of(int machines, int entriesPerMachine, long copyBudget, long seed) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    0,
                    Math.min(Math.max(machines, 1), 20),
                    20,
                    Runtime.getRuntime().availableProcessors(),
                    Network.Mode.ROUNDS,
                    Map.of());
        }

        public Config withZipf(double s) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    s,
                    roots,
                    lookups,
                    threads,
                    mode,
                    settings);
        }

        public Config withRoots(int n) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    zipf,
                    n,
                    lookups,
                    threads,
                    mode,
                    settings);
        }

        public Config withLookups(int n) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    zipf,
                    roots,
                    n,
                    threads,
                    mode,
                    settings);
        }

        public Config withThreads(int n) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    zipf,
                    roots,
                    lookups,
                    n,
                    mode,
                    settings);
        }

        public Config withMode(Network.Mode m) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    zipf,
                    roots,
                    lookups,
                    threads,
                    m,
                    settings);
        }

        public Config withSettings(Map<String, String> s) {
            return new Config(
                    machines,
                    entriesPerMachine,
                    copyBudget,
                    seed,
                    zipf,
                    roots,
                    lookups,
                    threads,
                    mode,
                    s);
        }
    }

    /**
     * What one round did, and what a search found after it.
     *
     * @param round the round, 0 for the state before the first
     * @param minRecall the smallest share of all entries a range search from one root found
     * @param meanRecall the mean of those shares over the roots
     * @param lookupRecall the share of exact lookups that found their entry (1 with none)
     * @param medianFetches the median of the node files one lookup fetched (0 with none)
     * @param storageMean the entries a machine's leaves hold, own and copies, on average
     * @param storageMax the most entries one machine's leaves hold
     * @param requests requests the machines answered during the round's jobs (searches not
     *     counted)
     * @param notModified of those, conditional fetches answered {@code 304}
     * @param bytes bytes of the files sent in those answers
     */
    public record Round(
            int round,
            double minRecall,
            double meanRecall,
            double lookupRecall,
            double medianFetches,
            double storageMean,
            long storageMax,
            long requests,
            long notModified,
            long bytes) {
        /** The CSV header line for {@link #csv}. */
        public static final String CSV_HEADER = "round,min_recall,mean_recall,lookup_recall,"
                + "median_fetches,storage_mean,storage_max,requests,not_modified,bytes";

        /** This round as one CSV line (no line end). */
        public String csv() {
            return String.format(
                    Locale.ROOT,
                    "%d,%.4f,%.4f,%.4f,%.1f,%.1f,%d,%d,%d,%d",
                    round,
                    minRecall,
                    meanRecall,
                    lookupRecall,
                    medianFetches,
                    storageMean,
                    storageMax,
                    requests,
                    notModified,
                    bytes);
        }
    }

    private record Machine(URI base, LocalTree tree, Maintainer maintainer) {
        URI root() {
            return base.resolve(NodeStore.INDEX);
        }
    }

    private record Lookup(Entry entry, URI root) {}

    private final Config config;
    private final SimClock clock = new SimClock(START);
    private final Network network;
    private final List<Machine> machines = new ArrayList<>();
    private final List<LocalTree> trees = new ArrayList<>();
    private final Set<Bound> all = new HashSet<>();
    private final List<URI> roots = new ArrayList<>();
    private final List<Lookup> lookups = new ArrayList<>();
    private final ExecutorService pool;
    private final Searcher searcher;
    private int round;

    private Simulation(Config config) {
        this.config = config;
        this.network = new Network(config.mode(), clock);
        this.searcher = Searcher.over(network, CrawlConfig.defaults());
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "sim-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes the machines in folders under {@code dir} (one each, named after the machine), with
     * their entries, and connects them.
     *
     * @throws IOException when a tree cannot be made
     * @throws IllegalArgumentException naming the setting when a maintainer setting is invalid
     */
    public static Simulation start(Path dir, Config config) throws IOException {
        Simulation s = new Simulation(config);
        try {
            s.setUp(dir);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void setUp(Path dir) throws IOException {
        int n = config.machines();
        Random random = new Random(config.seed());
        Zipf zipf = config.zipf() > 0
                ? new Zipf(vocabulary(n * config.entriesPerMachine(), config.seed()), config.zipf())
                : null;
        List<Entry> entries = new ArrayList<>();
        List<URI> bases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "m%04d", i + 1);
            URI base = URI.create("http://" + name + ".sim/");
            LocalTree tree = LocalTree.open(NodeStore.open(dir.resolve(name), false), clock);
            trees.add(tree);
            bases.add(base);
            List<Entry> own = new ArrayList<>();
            for (int k = 0; k < config.entriesPerMachine(); k++) {
                own.add(entry(random, i, zipf));
            }
            tree.insert(own);
            entries.addAll(own);
            network.add(base, tree);
        }
        for (int i = 0; i < n; i++) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("per-host-interval-ms", "0");
            s.put("max-fetches-per-round", "2000");
            s.putAll(config.settings());
            s.put("copy-budget", Long.toString(config.copyBudget()));
            s.put("base-url", bases.get(i).toString());
            s.put("peers", bases.get((i + 1) % n).resolve(NodeStore.INDEX).toString());
            LocalTree tree = trees.get(i);
            MaintainerConfig mc = MaintainerConfig.of(tree.store().dir(), s);
            machines.add(new Machine(bases.get(i), tree, new Maintainer(mc, tree, network, clock)));
        }
        entries.forEach(e -> all.add(e.position()));
        Random sample = new Random(config.seed() * 31 + 7);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, sample);
        List<Integer> picked = new ArrayList<>(order.subList(0, config.roots()));
        Collections.sort(picked);
        picked.forEach(i -> roots.add(machines.get(i).root()));
        for (int k = 0; k < config.lookups() && !entries.isEmpty(); k++) {
            lookups.add(new Lookup(
                    entries.get(sample.nextInt(entries.size())), roots.get(k % roots.size())));
        }
        network.barrier();
    }

    /**
     * An entry as the maintainer tests draw one ({@code Trees.entry}, then the machine's suffix
     * on the link): the same draws from {@code random}, so a seed gives the same entries.
     */
    private static Entry entry(Random random, int machine, @Nullable Zipf zipf) {
        String w = word(random);
        String link = "https://example.org/" + w + "/" + Integer.toHexString(random.nextInt());
        StringBuilder comment = new StringBuilder();
        while (comment.length() < 40) {
            comment.append(word(random)).append(' ');
        }
        String key = zipf == null ? w : zipf.next(random);
        return Entry.of(key, link + "/m" + machine, "", comment.toString().strip());
    }

    /** {@code n} distinct random words (at least one), from their own draws of the seed. */
    private static List<String> vocabulary(int n, long seed) {
        Random random = new Random(seed * 17 + 3);
        java.util.Set<String> words = new java.util.LinkedHashSet<>();
        while (words.size() < Math.max(1, n)) {
            words.add(word(random));
        }
        return new ArrayList<>(words);
    }

    private static String word(Random random) {
        int n = 2 + random.nextInt(11);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    public Config config() {
        return config;
    }

    public Network network() {
        return network;
    }

    /** The rounds run so far. */
    public int rounds() {
        return round;
    }

    /** The base URLs of the machines, in order. */
    public List<URI> bases() {
        return machines.stream().map(Machine::base).toList();
    }

    /** The measures of the state now, with no round run (round 0 before the first). */
    public Round measure() throws IOException {
        return measure(Network.Counts.ZERO);
    }

    /**
     * Runs one round on every running machine, then measures.
     *
     * @throws IOException when a machine's own tree cannot be read or written (trouble with
     *     other machines is the maintainer's to report, not thrown)
     */
    public Round round() throws IOException {
        clock.advance(ROUND_TIME);
        round++;
        Network.Counts before = network.total();
        List<Callable<Boolean>> jobs = new ArrayList<>();
        for (Machine m : machines) {
            if (network.running(m.base())) {
                jobs.add(() -> {
                    m.maintainer().round();
                    return true;
                });
            }
        }
        if (config.mode() == Network.Mode.LIVE) {
            for (Callable<Boolean> job : jobs) {
                call(job);
            }
        } else {
            all(jobs);
        }
        network.barrier();
        return measure(network.total().minus(before));
    }

    private Round measure(Network.Counts traffic) throws IOException {
        List<Callable<Double>> recalls = new ArrayList<>();
        for (URI root : roots) {
            recalls.add(() -> recall(root));
        }
        List<Callable<Integer>> found = new ArrayList<>();
        for (Lookup l : lookups) {
            found.add(() -> lookup(l));
        }
        List<Callable<Long>> stored = new ArrayList<>();
        for (Machine m : machines) {
            stored.add(() -> stored(m.tree()));
        }
        double[] r = all(recalls).stream().mapToDouble(Double::doubleValue).toArray();
        int[] f = all(found).stream().mapToInt(Integer::intValue).toArray();
        long[] s = all(stored).stream().mapToLong(Long::longValue).toArray();
        long hits = Arrays.stream(f).filter(x -> x >= 0).count();
        int[] fetches = Arrays.stream(f).map(x -> x >= 0 ? x : -x - 1).sorted().toArray();
        return new Round(
                round,
                Arrays.stream(r).min().orElse(1),
                Arrays.stream(r).average().orElse(1),
                f.length == 0 ? 1 : (double) hits / f.length,
                fetches.length == 0 ? 0 : median(fetches),
                Arrays.stream(s).average().orElse(0),
                Arrays.stream(s).max().orElse(0),
                traffic.requests(),
                traffic.notModified(),
                traffic.bytes());
    }

    private static double median(int[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** The share of all entries a range search over every key from {@code root} finds. */
    private double recall(URI root) {
        if (all.isEmpty()) {
            return 1;
        }
        SearchResult r = searcher.search(SearchRequest.range(List.of(root), null, null)
                .withBudgets(20_000, 256L << 20, Duration.ofSeconds(60)));
        Set<Bound> hit = new HashSet<>();
        for (SearchResult.Hit h : r.hits()) {
            Bound b = h.entry().position();
            if (all.contains(b)) {
                hit.add(b);
            }
        }
        return (double) hit.size() / all.size();
    }

    /**
     * An exact lookup of one entry's key: the node files it fetched when it found the entry, or
     * minus one minus that when it did not.
     */
    private int lookup(Lookup l) {
        SearchResult r = searcher.search(
                SearchRequest.words(List.of(l.root()), List.of(l.entry().key()))
                        .withAnalyzer(KeyAnalyzer.NONE));
        boolean found = r.hits().stream()
                .anyMatch(h -> h.entry().position().equals(l.entry().position()));
        int fetches = r.stats().fetches();
        return found ? fetches : -fetches - 1;
    }

    /** The entries in the leaves of a tree's files (own and copies; orphan copies not). */
    private static long stored(LocalTree tree) throws IOException {
        NodeStore store = tree.store();
        long n = 0;
        for (String name : store.nodeNames()) {
            Node node;
            try {
                node = store.read(name).node();
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            } catch (NodeFormatException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (node.isLeaf()) {
                n += node.entries().size();
            }
        }
        return n;
    }

    /** Runs the tasks on the pool and returns their results in order. */
    private <T> List<T> all(List<Callable<T>> tasks) throws IOException {
        List<Future<T>> futures;
        try {
            futures = pool.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }
        return out;
    }

    private static <T> T call(Callable<T> task) throws IOException {
        try {
            return task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static IOException rethrow(@Nullable Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }

    /** Stops the threads and closes the trees (their folders stay). */
    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        searcher.close();
        IOException failed = null;
        for (LocalTree t : trees) {
            try {
                t.close();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
