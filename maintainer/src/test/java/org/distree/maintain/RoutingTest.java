package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.junit.jupiter.api.Test;

class RoutingTest {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    static ChildRef ref(String href, String low, String high, int height, long size) {
        return new ChildRef(
                href,
                new Range(low == null ? null : Bound.of(low), high == null ? null : Bound.of(high)),
                height,
                size,
                NOW,
                Status.OK,
                Map.of());
    }

    @Test
    void chainsTakeTheFurthestReachOnAnotherMachineAndSkipWhatNothingHolds() {
        List<ChildRef> c = List.of(
                ref("http://a/1", null, "d", 0, 10),
                ref("http://b/1", null, "f", 0, 10),
                ref("http://a/2", "d", "h", 0, 10),
                ref("http://c/1", "f", "g", 0, 10),
                ref("http://c/2", "k", null, 0, 10));
        List<List<ChildRef>> chains = RoutingChains.chains(c, 2);
        // The first takes b/1 (reaching furthest), the second a/1 beside it; at d the second
        // moves on first (a/2, on another machine than b/1), at f the first takes c/1; [g, k)
        // only a/2 holds, and c/2 goes to the first chain to reach k. The first also takes a/2,
        // where only the second chain held [g, h): alone it reaches every key held.
        assertThat(chains).hasSize(2);
        assertThat(chains.get(0))
                .extracting(ChildRef::href)
                .containsExactly("http://b/1", "http://a/2", "http://c/1", "http://c/2");
        assertThat(chains.get(1))
                .extracting(ChildRef::href)
                .containsExactly("http://a/1", "http://a/2");
    }

    @Test
    void everyKeyHasItsChainsLinksOnAsManyMachinesAsHoldIt() {
        // Machines whose complete leaves are cut at different keys: drawn one chain after the
        // other, the later chains met the earlier ones' machines further up (2 stops of 10 left
        // keys with no live link); drawn together, each point has its links on at least
        // min(3, holders) machines (more where a link reaches below the point it was taken at).
        java.util.Random r = new java.util.Random(13);
        for (int trial = 0; trial < 200; trial++) {
            List<ChildRef> c = new ArrayList<>();
            int machines = 3 + r.nextInt(4);
            for (int m = 0; m < machines; m++) {
                // Each machine holds a few arcs of 'a'..'z', each cut into leaves at random,
                // some with a node above them.
                int at = r.nextInt(4);
                while (at < 26) {
                    int end = Math.min(26, at + 1 + r.nextInt(12));
                    if (r.nextBoolean()) {
                        // The node above the arc's leaves is a candidate too.
                        c.add(ref(
                                "http://m" + m + "/up-" + at,
                                at == 0 ? null : String.valueOf((char) ('a' + at)),
                                end == 26 ? null : String.valueOf((char) ('a' + end)),
                                1,
                                200));
                    }
                    int low = at;
                    while (low < end) {
                        int high = Math.min(end, low + 1 + r.nextInt(4));
                        c.add(ref(
                                "http://m" + m + "/" + low + "-" + high,
                                low == 0 ? null : String.valueOf((char) ('a' + low)),
                                high == 26 ? null : String.valueOf((char) ('a' + high)),
                                0,
                                1 + r.nextInt(40)));
                        low = high;
                    }
                    at = end + r.nextInt(6);
                }
            }
            java.util.Collections.shuffle(c, r);
            List<List<ChildRef>> chains = RoutingChains.chains(c, 3);
            Set<String> used = new HashSet<>();
            for (List<ChildRef> chain : chains.subList(1, chains.size())) {
                for (ChildRef link : chain) {
                    assertThat(used.add(link.href()))
                            .as("each candidate in one chain")
                            .isTrue();
                }
            }
            for (int k = 0; k < 26; k++) {
                Bound p = k == 0 ? null : Bound.of(String.valueOf((char) ('a' + k)));
                Set<String> holders = machinesHolding(c, p);
                Set<String> linked = new HashSet<>();
                chains.forEach(chain -> linked.addAll(machinesHolding(chain, p)));
                assertThat(machinesHolding(chains.get(0), p))
                        .as("trial " + trial + ": the first chain alone reaches " + p)
                        .hasSizeGreaterThanOrEqualTo(Math.min(1, holders.size()));
                assertThat(linked.size())
                        .as("trial " + trial + ", machines linked at " + p + " of " + holders + ": "
                                + chains)
                        .isGreaterThanOrEqualTo(Math.min(3, holders.size()));
            }
        }
    }

