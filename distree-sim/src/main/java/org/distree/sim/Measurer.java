package org.distree.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.html.NodeFormatException;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.sim.Machines.Machine;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;

/**
 * The measures of a {@link Simulation} ({@link Round}, {@link Stored}), taken with the real
 * search ({@link Searcher#over} the {@link Network}, default crawl settings) on the pool's
 * threads: from each of {@link Config#roots} roots sampled once from the seed, a range search
 * over every key (budgets: the larger of 20,000 nodes and one for each 10 live entries, of
 * 256 MB and 1 KB an entry, of 60 s and 0.2 ms an entry); {@link Config#lookups} exact lookups of
 * entries sampled once from the seed, each from one of those roots in turn; the entries each
 * running machine stores in its leaves. A sampled root or entry whose machine is not running is
 * stood in for as the {@link Simulation} class comment says, which also says what recall means.
 */
final class Measurer implements AutoCloseable {
    /**
     * An exact lookup: the {@code entry}-th own entry of machine {@code owner}, from the {@code
     * root}-th sampled root.
     */
    private record Lookup(int owner, int entry, int root) {}

    /** What one lookup did: whether it found its entry, its fetches, the machines it asked. */
    private record Looked(boolean found, int fetches, int machines) {}

    /** What one range search found: the shares of the live and of the kept entries. */
    private record Found(double live, double kept, double settled) {}

    private final Machines machines;
    private final TaskPool pool;
    private final Searcher searcher;
    /** The sampled roots, as indexes of machines. */
    private final List<Integer> roots = new ArrayList<>();

    private final List<Lookup> lookups = new ArrayList<>();

    /** Samples the roots and the lookups from the seed, for the machines of {@code config}. */
    Measurer(Config config, Machines machines, Network network, TaskPool pool) {
        this.machines = machines;
        this.pool = pool;
        this.searcher = Searcher.over(network, CrawlConfig.defaults());
        int n = config.machines();
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
        // The setup's entries, machine by machine, perMachine each, numbered in that order.
        int entries = Math.toIntExact((long) n * perMachine);
        for (int k = 0; k < config.lookups() && entries > 0; k++) {
            int e = sample.nextInt(entries);
            lookups.add(new Lookup(e / perMachine, e % perMachine, k % roots.size()));
        }
    }

    /**
     * The measures of the state now.
     *
     * @param traffic what the machines' jobs asked of the network since the round began
     */
    Round measure(int round, Network.Counts traffic, int stopped, int replaced, int crashed)
            throws IOException {
        List<Callable<Found>> recalls = new ArrayList<>();
        for (int r : roots) {
            Machine m = machines.runningFrom(r);
            recalls.add(() -> m == null ? new Found(0, 0, 0) : recall(m.root()));
        }
        List<Callable<Looked>> found = new ArrayList<>();
        for (Lookup l : lookups) {
            Machine owner = machines.runningFrom(l.owner());
            Machine root = machines.runningFrom(roots.get(l.root()));
            found.add(() -> owner == null || root == null
                    ? new Looked(false, 0, 0)
                    : lookup(owner.own.get(l.entry() % owner.own.size()), root.root()));
        }
        List<Machine> up = machines.running();
        List<Found> r = pool.all(recalls);
        List<Looked> f = pool.all(found);
        long[] s = stored(up).stream().mapToLong(Long::longValue).toArray();
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
                machines.live().size(),
                r.stream().mapToDouble(Found::kept).min().orElse(1),
                percentile99(fetches),
                median(asked),
                traffic.conditional(),
                r.stream().mapToDouble(Found::settled).min().orElse(1),
                Double.NaN,
                Double.NaN);
    }

    /**
     * What each running machine stores now, in ring order: the entries in its leaves, its own
     * entries, and the share of an even load that is.
     */
    List<Stored> storage() throws IOException {
        List<Machine> up = machines.running();
        List<Long> s = stored(up);
        int live = machines.live().size();
        List<Stored> out = new ArrayList<>();
        for (int i = 0; i < up.size(); i++) {
            long n = s.get(i);
            double share = live == 0 ? 0 : (double) n * up.size() / live;
            out.add(new Stored(up.get(i).base, n, up.get(i).own.size(), share));
        }
        return out;
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
     * root} finds (1 for an empty set), and of the live ones but those that joined this round.
     */
    private Found recall(URI root) {
        Set<Bound> live = machines.live();
        SearchResult r = searcher.search(SearchRequest.range(List.of(root), null, null)
                .withBudgets(
                        Math.max(20_000, live.size() / 10),
                        Math.max(256L << 20, live.size() * 1024L),
                        Duration.ofSeconds(Math.max(60, live.size() / 5_000))));
        Set<Bound> kept = machines.kept();
        Set<Bound> joined = machines.joined();
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

    /** What {@link #stored(LocalTree)} counts for each machine, read on the pool. */
    private List<Long> stored(List<Machine> up) throws IOException {
        List<Callable<Long>> stored = new ArrayList<>();
        for (Machine m : up) {
            stored.add(() -> stored(m.tree));
        }
        return pool.all(stored);
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

    /** Closes the search's fetchers. */
    @Override
    public void close() {
        searcher.close();
    }
}
