package org.distree.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * ring of the same seed had ({@link Config#zipf} draws the keys by Zipf's law instead). Each
 * machine is told only the next one's root as its peer. Its maintainer settings: {@code
 * per-host-interval-ms=0}, {@code max-fetches-per-round} from {@link #fetchBudget}, then {@link
 * Config#settings}, then
 * {@code copy-budget}, {@code base-url} and {@code peers}.
 *
 * <p>A round: the clock moves on by {@link #ROUND_TIME}; the round's failures happen ({@link
 * Failures}: a share of the machines stopped at once, machines replaced by new ones); every
 * running machine runs its jobs once ({@link Maintainer#round}: sync, submit, link check, rules),
 * on a pool of {@link Config#threads} threads in {@link Network.Mode#ROUNDS} (or one after
 * another, in machine order, in {@link Network.Mode#LIVE}), then the network's barrier. Then the
 * measures ({@link Round}): from each of {@link Config#roots} roots sampled once from the seed, a
 * range search over every key (budgets 20,000 nodes, 256 MB, 60 s); {@link Config#lookups} exact
 * lookups of entries sampled once from the seed, each from one of those roots in turn; the
 * entries each running machine stores in its leaves. The time stands still within a round, so
 * the outcome of a seed does not depend on the threads.
 *
 * <p>Crashes: an exception that a machine's {@link Maintainer#round} throws (an {@link
 * IOException} about its own tree, a {@link RuntimeException} or an {@link AssertionError} from a
 * bug, a {@link StackOverflowError}; trouble with other machines is the maintainer's to report
 * and is not thrown) is that machine crashing: it is stopped on the network as {@link
 * Network#stop} stops one, never runs again, and the round goes on with the others. The round
 * counts it ({@link Round#crashed}), {@link #crashes} keeps it, and the first stack trace of each
 * exception class is printed once to the simulation's error stream.
 *
 * <p>Ring order: the machines in the order they joined (the first {@code machines} in setup
 * order, then each new machine of {@link Failures#churn}), the last followed by the first. A
 * sampled root whose machine is not running (stopped, crashed or replaced) is stood in for by the
 * next running machine in ring order, so every search starts at a running machine's root.
 *
 * <p>What recall means:
 *
 * <ul>
 *   <li>The live entries ({@link Round#entries}) are the own entries of the machines running
 *       now. {@link Round#minRecall} and {@link Round#meanRecall} are the smallest and the mean,
 *       over the sampled roots (or their stand-ins), of the share of the live entries a range
 *       search over every key finds. With no failures, every machine's own entries.
 *   <li>After a stop ({@link Failures#stopFraction}), and for crashed machines: the own entries
 *       of stopped machines are not expected (nothing promises copies of them), but an entry of
 *       a running machine is expected even where the only copies the stopped machines held were
 *       the ones the search used to reach: it has to be found through others. {@link
 *       Round#minRecallAll} counts the stopped machines' own entries too: the smallest share,
 *       over the same searches, of the own entries of every machine not replaced by churn
 *       (running, stopped or crashed), which is what copies kept of a stopped machine's entries
 *       (to compare with {@code 1 - f^r}, {@code f} the share stopped and {@code r} the copies).
 *   <li>Under churn ({@link Failures#churn}): a replaced machine is gone for good, and its own
 *       entries are expected by neither measure (found or not, they count for nothing); the new
 *       machine's own entries are expected from the round it joins, including the measure
 *       right after that round. Entries the replaced machine held as copies of running
 *       machines' entries stay expected, through others. {@link Round#minRecallSettled} leaves
 *       out the entries of the machines that joined at the start of the round: in a parallel
 *       round no other machine reads a machine's files before the next round, so they can be
 *       found only from the new machine's own root until then.
 *   <li>An exact lookup ({@link Round#lookupRecall}) looks up a sampled entry and is found when
 *       a hit has the entry's key and link. A sampled entry whose machine is not running is
 *       stood in for by the entry in the same place among the own entries of the next running
 *       machine in ring order, so lookups are of live entries only.
 * </ul>
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
     * A machine that crashed: its maintainer's round threw.
     *
     * @param round the round it crashed in
     * @param machine its base URL
     * @param error what its round threw
     */
    public record Crash(int round, URI machine, Throwable error) {}

    /** Why a machine is not running, or that it is. */
    private enum Status {
        RUNNING,
        STOPPED,
        CRASHED,
        REPLACED
    }

    /** One machine; its status changes on the simulation's own thread only. */
    private static final class Machine {
        final URI base;
        final LocalTree tree;
        final Maintainer maintainer;
        final List<Entry> own;
        Status status = Status.RUNNING;

        Machine(URI base, LocalTree tree, Maintainer maintainer, List<Entry> own) {
            this.base = base;
            this.tree = tree;
            this.maintainer = maintainer;
            this.own = List.copyOf(own);
        }

        URI root() {
            return base.resolve(NodeStore.INDEX);
        }
    }

    /**
     * An exact lookup: the {@code entry}-th own entry of machine {@code owner}, from the {@code
     * root}-th sampled root.
     */
    private record Lookup(int owner, int entry, int root) {}

    /** What one lookup did: whether it found its entry, its fetches, the machines it asked. */
    private record Looked(boolean found, int fetches, int machines) {}

    /** What one range search found: the shares of the live and of the kept entries. */
    private record Found(double live, double kept, double settled) {}

    private final Config config;
    private final PrintWriter errors;
    private final SimClock clock = new SimClock(START);
    private final Network network;
    private final List<Machine> machines = new ArrayList<>();
    private final List<LocalTree> trees = new ArrayList<>();
    /** The own entries of the running machines. */
    private final Set<Bound> live = new HashSet<>();
    /** The own entries of every machine not replaced. */
    private final Set<Bound> kept = new HashSet<>();

    /** The own entries of the machines that joined at the start of this round. */
    private final Set<Bound> joined = new HashSet<>();
    /** The sampled roots, as indexes of machines. */
    private final List<Integer> roots = new ArrayList<>();

    private final List<Lookup> lookups = new ArrayList<>();
    private final List<Crash> crashes = new ArrayList<>();
    private final Set<Class<?>> traced = new HashSet<>();
    private final ExecutorService pool;
    private final Searcher searcher;
    /** Draws the entries, the setup's first, then the new machines'. */
    private final Random draws;
    /** Draws who stops, who is replaced, and the new machines' peers. */
    private final Random events;

    private final Path dir;
    private final @Nullable Zipf zipf;
    private double churnOwed;
    private @Nullable Round beforeRepair;
    private int round;

    private Simulation(Path dir, Config config, PrintWriter errors) {
        this.dir = dir;
        this.config = config;
        this.errors = errors;
        this.zipf = config.zipf() > 0
                ? new Zipf(
                        vocabulary(config.machines() * config.entriesPerMachine(), config.seed()),
                        config.zipf())
                : null;
        this.network = new Network(config.mode(), clock);
        this.searcher = Searcher.over(network, CrawlConfig.defaults());
        this.draws = new Random(config.seed());
        this.events = new Random(config.seed() * 41 + 11);
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "sim-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes the machines in folders under {@code dir} (one each, named after the machine), with
     * their entries, and connects them. Crash traces go to {@code System.err}.
     *
     * @throws IOException when a tree cannot be made
     * @throws IllegalArgumentException naming the setting when a maintainer setting is invalid
     */
    public static Simulation start(Path dir, Config config) throws IOException {
        return start(
                dir,
                config,
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    /**
     * As {@link #start(Path, Config)}, with the first stack trace of each class of crash printed
     * to {@code errors} (which stays the caller's to close).
     */
    public static Simulation start(Path dir, Config config, PrintWriter errors) throws IOException {
        Simulation s = new Simulation(dir, config, errors);
        try {
            s.setUp();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void setUp() throws IOException {
        int n = config.machines();
        List<Entry> entries = new ArrayList<>();
        List<List<Entry>> owns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Entry> own = drawEntries(i);
            owns.add(own);
            entries.addAll(own);
        }
        for (int i = 0; i < n; i++) {
            URI peer = base(name((i + 1) % n)).resolve(NodeStore.INDEX);
            join(i, owns.get(i), peer);
        }
        Random sample = new Random(config.seed() * 31 + 7);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, sample);
        List<Integer> picked = new ArrayList<>(order.subList(0, config.roots()));
        Collections.sort(picked);
        roots.addAll(picked);
        int perMachine = config.entriesPerMachine();
        for (int k = 0; k < config.lookups() && !entries.isEmpty(); k++) {
            int e = sample.nextInt(entries.size());
            lookups.add(new Lookup(e / perMachine, e % perMachine, k % roots.size()));
        }
        network.barrier();
    }

    /** The name of machine {@code i} (from 0): {@code m0001} for the first. */
    /**
     * The fetch budget each machine's maintainer gets: 2,000, or 20 per machine of a larger ring
     * (a run on the ring asks 11 to 14 files a machine, docs/PROTOCOL.md, *Limits*; a budget cut
     * short would measure the budget, not the protocol).
     */
    static int fetchBudget(int machines) {
        return Math.max(2000, 20 * machines);
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "m%04d", i + 1);
    }

    private static URI base(String name) {
        return URI.create("http://" + name + ".sim/");
    }

    /** The own entries of machine {@code i}, the next draws of the seed. */
    private List<Entry> drawEntries(int i) {
        List<Entry> own = new ArrayList<>();
        for (int k = 0; k < config.entriesPerMachine(); k++) {
            own.add(entry(draws, i, zipf));
        }
        return own;
    }

    /**
     * Makes machine {@code index}, the next in ring order: its tree folder with its own entries,
     * on the network, its maintainer told {@code peer}; running, its entries live.
     */
    private void join(int index, List<Entry> own, URI peer) throws IOException {
        String name = name(index);
        URI base = base(name);
        LocalTree tree = LocalTree.open(NodeStore.open(dir.resolve(name), false), clock);
        trees.add(tree);
        tree.insert(own);
        network.add(base, tree);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("per-host-interval-ms", "0");
        s.put("max-fetches-per-round", Integer.toString(fetchBudget(config.machines())));
        s.putAll(config.settings());
        s.put("copy-budget", Long.toString(config.copyBudget()));
        s.put("base-url", base.toString());
        s.put("peers", peer.toString());
        MaintainerConfig mc = MaintainerConfig.of(tree.store().dir(), s);
        machines.add(new Machine(base, tree, new Maintainer(mc, tree, network, clock), own));
        own.forEach(e -> {
            live.add(e.position());
            kept.add(e.position());
        });
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
        Set<String> words = new LinkedHashSet<>();
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

    /** The base URLs of the machines, in ring order (the order they joined), stopped ones too. */
    public List<URI> bases() {
        return machines.stream().map(m -> m.base).toList();
    }

    /** The machines that crashed so far, in the order they did (by round, then ring order). */
    public List<Crash> crashes() {
        return List.copyOf(crashes);
    }

    /**
     * The measures taken in the last round right after its stop ({@link Failures#stopFraction}),
     * before any machine ran: recall before any repair, with no traffic; empty when the last
     * round stopped no machine.
     */
    public Optional<Round> beforeRepair() {
        return Optional.ofNullable(beforeRepair);
    }

    /** The measures of the state now, with no round run (round 0 before the first). */
    public Round measure() throws IOException {
        return measure(Network.Counts.ZERO, 0, 0, 0);
    }

    /**
     * Runs one round: its failures, then every running machine's jobs, then the measures.
     *
     * @throws IOException when a new machine's tree cannot be made, or a running machine's tree
     *     cannot be read to measure it (a machine whose own round throws has crashed instead)
     */
    public Round round() throws IOException {
        clock.advance(ROUND_TIME);
        round++;
        beforeRepair = null;
        joined.clear();
        Failures f = config.failures();
        int stopped = f.stopsIn(round) ? stop(f.stopFraction()) : 0;
        int replaced = f.churnsIn(round) ? churn(f.churn()) : 0;
        if (replaced > 0) {
            network.barrier(); // new machines serve their files from the start
        }
        if (f.stopsIn(round)) {
            beforeRepair = measure(Network.Counts.ZERO, stopped, replaced, 0);
        }
        Network.Counts before = network.total();
        List<Machine> ran = running();
        List<Callable<Optional<Throwable>>> jobs = new ArrayList<>();
        for (Machine m : ran) {
            jobs.add(() -> crashOf(m));
        }
        List<Optional<Throwable>> outcomes;
        if (config.mode() == Network.Mode.LIVE) {
            outcomes = new ArrayList<>();
            for (Callable<Optional<Throwable>> job : jobs) {
                outcomes.add(call(job));
            }
        } else {
            outcomes = all(jobs);
        }
        int crashed = 0;
        for (int i = 0; i < ran.size(); i++) {
            Optional<Throwable> t = outcomes.get(i);
            if (t.isPresent()) {
                crash(ran.get(i), t.get());
                crashed++;
            }
        }
        network.barrier();
        Round r = measure(network.total().minus(before), stopped, replaced, crashed);
        return beforeRepair == null ? r : r.withBeforeRepair(beforeRepair);
    }

    /**
     * What each running machine stores now, in ring order: the entries in its leaves, its own
     * entries, and the share of an even load that is (what {@link Round#storageShareMean}
     * averages).
     *
     * @throws IOException when a running machine's tree cannot be read
     */
    public List<Stored> storage() throws IOException {
        List<Machine> up = running();
        List<Callable<Long>> stored = new ArrayList<>();
        for (Machine m : up) {
            stored.add(() -> stored(m.tree));
        }
        List<Long> s = all(stored);
        List<Stored> out = new ArrayList<>();
        for (int i = 0; i < up.size(); i++) {
            long n = s.get(i);
            double share = live.isEmpty() ? 0 : (double) n * up.size() / live.size();
            out.add(new Stored(up.get(i).base, n, up.get(i).own.size(), share));
        }
        return out;
    }

    /**
     * Runs one machine's round: what it threw when it crashed, else empty. An interruption is
     * the simulation stopping, not a crash, and is thrown on.
     */
    private static Optional<Throwable> crashOf(Machine m) throws IOException {
        try {
            m.maintainer.round();
            return Optional.empty();
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            throw e;
        } catch (Exception | AssertionError | StackOverflowError e) {
            return Optional.of(e);
        }
    }

    private void crash(Machine m, Throwable t) {
        m.status = Status.CRASHED;
        network.stop(m.base);
        m.own.forEach(e -> {
            live.remove(e.position());
            joined.remove(e.position());
        });
        crashes.add(new Crash(round, m.base, t));
        if (traced.add(t.getClass())) {
            errors.println("machine " + m.base + " crashed in round " + round
                    + " and is stopped; the first " + t.getClass().getName()
                    + " (later ones are only counted):");
            t.printStackTrace(errors);
            errors.flush();
        }
    }

    private List<Machine> running() {
        return machines.stream().filter(m -> m.status == Status.RUNNING).toList();
    }

    /** Stops a share of the running machines at once, drawn from the seed; how many. */
    private int stop(double fraction) {
        List<Machine> up = new ArrayList<>(running());
        int k = Math.min((int) Math.round(fraction * up.size()), up.size() - 1);
        Collections.shuffle(up, events);
        for (Machine m : up.subList(0, Math.max(k, 0))) {
            m.status = Status.STOPPED;
            network.stop(m.base);
            m.own.forEach(e -> live.remove(e.position()));
        }
        return Math.max(k, 0);
    }

    /** Replaces a share of the running machines by new ones, drawn from the seed; how many. */
    private int churn(double fraction) throws IOException {
        List<Machine> up = new ArrayList<>(running());
        churnOwed += fraction * up.size();
        int k = Math.max(0, Math.min((int) churnOwed, up.size() - 1));
        churnOwed -= Math.floor(churnOwed); // what all but one could not take is dropped
        Collections.shuffle(up, events);
        List<Machine> leaving = up.subList(0, k);
        List<Machine> staying = up.subList(k, up.size());
        for (Machine m : leaving) {
            m.status = Status.REPLACED;
            network.stop(m.base);
            m.own.forEach(e -> {
                live.remove(e.position());
                kept.remove(e.position());
            });
        }
        for (int j = 0; j < k; j++) {
            int index = machines.size();
            URI peer = staying.get(events.nextInt(staying.size())).root();
            List<Entry> own = drawEntries(index);
            join(index, own, peer);
            own.forEach(e -> joined.add(e.position()));
        }
        return k;
    }

    /** The first running machine at or after {@code index} in ring order, or null if none. */
    private @Nullable Machine runningFrom(int index) {
        int n = machines.size();
        for (int j = 0; j < n; j++) {
            Machine m = machines.get((index + j) % n);
            if (m.status == Status.RUNNING) {
                return m;
            }
        }
        return null;
    }

    private Round measure(Network.Counts traffic, int stopped, int replaced, int crashed)
            throws IOException {
        List<Callable<Found>> recalls = new ArrayList<>();
        for (int r : roots) {
            Machine m = runningFrom(r);
            recalls.add(() -> m == null ? new Found(0, 0, 0) : recall(m.root()));
        }
        List<Callable<Looked>> found = new ArrayList<>();
        for (Lookup l : lookups) {
            Machine owner = runningFrom(l.owner());
            Machine root = runningFrom(roots.get(l.root()));
            found.add(() -> owner == null || root == null
                    ? new Looked(false, 0, 0)
                    : lookup(owner.own.get(l.entry() % owner.own.size()), root.root()));
        }
        List<Machine> up = running();
        List<Callable<Long>> stored = new ArrayList<>();
        for (Machine m : up) {
            stored.add(() -> stored(m.tree));
        }
        List<Found> r = all(recalls);
        List<Looked> f = all(found);
        long[] s = all(stored).stream().mapToLong(Long::longValue).toArray();
        long hits = f.stream().filter(Looked::found).count();
        int[] fetches = f.stream().mapToInt(Looked::fetches).sorted().toArray();
        int[] asked = f.stream().mapToInt(Looked::machines).sorted().toArray();
        return new Round(
                round,
                r.stream().mapToDouble(Found::live).min().orElse(1),
                r.stream().mapToDouble(Found::live).average().orElse(1),
                f.isEmpty() ? 1 : (double) hits / f.size(),
                median(fetches),
                Arrays.stream(s).average().orElse(0),
                Arrays.stream(s).max().orElse(0),
                traffic.requests(),
                traffic.notModified(),
                traffic.bytes(),
                up.size(),
                stopped,
                replaced,
                crashed,
                live.size(),
                r.stream().mapToDouble(Found::kept).min().orElse(1),
                percentile99(fetches),
                median(asked),
                traffic.conditional(),
                r.stream().mapToDouble(Found::settled).min().orElse(1),
                Double.NaN,
                Double.NaN);
    }

    /** The median of sorted counts; 0 for none. */
    static double median(int[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return 0;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** The 99th percentile of sorted counts by nearest rank; 0 for none. */
    static double percentile99(int[] sorted) {
        int n = sorted.length;
        return n == 0 ? 0 : sorted[(int) Math.ceil(0.99 * n) - 1];
    }

    /**
     * The shares of the live and of the kept entries a range search over every key from {@code
     * root} finds (1 for an empty set).
     */
    private Found recall(URI root) {
        SearchResult r = searcher.search(SearchRequest.range(List.of(root), null, null)
                .withBudgets(20_000, 256L << 20, Duration.ofSeconds(60)));
        long inLive = 0;
        long inKept = 0;
        long inJoined = 0;
        Set<Bound> seen = new HashSet<>();
        for (SearchResult.Hit h : r.hits()) {
            Bound b = h.entry().position();
            if (seen.add(b)) {
                inLive += live.contains(b) ? 1 : 0;
                inKept += kept.contains(b) ? 1 : 0;
                inJoined += joined.contains(b) ? 1 : 0;
            }
        }
        long settled = (long) live.size() - joined.size();
        return new Found(
                live.isEmpty() ? 1 : (double) inLive / live.size(),
                kept.isEmpty() ? 1 : (double) inKept / kept.size(),
                settled == 0 ? 1 : (double) (inLive - inJoined) / settled);
    }

    /** An exact lookup of one entry's key from {@code root}. */
    private Looked lookup(Entry entry, URI root) {
        SearchResult r = searcher.search(SearchRequest.words(List.of(root), List.of(entry.key()))
                .withAnalyzer(KeyAnalyzer.NONE));
        boolean found =
                r.hits().stream().anyMatch(h -> h.entry().position().equals(entry.position()));
        return new Looked(found, r.stats().fetches(), r.stats().hosts());
    }

    /** The entries in the leaves of a tree's files (own and copies; orphan copies not). */
    private static long stored(LocalTree tree) throws IOException {
        NodeStore store = tree.store();
        long n = 0;
        for (String name : store.nodeNames()) {
            Node node;
            try {
                node = store.read(name).node();
            } catch (NoSuchFileException e) {
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
            throw new InterruptedIOException("interrupted");
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
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
