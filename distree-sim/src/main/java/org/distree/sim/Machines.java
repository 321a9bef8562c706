package org.distree.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.distree.maintain.Maintainer;
import org.distree.maintain.MaintainerConfig;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * The machines of a {@link Simulation} in ring order (the order they joined: the first {@link
 * Config#machines} in setup order, then each new machine of {@link Failures#churn}), each a tree
 * folder under the simulation's folder (named after the machine, not forced to disk) with its own
 * entries ({@link EntryDraws}) and the real {@link Maintainer}, served on the {@link Network};
 * and the own entries the measures expect to find ({@link #live}, {@link #kept}, {@link
 * #joined}), kept in step as machines join, stop, crash and are replaced.
 *
 * <p>Machine {@code i} (from 0) is {@code http://m<i+1>.sim/}, four digits at least ({@code
 * http://m0001.sim/} for the first). Its maintainer settings: {@code per-host-interval-ms=0},
 * {@code max-fetches-per-round} from {@link #fetchBudget}, {@code walk-cache-files} from {@link
 * #walkCacheFiles}, then {@link Config#settings}, then
 * {@code copy-budget}, {@code base-url} and {@code peers} (one peer: at setup the next machine
 * in ring order, for a new machine a running one drawn from the seed). Who stops and who is
 * replaced is drawn from the seed too. Statuses change on the simulation's own thread only.
 */
final class Machines implements AutoCloseable {
    /** Why a machine is not running, or that it is. */
    enum Status {
        RUNNING,
        STOPPED,
        CRASHED,
        REPLACED
    }

    /** One machine; its status changes on the simulation's own thread only. */
    static final class Machine {
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

    private final Path dir;
    private final Config config;
    private final SimClock clock;
    private final Network network;
    private final EntryDraws draws;
    /** Draws who stops, who is replaced, and the new machines' peers. */
    private final Random events;

    private final List<Machine> machines = new ArrayList<>();
    private final List<LocalTree> trees = new ArrayList<>();
    /** The own entries of the running machines. */
    private final Set<Bound> live = new HashSet<>();
    /** The own entries of every machine not replaced. */
    private final Set<Bound> kept = new HashSet<>();
    /** The own entries of the machines that joined at the start of this round. */
    private final Set<Bound> joined = new HashSet<>();

    private double churnOwed;

    /** No machines yet: {@link #setUp} makes the first ones, in {@code dir}. */
    Machines(Path dir, Config config, SimClock clock, Network network) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.network = network;
        this.draws = new EntryDraws(config);
        this.events = new Random(config.seed() * 41 + 11);
    }

    /**
     * Makes the first {@link Config#machines} machines with their entries (all drawn before the
     * first joins), each told the next one's root as its peer, the last the first's.
     */
    void setUp() throws IOException {
        int n = config.machines();
        List<List<Entry>> owns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            owns.add(draws.next(i));
        }
        for (int i = 0; i < n; i++) {
            URI peer = base(name((i + 1) % n)).resolve(NodeStore.INDEX);
            join(i, owns.get(i), peer);
        }
    }

    /**
     * The fetch budget each machine's maintainer gets: 2,000, or 20 per machine of a larger ring
     * (a run on the ring asks 11 to 14 files a machine, docs/PROTOCOL.md, *Limits*; a budget cut
     * short would measure the budget, not the protocol).
     */
    static int fetchBudget(int machines) {
        return Math.max(2000, 20 * machines);
    }

    /**
     * The files a machine's walk keeps between rounds: the default 4,096, or 8 a machine on
     * rings over 512 machines (a walk reads about 5 files of each machine).
     */
    static int walkCacheFiles(int machines) {
        return Math.max(4096, 8 * machines);
    }

    /** The name of machine {@code i} (from 0): {@code m0001} for the first. */
    private static String name(int i) {
        return String.format(Locale.ROOT, "m%04d", i + 1);
    }

    private static URI base(String name) {
        return URI.create("http://" + name + ".sim/");
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
        s.put("walk-cache-files", Integer.toString(walkCacheFiles(config.machines())));
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

    /** A new round starts: no machine has joined in it yet. */
    void newRound() {
        joined.clear();
    }

    /** The running machines, in ring order. */
    List<Machine> running() {
        return machines.stream().filter(m -> m.status == Status.RUNNING).toList();
    }

    /** The first running machine at or after {@code index} in ring order, or null if none. */
    @Nullable
    Machine runningFrom(int index) {
        int n = machines.size();
        for (int j = 0; j < n; j++) {
            Machine m = machines.get((index + j) % n);
            if (m.status == Status.RUNNING) {
                return m;
            }
        }
        return null;
    }

    /** The base URLs of the machines, in ring order, stopped ones too. */
    List<URI> bases() {
        return machines.stream().map(m -> m.base).toList();
    }

    /** Stops a share of the running machines at once, drawn from the seed; how many. */
    int stop(double fraction) {
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

    /**
     * Replaces a share of the running machines by new ones, drawn from the seed; how many. The
     * shares owed carry over from round to round, so a small share still replaces one now and
     * then; at least one machine keeps running.
     */
    int churn(double fraction) throws IOException {
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
            List<Entry> own = draws.next(index);
            join(index, own, peer);
            own.forEach(e -> joined.add(e.position()));
        }
        return k;
    }

    /** A machine crashed: it is stopped on the network, and its entries are no longer live. */
    void crashed(Machine m) {
        m.status = Status.CRASHED;
        network.stop(m.base);
        m.own.forEach(e -> {
            live.remove(e.position());
            joined.remove(e.position());
        });
    }

    /** The own entries of the running machines (a view). */
    Set<Bound> live() {
        return Collections.unmodifiableSet(live);
    }

    /** The own entries of every machine not replaced (a view). */
    Set<Bound> kept() {
        return Collections.unmodifiableSet(kept);
    }

    /** The own entries of the machines that joined at the start of this round (a view). */
    Set<Bound> joined() {
        return Collections.unmodifiableSet(joined);
    }

    /** Closes the trees (their folders stay); the first failure is thrown once all are tried. */
    @Override
    public void close() throws IOException {
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
