package org.distree.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.distree.crawl.Searcher;
import org.distree.maintain.Maintainer;
import org.distree.sim.Machines.Machine;
import org.jspecify.annotations.Nullable;

/**
 * Machines in a ring on a {@link Network}, each a tree folder with its own entries and the real
 * {@link Maintainer}, run round by round; after each round, the real search ({@link
 * Searcher#over}) measures what a user would find.
 *
 * <p>Setup, from the seed: {@link Config#machines} machines ({@link Machines}: {@code
 * http://m0001.sim/} for the first), each with {@link Config#entriesPerMachine} own entries
 * drawn as the maintainer tests draw theirs ({@link EntryDraws}), so a seed gives the entries
 * the maintenance benchmark's ring of the same seed had ({@link Config#zipf} draws the keys by
 * Zipf's law instead). Each machine is told only the next one's root as its peer.
 *
 * <p>A round: the clock moves on by {@link #ROUND_TIME}; the round's failures happen ({@link
 * Failures}: a share of the machines stopped at once, machines replaced by new ones); every
 * running machine runs its jobs once ({@link Maintainer#round}: sync, submit, link check, rules),
 * on a pool of {@link Config#threads} threads in {@link Network.Mode#ROUNDS} (or one after
 * another, in machine order, in {@link Network.Mode#LIVE}), then the network's barrier. Then the
 * measures ({@link Round}, taken by a {@link Measurer}): from each of {@link Config#roots} roots
 * sampled once from the seed, a range search over every key (budgets 20,000 nodes, 256 MB, 60
 * s); {@link Config#lookups} exact lookups of entries sampled once from the seed, each from one
 * of those roots in turn; the entries each running machine stores in its leaves. The time stands
 * still within a round, so the outcome of a seed does not depend on the threads.
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
 *
 * <p>Where things live: this class runs the rounds and keeps the crashes; the machines, their
 * statuses and the entries expected of them are {@link Machines}; their own entries are drawn by
 * {@link EntryDraws}; the measures are a {@link Measurer}'s; the threads are a {@link TaskPool}.
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

    private final Config config;
    private final PrintWriter errors;
    private final SimClock clock = new SimClock(START);
    private final Network network;
    private final Machines machines;
    private final TaskPool pool;
    private final Measurer measurer;
    private final List<Crash> crashes = new ArrayList<>();
    private final Set<Class<?>> traced = new HashSet<>();
    private @Nullable Round beforeRepair;
    private int round;

    private Simulation(Path dir, Config config, PrintWriter errors) {
        this.config = config;
        this.errors = errors;
        this.network = new Network(config.mode(), clock);
        this.machines = new Machines(dir, config, clock, network);
        this.pool = new TaskPool(config.threads());
        this.measurer = new Measurer(config, machines, network, pool);
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
            s.machines.setUp();
            s.network.barrier();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
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
        return machines.bases();
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
        return measurer.measure(round, Network.Counts.ZERO, 0, 0, 0);
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
        machines.newRound();
        Failures f = config.failures();
        int stopped = f.stopsIn(round) ? machines.stop(f.stopFraction()) : 0;
        int replaced = f.churnsIn(round) ? machines.churn(f.churn()) : 0;
        if (replaced > 0) {
            network.barrier(); // new machines serve their files from the start
        }
        if (f.stopsIn(round)) {
            beforeRepair = measurer.measure(round, Network.Counts.ZERO, stopped, replaced, 0);
        }
        Network.Counts before = network.total();
        List<Machine> ran = machines.running();
        List<Callable<Optional<Throwable>>> jobs = new ArrayList<>();
        for (Machine m : ran) {
            jobs.add(() -> crashOf(m));
        }
        List<Optional<Throwable>> outcomes;
        if (config.mode() == Network.Mode.LIVE) {
            outcomes = new ArrayList<>();
            for (Callable<Optional<Throwable>> job : jobs) {
                outcomes.add(TaskPool.call(job));
            }
        } else {
            outcomes = pool.all(jobs);
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
        Round r =
                measurer.measure(round, network.total().minus(before), stopped, replaced, crashed);
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
        return measurer.storage();
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
        machines.crashed(m);
        crashes.add(new Crash(round, m.base, t));
        if (traced.add(t.getClass())) {
            errors.println("machine " + m.base + " crashed in round " + round
                    + " and is stopped; the first " + t.getClass().getName()
                    + " (later ones are only counted):");
            t.printStackTrace(errors);
            errors.flush();
        }
    }

    /** Stops the threads and closes the trees (their folders stay). */
    @Override
    public void close() throws IOException {
        pool.close();
        measurer.close();
        machines.close();
    }
}
