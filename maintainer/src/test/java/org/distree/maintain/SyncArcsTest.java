package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.distree.maintain.internal.Balance;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.Ring;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.distree.tree.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync with a ring ({@code positions} above 0): a machine copies only the keys it holds, drops
 * copies outside them, and marks what it vouches for.
 */
class SyncArcsTest {
    static final int MACHINES = 8;
    static final int OWN = 120;

    @TempDir
    Path dir;

    static String origin(int k) {
        return String.format(Locale.ROOT, "http://m%d.test", k);
    }

    static List<Entry> own(int k) {
        Random r = new Random(k);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < OWN; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 0, n = 3 + r.nextInt(8); j < n; j++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            out.add(Entry.of(w.toString(), "https://e.org/m" + k + "/" + i, "Page " + i, ""));
        }
        return out;
    }

    static List<Bound> allPositions() {
        List<Bound> points = new ArrayList<>();
        for (int k = 0; k < MACHINES; k++) {
            own(k).forEach(e -> points.add(e.position()));
        }
        return points;
    }

    /** Machines 1 to 7 as peers of machine 0, which runs sync with these settings. */
    final class Ringed implements AutoCloseable {
        final List<LocalTree> trees = new ArrayList<>();
        final SyncJobTest.Peer net;
        final Maintainer self;

        Ringed(Map<String, String> settings) throws IOException {
            for (int k = 0; k < MACHINES; k++) {
                LocalTree t = LocalTree.open(
                        NodeStore.open(dir.resolve("m" + k), false), Clock.systemUTC());
                t.insert(own(k));
                trees.add(t);
            }
            // The peers publish their places as a machine on the ring does, over the keys of
            // the whole index; machine 0 chooses its own in its first sync.
            for (int k = 1; k < MACHINES; k++) {
                trees.get(k)
                        .setRootAttribute(
                                org.distree.model.Node.PLACES,
                                Ring.encode(Ring.placesOf(origin(k), allPositions(), 4)));
            }
            net = new SyncJobTest.Peer(trees.get(1));
            net.trees.clear();
            List<String> peers = new ArrayList<>();
            for (int k = 1; k < MACHINES; k++) {
                net.trees.put("m" + k + ".test", trees.get(k));
                peers.add(origin(k) + "/index.html");
            }
            Map<String, String> all = new java.util.HashMap<>();
            all.put("positions", "4");
            all.putAll(settings);
            all.put("base-url", origin(0) + "/");
            all.put("peers", String.join(",", peers));
            all.put("per-host-interval-ms", "0");
            self = new Maintainer(
                    MaintainerConfig.of(dir.resolve("m0"), all),
                    trees.get(0),
                    net,
                    Clock.systemUTC());
        }

        /** The ring as the machines publish it on their roots. */
        Ring ring() throws IOException {
            Map<String, List<Bound>> places = new java.util.LinkedHashMap<>();
            for (int k = 0; k < MACHINES; k++) {
                places.put(origin(k), Ring.decode(trees.get(k).root().extra().get(Node.PLACES)));
            }
            return Ring.of(places, 3);
        }

        @Override
        public void close() throws IOException {
            for (LocalTree t : trees) {
                t.close();
            }
        }
    }

    @Test
    void copiesExactlyTheKeysItHoldsAndVouchesOnlyForThem() throws Exception {
        try (Ringed r = new Ringed(Map.of("copy-budget", "-1"))) {
            r.self.run(Maintainer.Job.SYNC);
            r.self.run(Maintainer.Job.SYNC);
            List<Range> arcs = r.ring().arcs(origin(0));
            assertThat(arcs).isNotEmpty().doesNotContain(Range.ALL);
            Set<Bound> want = new HashSet<>();
            own(0).forEach(e -> want.add(e.position()));
            for (int k = 1; k < MACHINES; k++) {
                for (Entry e : own(k)) {
                    if (arcs.stream().anyMatch(a -> a.contains(e.position()))) {
                        want.add(e.position());
                    }
                }
            }
            Set<Bound> held = SyncJobTest.held(r.trees.get(0)).keySet();
            assertThat(held).isEqualTo(want);
            int complete = 0;
            for (LocalNodes.Local l : LocalNodes.list(r.trees.get(0))) {
                Node n = l.node();
                if (!n.isLeaf()) {
                    continue;
                }
                boolean inside = Ring.within(arcs, n.range());
                assertThat(n.partial()).as(l.name() + " " + n.range()).isEqualTo(!inside);
                // No leaf straddles the edge of an arc.
                assertThat(inside || !Ring.meets(arcs, n.range()))
                        .as(l.name() + " " + n.range())
                        .isTrue();
                complete += inside ? 1 : 0;
            }
            assertThat(complete).isPositive();
            // Its root links, for the keys it does not hold, the peers' leaves (unmarked, so
            // complete): from the root every key reaches a node that vouches for it.
            assertThat(r.trees.get(0).root().partial()).isFalse();
            assertThat(r.trees.get(0).root().children())
                    .anyMatch(c -> c.href().startsWith("http://m1.test/"));
            assertThat(Trees.lint(r.trees.get(0)).violations()).isEmpty();

            // Nothing changed: a third sync copies, drops and marks nothing.
            JobReport again = r.self.run(Maintainer.Job.SYNC);
            assertThat(again.detail()).contains("0 copies removed", "0 entries copied");
            assertThat(again.detail())
                    .as("the ring as this run saw it")
                    .contains("ring of " + MACHINES + " machines (" + (MACHINES - 1)
                            + " roots read now), " + arcs.size() + " ranges held, " + arcs.size()
                            + " vouched for, settled");
        }
    }

    @Test
    void aPeersNodeThatCannotBeReadKeepsItsRangeFromBeingVouchedForInThatRun() throws Exception {
        try (Ringed r = new Ringed(Map.of("copy-budget", "-1"))) {
            // Enough entries on machine 1 for a tree of several leaves under its root.
            List<Entry> more = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                more.add(Entry.of("w" + (i * 7919 % 1000), "https://e.org/m1/more/" + i, "", ""));
            }
            r.trees.get(1).insert(more);
            r.self.run(Maintainer.Job.SYNC);
            r.self.run(Maintainer.Job.SYNC);
            List<Range> arcs = r.ring().arcs(origin(0));
            // A new entry of machine 1 inside machine 0's ranges: the leaf of machine 1 that
            // holds it changes, and answers 404 (renamed between machine 0's reads, say).
            Entry added = null;
            for (Entry held : own(1)) {
                Entry e = Entry.of(held.key(), held.link() + "/new", "New", "");
                if (added == null && Ring.contains(arcs, e.position())) {
                    added = e;
                }
            }
            assertThat(added).as("an entry of machine 1 in machine 0's ranges").isNotNull();
            r.trees.get(1).insert(List.of(added));
            String leaf = null;
            for (LocalNodes.Local l : LocalNodes.list(r.trees.get(1))) {
                if (l.node().isLeaf() && l.node().range().contains(added.position())) {
                    leaf = l.name();
                }
            }
            assertThat(r.trees.get(1).root().isLeaf()).isFalse();
            URI gone = URI.create(origin(1) + "/" + leaf);
            r.net.gone.add(gone);

            JobReport blind = r.self.run(Maintainer.Job.SYNC);
            assertThat(blind.detail())
                    .contains("but where 1 nodes linked could not be read")
                    .doesNotContain("settled");
            assertThat(SyncJobTest.held(r.trees.get(0))).doesNotContainKey(added.position());
            assertThat(leafOf(r.trees.get(0), added.position()).partial())
                    .as("machine 0 does not vouch for a range whose entries it could not read")
                    .isTrue();

            r.net.gone.remove(gone);
            JobReport seeing = r.self.run(Maintainer.Job.SYNC);
            assertThat(seeing.detail()).doesNotContain("could not be read");
            assertThat(SyncJobTest.held(r.trees.get(0))).containsKey(added.position());
            assertThat(leafOf(r.trees.get(0), added.position()).partial()).isFalse();
        }
    }

    /** The leaf of {@code tree} whose range holds {@code point}. */
    private static Node leafOf(LocalTree tree, Bound point) throws IOException {
        for (LocalNodes.Local l : LocalNodes.list(tree)) {
            if (l.node().isLeaf() && l.node().range().contains(point)) {
                return l.node();
            }
        }
        throw new AssertionError("no leaf holds " + point);
    }

    @Test
    void aFetchBudgetTooSmallForTheRingIsReportedWithTheSettingToRaise() throws Exception {
        try (Ringed r = new Ringed(Map.of("max-fetches-per-round", "5"))) {
            r.self.run(Maintainer.Job.SYNC);
            JobReport second = r.self.run(Maintainer.Job.SYNC);
            assertThat(second.detail())
                    .contains("max-fetches-per-round=5")
                    .contains("nothing was dropped or vouched for");
        }
        try (Ringed r = new Ringed(Map.of())) {
            r.self.run(Maintainer.Job.SYNC);
            assertThat(r.self.run(Maintainer.Job.SYNC).detail())
                    .doesNotContain("max-fetches-per-round");
        }
    }

    @Test
    void aRangeTheBudgetCutShortIsNotVouchedFor() throws Exception {
        try (Ringed r = new Ringed(Map.of("copy-budget", "50"))) {
            r.self.run(Maintainer.Job.SYNC);
            List<Range> arcs = r.ring().arcs(origin(0));
            long copies = SyncJobTest.held(r.trees.get(0)).values().stream()
                    .filter(e -> e.extra().containsKey(SyncJob.COPY))
                    .count();
            assertThat(copies).isEqualTo(50);
            // Every key of the arcs that the budget left out lies in a leaf marked partial (the
            // leaf may reach past the arc: both sides are partial, so it is not cut there).
            Set<Bound> held = SyncJobTest.held(r.trees.get(0)).keySet();
            List<Node> leaves = new ArrayList<>();
            for (LocalNodes.Local l : LocalNodes.list(r.trees.get(0))) {
                if (l.node().isLeaf()) {
                    leaves.add(l.node());
                }
            }
            int leftOut = 0;
            for (int k = 1; k < MACHINES; k++) {
                for (Entry e : own(k)) {
                    Bound p = e.position();
                    if (arcs.stream().anyMatch(a -> a.contains(p)) && !held.contains(p)) {
                        leftOut++;
                        assertThat(leaves)
                                .filteredOn(n -> n.range().contains(p))
                                .as("the leaf of %s", p)
                                .allSatisfy(n -> assertThat(n.partial()).isTrue());
                    }
                }
            }
            assertThat(leftOut).as("keys of the arcs the budget left out").isPositive();
        }
    }

    @Test
    void copiesOutsideTheRangesHeldGoWhenTheRingGrows() throws Exception {
        // With positions=0 machine 0 copies everything; switched to a ring, it keeps only its
        // arcs, and its own entries all stay.
        try (Ringed r = new Ringed(Map.of("copy-budget", "-1", "positions", "0"))) {
            r.self.run(Maintainer.Job.SYNC);
            assertThat(SyncJobTest.held(r.trees.get(0))).hasSize(MACHINES * OWN);
        }
        try (LocalTree t =
                LocalTree.open(NodeStore.open(dir.resolve("m0"), false), Clock.systemUTC())) {
            assertThat(SyncJobTest.held(t)).hasSize(MACHINES * OWN);
        }
        try (Ringed r = new Ringed(Map.of("copy-budget", "-1"))) {
            JobReport rep = r.self.run(Maintainer.Job.SYNC);
            List<Range> arcs = r.ring().arcs(origin(0));
            Set<Bound> held = SyncJobTest.held(r.trees.get(0)).keySet();
            assertThat(held).hasSizeLessThan(MACHINES * OWN);
            for (Entry e : own(0)) {
                assertThat(held).contains(e.position());
            }
            for (Map.Entry<Bound, Entry> e : SyncJobTest.held(r.trees.get(0)).entrySet()) {
                if (e.getValue().extra().containsKey(SyncJob.COPY)) {
                    assertThat(arcs.stream().anyMatch(a -> a.contains(e.getKey())))
                            .isTrue();
                }
            }
            assertThat(rep.detail()).doesNotContain(" 0 copies removed");
        }
    }

    @Test
    void aRingWhereEveryMachineMaintainsItselfVouchesForEveryKeyAndLintsClean() throws Exception {
        // Eight machines, each told only the next one's root, each running every job: its
        // places published, its ranges copied and vouched for, routing nodes under its root.
        List<LocalTree> trees = new ArrayList<>();
        List<Maintainer> maintainers = new ArrayList<>();
        try {
            for (int k = 0; k < MACHINES; k++) {
                LocalTree t = LocalTree.open(
                        NodeStore.open(dir.resolve("m" + k), false), Clock.systemUTC());
                t.insert(own(k));
                trees.add(t);
            }
            maintainers.addAll(ring(dir, trees, Map.of()));
            for (int round = 0; round < 8; round++) {
                for (Maintainer m : maintainers) {
                    m.round();
                }
            }
            for (int k = 0; k < MACHINES; k++) {
                assertThat(Ring.decode(trees.get(k).root().extra().get(Node.PLACES)))
                        .as("places of m" + k)
                        .hasSize(4);
                assertThat(Trees.lint(trees.get(k)).violations())
                        .as("lint of m" + k)
                        .isEmpty();
            }
            everyOwnEntryIsInACompleteLeafThatHoldsIt(trees);
            // Bounded: each machine holds its own entries and about 3 of 8 shares, not every
            // entry (the protocol before copies all 960 everywhere).
            for (LocalTree t : trees) {
                assertThat(SyncJobTest.held(t).size()).isLessThan(MACHINES * OWN * 6 / 10);
            }
        } finally {
            for (LocalTree t : trees) {
                t.close();
            }
        }
    }

    @Test
    void aMachineThatStoresMuchMoreThanTheOthersMovesItsPlacesUntilItDoesNot() throws Exception {
        Map<String, Long> with = ringWithOneHeavyMachine(true);
        Map<String, Long> without = ringWithOneHeavyMachine(false);
        assertThat(without.get(origin(0))).as("the heavy machine, places kept").isGreaterThan((long)
                (Balance.HEAVY * median(without)));
        assertThat(with.get(origin(0)))
                .as("the heavy machine, places moved")
                .isLessThan(without.get(origin(0)))
                .isLessThanOrEqualTo((long) (Balance.HEAVY * median(with)) + OWN / 8);
    }

    private static long median(Map<String, Long> stores) {
        List<Long> sorted = new ArrayList<>(stores.values());
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Eight machines, each told the next one's root, machine 0 publishing places just inside
     * the four largest segments of the others' ring (so that it holds them), run for 8 rounds
     * with {@code balance} set as given; checks what every round must keep whatever moves
     * (every entry vouched for by a complete leaf that holds it, lint clean, every store
     * published) and returns each machine's store.
     */
    private Map<String, Long> ringWithOneHeavyMachine(boolean balance) throws Exception {
        Path base = dir.resolve("balance-" + balance);
        List<LocalTree> trees = new ArrayList<>();
        try {
            Map<String, List<Bound>> others = new java.util.LinkedHashMap<>();
            for (int k = 0; k < MACHINES; k++) {
                LocalTree t = LocalTree.open(
                        NodeStore.open(base.resolve("m" + k), false), Clock.systemUTC());
                t.insert(own(k));
                trees.add(t);
                if (k > 0) {
                    List<Bound> p = Ring.placesOf(origin(k), allPositions(), 4);
                    t.setRootAttribute(Node.PLACES, Ring.encode(p));
                    others.put(origin(k), p);
                }
            }
            List<Bound> sorted = new ArrayList<>(new java.util.TreeSet<>(allPositions()));
            Ring seven = Ring.of(others, 3);
            List<List<Bound>> segments = new ArrayList<>();
            for (String m : others.keySet()) {
                for (Ring.Share sh : seven.shares(m)) {
                    segments.add(Balance.in(sorted, sh.own()));
                }
            }
            segments.sort(java.util.Comparator.comparingInt((List<Bound> l) -> l.size())
                    .reversed());
            List<Bound> heavy = new ArrayList<>();
            for (List<Bound> seg : segments.subList(0, 4)) {
                heavy.add(seg.get(1));
            }
            trees.get(0).setRootAttribute(Node.PLACES, Ring.encode(heavy));
            List<Maintainer> maintainers =
                    ring(base, trees, Map.of("balance", Boolean.toString(balance)));
            for (int round = 0; round < 10; round++) {
                for (Maintainer m : maintainers) {
                    m.round();
                }
            }
            Map<String, Long> stores = new java.util.LinkedHashMap<>();
            for (int k = 0; k < MACHINES; k++) {
                LocalTree t = trees.get(k);
                assertThat(Trees.lint(t).violations()).as("lint of m" + k).isEmpty();
                long held = SyncJobTest.held(t).size();
                stores.put(origin(k), held);
                long said = Long.parseLong(t.root().extra().get(Node.STORED));
                assertThat(Math.abs(said - held)).as("store m" + k).isLessThanOrEqualTo(held / 32);
            }
            boolean moved =
                    !Ring.decode(trees.get(0).root().extra().get(Node.PLACES)).equals(heavy);
            assertThat(moved).as("machine 0's places moved").isEqualTo(balance);
            everyOwnEntryIsInACompleteLeafThatHoldsIt(trees);
            return stores;
        } finally {
            for (LocalTree t : trees) {
                t.close();
            }
        }
    }

    /**
     * Every own entry is listed by a complete leaf of some machine, and no complete leaf misses
     * an entry in its range: what vouches, holds.
     */
    private static void everyOwnEntryIsInACompleteLeafThatHoldsIt(List<LocalTree> trees)
            throws IOException {
        List<Node> complete = new ArrayList<>();
        for (LocalTree t : trees) {
            for (LocalNodes.Local l : LocalNodes.list(t)) {
                if (l.node().isLeaf() && !l.node().partial()) {
                    complete.add(l.node());
                }
            }
        }
        for (int k = 0; k < MACHINES; k++) {
            for (Entry e : own(k)) {
                List<Node> over = complete.stream()
                        .filter(n -> n.range().contains(e.position()))
                        .toList();
                assertThat(over).as(e.key()).isNotEmpty();
                assertThat(over)
                        .as(e.key())
                        .allMatch(n -> n.entries().stream()
                                .anyMatch(x -> x.position().equals(e.position())));
            }
        }
    }

    /**
     * A maintainer for each tree, on one network: machine k at {@link #origin}, told machine k +
     * 1's root, 4 places, no copy budget, with {@code settings} over those.
     */
    private static List<Maintainer> ring(
            Path base, List<LocalTree> trees, Map<String, String> settings) throws IOException {
        SyncJobTest.Peer net = new SyncJobTest.Peer(trees.get(0));
        net.trees.clear();
        for (int k = 0; k < MACHINES; k++) {
            net.trees.put("m" + k + ".test", trees.get(k));
        }
        List<Maintainer> out = new ArrayList<>();
        for (int k = 0; k < MACHINES; k++) {
            Map<String, String> s = new java.util.HashMap<>();
            s.put("positions", "4");
            s.put("copy-budget", "-1");
            s.put("base-url", origin(k) + "/");
            s.put("peers", origin((k + 1) % MACHINES) + "/index.html");
            s.put("per-host-interval-ms", "0");
            s.putAll(settings);
            out.add(new Maintainer(
                    MaintainerConfig.of(base.resolve("m" + k), s),
                    trees.get(k),
                    net,
                    Clock.systemUTC()));
        }
        return out;
    }
}