    private static Set<String> machinesHolding(List<ChildRef> links, Bound p) {
        Set<String> out = new HashSet<>();
        for (ChildRef l : links) {
            if (p == null ? l.range().low() == null : l.range().contains(p)) {
                out.add(Adoption.origin(l));
            }
        }
        return out;
    }

    @Test
    void aLongChainIsCutInRoutingNodesThatTileTheKeysAndObeyTheRules() {
        List<ChildRef> chain = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            chain.add(ref(
                    "http://m" + (i % 7) + ".example/n/" + i + ".html",
                    i == 0 ? null : String.format(java.util.Locale.ROOT, "k%03d", i),
                    i == 119 ? null : String.format(java.util.Locale.ROOT, "k%03d", i + 1),
                    0,
                    30 + i % 10));
        }
        List<ChildRef> lifted = new ArrayList<>();
        List<Node> groups = RoutingRuns.groups(chain, lifted, NOW);
        assertThat(lifted).isEmpty();
        assertThat(groups).hasSizeGreaterThan(1);
        Bound expected = null;
        for (int i = 0; i < groups.size(); i++) {
            Node g = groups.get(i);
            assertThat(g.range().low()).isEqualTo(expected);
            expected = g.range().high();
            assertThat(Rules.fits(g)).isTrue();
            assertThat(org.distree.rules.Budgets.within(
                            org.distree.html.NodeWriter.byteSize(g),
                            org.distree.rules.Budgets.ADOPT_FILL))
                    .isTrue();
            assertThat(Cover.firstGap(g.range(), g.children())).isEmpty();
            long largest = g.children().stream().mapToLong(ChildRef::size).max().orElse(0);
            assertThat(Rules.obeysSixteenX(g.size(), largest)).isTrue();
            assertThat(g.height()).isEqualTo(1);
        }
        assertThat(expected).isNull();
    }

    @Test
    void oneChangedLinkChangesOnlyTheRoutingNodesNearIt() {
        // A ring's routing links change one at a time (a leaf cut, two merged, one renamed):
        // the runs must end at the same links elsewhere, or every routing node on one side of
        // the change is rewritten, and with it the root every other machine reads (100 machines
        // of 200 entries rewrote some 50 routing nodes each a round for some 15 changes).
        java.util.Random random = new java.util.Random(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            keys.add(String.format(java.util.Locale.ROOT, "k%05d", i * 10));
        }
        List<Long> sizes = new ArrayList<>();
        keys.forEach(k -> sizes.add(20L + random.nextInt(40)));
        List<Node> before = RoutingRuns.groups(chainOf(keys, sizes, -1), new ArrayList<>(), NOW);
        assertThat(before.size()).isGreaterThan(10);
        Set<Set<String>> old = new HashSet<>();
        before.forEach(g -> old.add(signature(g)));
        long total = 0;
        for (int change = 0; change < 30; change++) {
            List<String> k = new ArrayList<>(keys);
            List<Long> s = new ArrayList<>(sizes);
            int at = 20 + random.nextInt(560);
            int renamed = -1;
            switch (change % 3) {
                case 0 -> { // a leaf cut in two
                    k.add(at + 1, k.get(at) + "m");
                    s.add(at + 1, s.get(at) / 2);
                    s.set(at, s.get(at) - s.get(at) / 2);
                }
                case 1 -> { // two leaves merged
                    s.set(at, s.get(at) + s.get(at + 1));
                    k.remove(at + 1);
                    s.remove(at + 1);
                }
                default -> renamed = at; // a leaf renamed on its machine
            }
            List<ChildRef> lifted = new ArrayList<>();
            List<Node> after = RoutingRuns.groups(chainOf(k, s, renamed), lifted, NOW);
            assertThat(lifted.size()).isZero();
            long changed =
                    after.stream().filter(g -> !old.contains(signature(g))).count();
            // The node holding the change, and at times its neighbours, not the rest.
            assertThat(changed).as("change %d at link %d", change, at).isLessThanOrEqualTo(6);
            total += changed;
            // No more nodes than the fewest by more than a few.
            assertThat(after.size()).isLessThanOrEqualTo(before.size() + 3);
        }
        // Runs cut wherever the fewest nodes fall rewrote 4.5 a change on average (at most 13
        // of 15); cut at the same links, about 1.3.
        assertThat(total).isLessThanOrEqualTo(2 * 30);
    }

    /** A chain of leaves from these keys (each link's range to the next key), one renamed. */
    private static List<ChildRef> chainOf(List<String> keys, List<Long> sizes, int renamed) {
        List<ChildRef> chain = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String name = keys.get(i) + (i == renamed ? "-renamed" : "");
            chain.add(ref(
                    "http://m" + (keys.get(i).hashCode() & 15) + ".example/n/" + name + ".html",
                    i == 0 ? null : keys.get(i),
                    i == keys.size() - 1 ? null : keys.get(i + 1),
                    0,
                    sizes.get(i)));
        }
        return chain;
    }

    /** Each link of a routing node with its range: what keeps its file (RoutingInstall). */
    private static Set<String> signature(Node g) {
        Set<String> out = new HashSet<>();
        g.children().forEach(c -> out.add(c.href() + " " + c.range()));
        return out;
    }

    @Test
    void aLinkTooLargeForARoutingNodeIsLiftedToTheRoot() {
        List<ChildRef> chain = new ArrayList<>();
        chain.add(ref("http://big/1", null, "k000", 1, 4000));
        for (int i = 0; i < 30; i++) {
            chain.add(ref(
                    "http://m" + (i % 5) + ".example/n/" + i + ".html",
                    String.format(java.util.Locale.ROOT, "k%03d", i),
                    i == 29 ? null : String.format(java.util.Locale.ROOT, "k%03d", i + 1),
                    0,
                    40));
        }
        List<ChildRef> lifted = new ArrayList<>();
        List<Node> kept = RoutingRuns.groups(chain, lifted, NOW);
        assertThat(lifted).extracting(ChildRef::href).containsExactly("http://big/1");
        assertThat(kept).hasSize(1);
        Node g = kept.get(0);
        assertThat(g.children()).hasSize(30);
        assertThat(Rules.obeysSixteenX(g.size(), 40)).isTrue();
        // Its range starts where the lifted link ends: its links cover it, with no hole.
        assertThat(g.range().low()).isEqualTo(Bound.of("k000"));
        assertThat(Cover.firstGap(g.range(), g.children())).isEmpty();
    }

    @Test
    void sliversAmongLargeLeavesLiftNoLink() {
        // Runs of slivers between full leaves: cut at the wrong places, a node's largest link
        // outgrows a sixteenth of it; the runs chosen leave no link out.
        List<ChildRef> chain = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            long size = i % 9 < 3 ? 2 : 48;
            chain.add(ref(
                    "http://m" + (i % 7) + ".example/n/" + i + ".html",
                    i == 0 ? null : String.format(java.util.Locale.ROOT, "k%03d", i),
                    i == 89 ? null : String.format(java.util.Locale.ROOT, "k%03d", i + 1),
                    0,
                    size));
        }
        List<ChildRef> lifted = new ArrayList<>();
        List<Node> groups = RoutingRuns.groups(chain, lifted, NOW);
        assertThat(lifted).isEmpty();
        for (Node g : groups) {
            assertThat(Rules.obeysSixteenX(g.size(), 48))
                    .as(g.range().toString())
                    .isTrue();
            assertThat(Cover.firstGap(g.range(), g.children())).isEmpty();
        }
    }

    @Test
    void aChainOfFewLargeNodesIsNotCut() {
        List<ChildRef> chain = List.of(
                ref("http://a/1", null, "m", 1, 5000), ref("http://b/1", "m", null, 1, 5000));
        List<ChildRef> lifted = new ArrayList<>();
        assertThat(RoutingRuns.groups(chain, lifted, NOW)).isEmpty();
        assertThat(lifted).hasSize(2);
    }

    @Test
    void aRunDoesNotReachOverAGapInTheChain() {
        // A later chain has no link for [k040, k050): no routing node may claim those keys.
        List<ChildRef> chain = chainWithHole();
        List<ChildRef> lifted = new ArrayList<>();
        List<Node> groups = RoutingRuns.groups(chain, lifted, NOW);
        for (Node g : groups) {
            assertThat(Cover.firstGap(g.range(), g.children()))
                    .as(g.range().toString())
                    .isEmpty();
        }
        assertThat(groups).noneMatch(g -> g.range().contains(Bound.of("k045")));
    }

    @Test
    void aLaterChainsHolesAreFilledFromTheFirstChain() {
        List<ChildRef> first = new ArrayList<>();
        List<ChildRef> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ChildRef c = ref(
                    "http://a.example/n/" + i + ".html",
                    i == 0 ? null : String.format(java.util.Locale.ROOT, "k%03d", i),
                    i == 9 ? null : String.format(java.util.Locale.ROOT, "k%03d", i + 1),
                    0,
                    40);
            first.add(c);
            if (i != 0 && i != 4 && i != 5 && i != 9) {
                later.add(ref(
                        "http://b.example/n/" + i + ".html",
                        c.range().low() == null ? null : c.range().low().key(),
                        c.range().high() == null ? null : c.range().high().key(),
                        0,
                        40));
            }
        }
        List<ChildRef> patched = RoutingChains.patched(later, first);
        assertThat(patched)
                .extracting(ChildRef::href)
                .contains(
                        "http://a.example/n/0.html",
                        "http://a.example/n/4.html",
                        "http://a.example/n/5.html",
                        "http://a.example/n/9.html")
                .doesNotContain("http://a.example/n/1.html");
        assertThat(Cover.firstGap(Range.ALL, patched)).isEmpty();
        assertThat(RoutingChains.patched(List.of(), first)).isEqualTo(first);
    }

    @Test
    void aGapIsBridgedByThePartialNodeReachingLeastFarPastIt() {
        // No complete node holds [k040, k050): the holders there are down. Two partial nodes hold
        // those keys: one wide (an origin's own leaf over most keys) and one narrow.
        List<ChildRef> chain = chainWithHole();
        ChildRef wide = ref("http://w.example/n/1.html", null, "k080", 0, 30).withPartial(true);
        ChildRef narrow = ref("http://v.example/n/1.html", "k035", "k052", 0, 5).withPartial(true);
        List<ChildRef> bridges = RoutingChains.bridges(chain, List.of(wide, narrow), (c, r) -> 2);
        assertThat(bridges).extracting(ChildRef::href).containsExactly(narrow.href());
        assertThat(bridges.get(0).range()).isEqualTo(range("k040", "k050"));
        assertThat(bridges.get(0).size()).isEqualTo(2);
        assertThat(bridges.get(0).partial()).isTrue();

        List<ChildRef> bridged = new ArrayList<>(chain);
        bridged.addAll(bridges);
        bridged.sort((a, b) -> Range.compareLows(a.range().low(), b.range().low()));
        List<ChildRef> lifted = new ArrayList<>();
        List<Node> groups = RoutingRuns.groups(bridged, lifted, NOW);
        assertThat(lifted).isEmpty();
        List<ChildRef> routed = new ArrayList<>();
        for (Node g : groups) {
            assertThat(Cover.firstGap(g.range(), g.children())).isEmpty();
            assertThat(Rules.sixteenX(g)).as(g.range().toString()).isEmpty();
            routed.addAll(g.children());
        }
        assertThat(routed).containsAll(chain);
    }

    @Test
    void gapsBridgedByWidePartialNodesHideNoCompleteNode() {
        // Holders down at four places: only the origins' own leaves, each over 70 of the 200
        // leaves' keys, hold the gaps. Linked over their whole ranges they took the place of the
        // complete nodes after each gap in the routing nodes' covers (a partial node reaching
        // furthest is the cover's pick where only partial nodes hold a point): the short
        // stretches between gaps broke 16x, and their links were lifted to the root, which
        // had no room for them.
        List<ChildRef> chain = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i % 50 >= 40 && i % 50 < 43) {
                continue;
            }
            chain.add(ref(
                    "http://m" + (i % 7) + ".example/n/" + i + ".html",
                    i == 0 ? null : key(i),
                    i == 199 ? null : key(i + 1),
                    0,
                    20 + (i * 7) % 26));
        }
        List<ChildRef> fill = new ArrayList<>();
        for (int o = 0; o < 20; o++) {
            fill.add(ref(
                            "http://o" + o + ".example/n/1.html",
                            key(o * 10),
                            o >= 13 ? null : key(o * 10 + 70),
                            0,
                            15)
                    .withPartial(true));
        }
        List<ChildRef> bridges = RoutingChains.bridges(chain, fill, (c, r) -> 1);
        for (ChildRef b : bridges) {
            assertThat(RoutingChains.holes(chain))
                    .anyMatch(h -> h.meets(b.range()) && h.intersect(b.range()).equals(b.range()));
        }
        List<ChildRef> bridged = new ArrayList<>(chain);
        bridged.addAll(bridges);
        bridged.sort((a, b) -> Range.compareLows(a.range().low(), b.range().low()));
        List<ChildRef> lifted = new ArrayList<>();
        List<ChildRef> routed = new ArrayList<>();
        for (Node g : RoutingRuns.groups(bridged, lifted, NOW)) {
            assertThat(Cover.firstGap(g.range(), g.children())).isEmpty();
            assertThat(Rules.sixteenX(g)).as(g.range().toString()).isEmpty();
            routed.addAll(g.children());
        }
        assertThat(lifted).isEmpty();
        assertThat(routed).containsAll(chain);
    }

    private static String key(int i) {
        return String.format(java.util.Locale.ROOT, "k%03d", i);
    }

    @Test
    void aBridgeCountsTheEntriesItsNodeListsInTheGap() {
        Node leaf = Node.leaf(
                new Range(null, Bound.of("k080")),
                List.of(entry("k010"), entry("k041"), entry("k045"), entry("k070")),
                NOW);
        ChildRef item = ref("http://w.example/n/1.html", null, "k080", 0, 4).withPartial(true);
        assertThat(Routing.sizeWithin(leaf, item, range("k040", "k050"))).isEqualTo(2);
        assertThat(Routing.sizeWithin(null, item, range("k040", "k050"))).isEqualTo(4);
    }

    private static Range range(String low, String high) {
        return new Range(Bound.of(low), Bound.of(high));
    }

    private static Entry entry(String key) {
        return Entry.of(key, "https://e.example/" + key, key, "");
    }

    /** 80 leaves of 40 entries from k000 up on 7 machines, with none for [k040, k050). */
    private static List<ChildRef> chainWithHole() {
        List<ChildRef> chain = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            if (i >= 40 && i < 50) {
                continue;
            }
            chain.add(ref(
                    "http://m" + (i % 7) + ".example/n/" + i + ".html",
                    i == 0 ? null : String.format(java.util.Locale.ROOT, "k%03d", i),
                    i == 89 ? null : String.format(java.util.Locale.ROOT, "k%03d", i + 1),
                    0,
                    40));
        }
        return chain;
    }

    @Test
    void fewestMachinesCountsTheMachinesOverEachPieceOfARange() {
        List<ChildRef> links = new ArrayList<>(List.of(
                ref("http://a/1", null, "f", 0, 10),
                ref("http://a/2", "f", null, 0, 10),
                ref("http://b/1", "c", "k", 0, 10),
                ref("http://c/1", null, "h", 0, 10),
                ref("local.html", "g", "m", 0, 10)));
        links.sort(Routing.BY_LOW);
        // [-inf, c): a, c; [c, f): a, b, c; [f, g): a, b, c; [g, h): a, b, c, self; [h, k): a,
        // b, self; [k, m): a, self; [m, +inf): a.
        assertThat(Routing.fewestMachines(Range.ALL, links)).isEqualTo(1);
        assertThat(Routing.fewestMachines(new Range(Bound.of("c"), Bound.of("k")), links))
                .isEqualTo(3);
        assertThat(Routing.fewestMachines(new Range(null, Bound.of("c")), links))
                .isEqualTo(2);
        assertThat(Routing.fewestMachines(new Range(Bound.of("g"), Bound.of("h")), links))
                .isEqualTo(4);
        assertThat(Routing.fewestMachines(new Range(Bound.of("j"), Bound.of("l")), links))
                .isEqualTo(2);
    }

    @Test
    void fewestMachinesAgreesWithCountingEveryKeyBetweenTheBounds() {
        // Random links over keys "a" to "t" on 4 machines and random ranges: the fewest machines
        // over the range, counted at every one-letter and two-letter key in it (every piece
        // between two bounds holds such a key), match what the sweep finds.
        java.util.Random random = new java.util.Random(13);
        for (int trial = 0; trial < 300; trial++) {
            List<ChildRef> links = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                String low = random.nextInt(5) == 0 ? null : letter(random.nextInt(19));
                String high = null;
                if (random.nextInt(5) != 0) {
                    int from = low == null ? 0 : low.charAt(0) - 'a' + 1;
                    high = letter(from + random.nextInt(20 - from));
                }
                String href = "http://m" + random.nextInt(4) + "/n/" + i + ".html";
                links.add(ref(random.nextInt(6) == 0 ? i + ".html" : href, low, high, 0, 10));
            }
            int lo = random.nextInt(20);
            Range range = new Range(
                    lo == 0 ? null : Bound.of(letter(lo - 1)),
                    random.nextInt(4) == 0 ? null : Bound.of(letter(lo + random.nextInt(20 - lo))));
            int fewest = Integer.MAX_VALUE;
            List<String> keys = new ArrayList<>(List.of("", "a"));
            for (int c = 0; c < 20; c++) {
                keys.add(letter(c));
                keys.add(letter(c) + "m");
            }
            for (String key : keys) {
                Bound b = Bound.of(key);
                if (!range.contains(b)) {
                    continue;
                }
                Set<String> machines = new HashSet<>();
                for (ChildRef l : links) {
                    if (l.range().contains(b)) {
                        machines.add(Adoption.origin(l));
                    }
                }
                fewest = Math.min(fewest, machines.size());
            }
            assertThat(Routing.fewestMachines(range, links))
                    .as("links %s over %s", links, range)
                    .isEqualTo(fewest);
        }
    }

    private static String letter(int i) {
        return String.valueOf((char) ('a' + i));
    }
}
