package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;
import static org.distree.crawl.TestNodes.partialInternal;
import static org.distree.crawl.TestNodes.partialLeaf;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.distree.crawl.SearcherOverNetworkTest.MapNetwork;
import org.distree.model.ChildRef;
import org.junit.jupiter.api.Test;

/**
 * The walk over nodes marked {@code data-partial} (docs/FORMAT.md): a partial node vouches only
 * for the entries it lists, so the walk prefers a complete child, and a partial leaf it reads
 * hands its segment back for the parent to cover again. Machines are in a {@link MapNetwork}
 * whose hosts do not resolve; every file is written by the real writer and read by the real
 * reader.
 */
class CrawlTest {
    static final URI ROOT = URI.create("http://a.sim/root.html");

    final MapNetwork net = new MapNetwork();

    void put(String url, String html) {
        net.files.put(URI.create(url), html);
    }

    SearchResult search(SearchRequest request) {
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            return s.search(request);
        }
    }

    static SearchRequest everything() {
        return SearchRequest.range(List.of(ROOT), null, null);
    }

    static SearchRequest words(String... words) {
        return SearchRequest.words(List.of(ROOT), List.of(words));
    }

    static List<String> reasons(SearchResult r) {
        return r.skipped().stream().map(SearchResult.Skip::reason).toList();
    }

    /** The reasons, less those of other machines' roots that could not be read. */
    static List<String> walkReasons(SearchResult r) {
        return reasons(r).stream()
                .filter(s -> !s.startsWith("another machine's root"))
                .toList();
    }

    static List<String> fetched(SearchResult r) {
        return r.visits().stream().map(v -> v.url().toString()).toList();
    }

    /** Complete leaves: apple and kiwi for [-inf, m) at {@code low}, pear and zucchini above. */
    void halves(String low, String high) {
        put(low, leaf(null, "m", "apple", "https://e.org/apple", "kiwi", "https://e.org/kiwi"));
        put(high, leaf("m", null, "pear", "https://e.org/pear", "zucchini", "https://e.org/z"));
    }

    /** a.sim's complete leaves for [-inf, m) and [m, +inf), and b.sim's partial leaf. */
    void completeHalvesAndAPartialLeaf() {
        halves("http://a.sim/n/left.html", "http://c.sim/n/right.html");
        // b.sim holds no range: its leaf lists only b.sim's own entries, over every key.
        put(
                "http://b.sim/n/partial.html",
                partialLeaf(
                        null, null, "kiwi", "https://e.org/kiwi", "pear", "https://e.org/pear"));
    }

    @Test
    void aPartialLeafPreferredByReachIsReadAndItsSegmentCoveredAgainFromCompleteOnes() {
        completeHalvesAndAPartialLeaf();
        // The root has not seen b.sim's mark: its item is plain, and larger than either half
        // (so rule 8 does not apply), and it reaches furthest. The walk takes it first.
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("http://b.sim/n/partial.html", null, null, 0, 5),
                        child("n/left.html", null, "m", 0, 2),
                        child("http://c.sim/n/right.html", "m", null, 0, 2)));

        SearchResult r = search(everything());

        // apple and zucchini are only in the complete leaves; kiwi and pear, listed twice,
        // are one result each.
        assertThat(SearcherOverNetworkTest.keys(r))
                .containsExactly("apple", "kiwi", "pear", "zucchini");
        assertThat(r.total()).isEqualTo(4);
        assertThat(r.hits())
                .filteredOn(h -> h.entry().key().equals("kiwi"))
                .singleElement()
                .satisfies(h -> assertThat(h.leaves()).isEqualTo(2));
        assertThat(fetched(r)).contains("http://b.sim/n/partial.html");
        assertThat(r.visits())
                .filteredOn(v -> v.why().startsWith("alternate for"))
                .extracting(v -> v.url().toString())
                .containsExactlyInAnyOrder("http://a.sim/n/left.html", "http://c.sim/n/right.html");
        assertThat(r.stats().fetches()).isEqualTo(4);
        assertThat(r.skipped()).isEmpty();
    }

    @Test
    void aLookupReadsOnlyTheCompleteAlternateWhenTheItemIsMarkedPartial() {
        completeHalvesAndAPartialLeaf();
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("http://b.sim/n/partial.html", null, null, 0, 5).withPartial(true),
                        child("n/left.html", null, "m", 0, 2),
                        child("http://c.sim/n/right.html", "m", null, 0, 2)));

        SearchResult r = search(words("kiwi"));

        assertThat(SearcherOverNetworkTest.keys(r)).containsExactly("kiwi");
        assertThat(fetched(r)).containsExactly(ROOT.toString(), "http://a.sim/n/left.html");
        assertThat(r.stats().fetches()).isEqualTo(2);
        assertThat(net.requests).isEqualTo(2);
        assertThat(r.skipped()).isEmpty();

        SearchResult all = search(everything());
        assertThat(SearcherOverNetworkTest.keys(all))
                .containsExactly("apple", "kiwi", "pear", "zucchini");
        assertThat(fetched(all)).doesNotContain("http://b.sim/n/partial.html");
        assertThat(all.skipped()).isEmpty();
    }

    @Test
    void aPartialLeafThatIsTheOnlyCoverGivesItsEntriesAndSaysOnlyPartialNodesCoverIt() {
        put(
                "http://a.sim/n/left.html",
                leaf(null, "m", "apple", "https://e.org/apple", "kiwi", "https://e.org/kiwi"));
        put("http://b.sim/n/partial.html", partialLeaf("m", null, "pear", "https://e.org/pear"));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/left.html", null, "m", 0, 2),
                        child("http://b.sim/n/partial.html", "m", null, 0, 1).withPartial(true)));

        SearchResult all = search(everything());
        assertThat(SearcherOverNetworkTest.keys(all)).containsExactly("apple", "kiwi", "pear");
        // b.sim, the only other machine met, was asked for [m, +inf) first; it has no root.
        assertThat(reasons(all))
                .contains("another machine's root, unusable: http://b.sim/index.html: not found");
        assertThat(walkReasons(all))
                .singleElement()
                .satisfies(s -> assertThat(s)
                        .startsWith("only partial nodes cover [m, +inf) for range")
                        .endsWith("; entries they do not list may be missing"));

        SearchResult pear = search(words("pear"));
        assertThat(SearcherOverNetworkTest.keys(pear)).containsExactly("pear");
        assertThat(walkReasons(pear))
                .singleElement()
                .satisfies(s -> assertThat(s).startsWith("only partial nodes cover 'pear'"));

        SearchResult plum = search(words("plum"));
        assertThat(plum.hits()).isEmpty();
        assertThat(walkReasons(plum))
                .singleElement()
                .satisfies(s -> assertThat(s)
                        .startsWith("only partial nodes cover 'plum'")
                        .doesNotContain("no reachable node"));

        // A part that no node covers at all is still said so, apart from the partial part.
        put("http://d.sim/root.html", net.files.get(ROOT).replace("n/left.html", "n/gone.html"));
        SearchResult split = search(
                SearchRequest.range(List.of(URI.create("http://d.sim/root.html")), null, null));
        assertThat(SearcherOverNetworkTest.keys(split)).containsExactly("pear");
        assertThat(reasons(split))
                .anyMatch(s -> s.startsWith("no reachable node covers [-inf, m) for range"))
                .anyMatch(s -> s.startsWith("only partial nodes cover [m, +inf) for range"))
                .noneMatch(s -> s.startsWith("no reachable node covers [m"))
                .noneMatch(s -> s.startsWith("only partial nodes cover [-inf"));
    }

    @Test
    void aPartialLeafHandsItsSegmentBackUpThroughAPartialInternalNode() {
        // b.sim holds [-inf, m): its own leaf there is complete, its leaf above m partial, and
        // so is its internal node over both. c.sim holds [m, +inf).
        put(
                "http://b.sim/n/inner.html",
                partialInternal(
                        1,
                        null,
                        null,
                        child("mine.html", null, "m", 0, 2),
                        child("other.html", "m", null, 0, 1).withPartial(true)));
        put(
                "http://b.sim/n/mine.html",
                leaf(null, "m", "apple", "https://e.org/apple", "kiwi", "https://e.org/kiwi"));
        put("http://b.sim/n/other.html", partialLeaf("m", null, "pear", "https://e.org/pear"));
        put(
                "http://c.sim/n/right.html",
                leaf("m", null, "pear", "https://e.org/pear", "zucchini", "https://e.org/z"));
        // The root has not seen the mark, and b.sim's subtree is the larger: it goes first.
        put(
                "http://a.sim/root.html",
                internal(
                        2,
                        null,
                        null,
                        child("http://b.sim/n/inner.html", null, null, 1, 10),
                        child("http://c.sim/n/right.html", "m", null, 0, 2)));

        SearchResult z = search(words("zucchini"));
        assertThat(SearcherOverNetworkTest.keys(z)).containsExactly("zucchini");
        assertThat(fetched(z))
                .containsExactly(
                        ROOT.toString(),
                        "http://b.sim/n/inner.html",
                        "http://b.sim/n/other.html",
                        "http://c.sim/n/right.html");
        assertThat(z.visits().get(3).why()).isEqualTo("alternate for 'zucchini'");
        assertThat(z.skipped()).isEmpty();

        SearchResult all = search(everything());
        assertThat(SearcherOverNetworkTest.keys(all))
                .containsExactly("apple", "kiwi", "pear", "zucchini");
        assertThat(all.total()).isEqualTo(4);
        assertThat(all.skipped()).isEmpty();
    }

    @Test
    void aChildAskedForOnePartIsAskedAgainForAnotherPartThatComesBackLater() {
        // The root's wide partial child covers everything first. Its leaf below m is missing,
        // so [-inf, m) comes back and the root's complete leaf for [k, p) takes [k, m). Later
        // its partial leaf above m hands [m, +inf) back: the complete leaf, asked for [k, m)
        // only, must be asked again for [m, p), where it lists "n".
        put(
                "http://b.sim/n/wide.html",
                partialInternal(
                        1,
                        null,
                        null,
                        child("gone.html", null, "m", 0, 5),
                        child("above.html", "m", null, 0, 5).withPartial(true)));
        put("http://b.sim/n/above.html", partialLeaf("m", null, "zucchini", "https://e.org/z"));
        put(
                "http://a.sim/n/mine.html",
                leaf("k", "p", "kiwi", "https://e.org/kiwi", "n", "https://e.org/n"));
        put(
                "http://a.sim/root.html",
                internal(
                        2,
                        null,
                        null,
                        child("http://b.sim/n/wide.html", null, null, 1, 10).withPartial(true),
                        child("http://a.sim/n/mine.html", "k", "p", 0, 2)));

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all)).containsExactly("kiwi", "n", "zucchini");
        assertThat(fetched(all)).containsOnlyOnce("http://a.sim/n/mine.html");
        assertThat(reasons(all))
                .anyMatch(s -> s.startsWith("no reachable node covers [-inf, k)"))
                .anyMatch(s -> s.startsWith("only partial nodes cover [p, +inf)"))
                .noneMatch(s -> s.contains("[m, p)"));
    }

    /**
     * A root as a ring's daemon writes it (its own leaves, one partial, and two chains of other
     * machines' leaves), read after the machine of one chain stopped: every part that chain
     * held comes back to the root, which covers it from the other chain's live leaves.
     */
    @Test
    void aDeadChainsPartsAreCoveredByTheLiveLinksBesideThem() {
        put("http://a.sim/n/low.html", leaf(null, "keok", "apple", "https://e.org/apple"));
        put("http://a.sim/n/high.html", leaf("tmsv", null, "zebra", "https://e.org/zebra"));
        put("http://a.sim/n/own.html", partialLeaf("keok", "tmsv", "mango", "https://e.org/mango"));
        put(
                "http://e.sim/n/8.html",
                leaf("kjr", "ls", "kk", "https://e.org/kk", "lh", "https://e.org/lh"));
        put(
                "http://e.sim/n/2.html",
                leaf("ls", "nkl", "lt", "https://e.org/lt", "myz", "https://e.org/myz"));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "keok", 0, 1),
                        child("http://dead.sim/n/e.html", "jbwqtlb", "kcq", 0, 37),
                        child("http://dead.sim/n/a.html", "kcq", "lg", 0, 49),
                        child("n/own.html", "keok", "tmsv", 0, 43).withPartial(true),
                        child("http://e.sim/n/8.html", "kjr", "ls", 0, 61),
                        child("http://dead.sim/n/b.html", "lg", "mn", 0, 51),
                        child("http://e.sim/n/2.html", "ls", "nkl", 0, 65),
                        child("http://dead.sim/n/2.html", "mn", "oeqs", 0, 64),
                        child("http://e.sim/n/6.html", "nkl", "pey", 0, 71),
                        child("http://dead.sim/n/c.html", "oeqs", "pt", 0, 68),
                        child("http://dead.sim/n/8.html", "pt", "rpz", 0, 65),
                        child("n/high.html", "tmsv", null, 0, 1)));
        put("http://e.sim/n/6.html", leaf("nkl", "pey", "nn", "https://e.org/nn"));

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("apple", "kk", "lh", "lt", "mango", "myz", "nn", "zebra");
        assertThat(reasons(all))
                .anyMatch(r -> r.startsWith("only partial nodes cover [pey, pt)"))
                .noneMatch(r -> r.contains("[lg,") || r.contains("[ls,") || r.contains("[mn,"));
    }

    /**
     * a.sim's root links b.sim's leaf below m and, above it, nodes on c.sim and d.sim, both
     * down; b.sim's root (from its entry page) links e.sim's leaf above m.
     */
    void aRangeWhoseLinksAreAllDown() {
        halves("http://b.sim/n/low.html", "http://e.sim/n/high.html");
        put(
                "http://b.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 2),
                        child("http://c.sim/n/x.html", "m", null, 0, 2),
                        child("http://e.sim/n/high.html", "m", null, 0, 2)));
        put("http://b.sim/index.html", entryPage("root.html"));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("http://b.sim/n/low.html", null, "m", 0, 2),
                        child("http://c.sim/n/x.html", "m", null, 0, 2),
                        child("http://d.sim/n/y.html", "m", null, 0, 2)));
        net.down.add("http://c.sim");
        net.down.add("http://d.sim");
    }

    static String entryPage(String rootHref) {
        return "<!DOCTYPE html><html><head><link rel=\"distree-root\" href=\"" + rootHref
                + "\"></head><body></body></html>";
    }

    @Test
    void aPartWhoseLinksAreAllOnMachinesThatAreDownIsWalkedFromAnotherMachinesRoot() {
        aRangeWhoseLinksAreAllDown();

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("apple", "kiwi", "pear", "zucchini");
        assertThat(reasons(all)).noneMatch(r -> r.contains("no reachable node covers"));
        assertThat(all.visits()).anySatisfy(v -> {
            assertThat(v.url()).hasToString("http://b.sim/root.html");
            assertThat(v.why()).isEqualTo("other root for [m, +inf)");
        });
        // c.sim, asked through b.sim's root too, was down: not asked for its root.
        assertThat(fetched(all))
                .doesNotContain("http://c.sim/index.html", "http://d.sim/index.html");

        // A lookup meets b.sim only as a link of a.sim's root, and asks it all the same.
        SearchResult pear = search(words("pear"));
        assertThat(SearcherOverNetworkTest.keys(pear)).containsExactly("pear");
        assertThat(fetched(pear))
                .containsSubsequence(
                        ROOT.toString(),
                        "http://b.sim/index.html",
                        "http://b.sim/root.html",
                        "http://e.sim/n/high.html");
        assertThat(reasons(pear)).noneMatch(r -> r.contains("no reachable node covers"));
    }

    @Test
    void otherMachinesRootsAreAskedInTurnAndAtMostThreeBeforeThePartIsReported() {
        aRangeWhoseLinksAreAllDown();
        // b.sim's root now links only the dead machine above m; the next machine met (c.sim and
        // d.sim being down), f.sim, has a root that links e.sim's leaf. g.sim and h.sim are met
        // after it. For "pear" only the dead links are followed: the others name machines.
        put(
                "http://b.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 2),
                        child("http://c.sim/n/x.html", "m", null, 0, 2)));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("http://b.sim/n/low.html", null, "m", 0, 2),
                        child("http://f.sim/n/low.html", null, "m", 0, 2),
                        child("http://g.sim/n/low.html", null, "m", 0, 2),
                        child("http://h.sim/n/low.html", null, "m", 0, 2),
                        child("http://c.sim/n/x.html", "m", null, 0, 2),
                        child("http://d.sim/n/y.html", "m", null, 0, 2)));
        put("http://f.sim/index.html", entryPage("http://f.sim/root.html"));
        put(
                "http://f.sim/root.html",
                internal(1, null, null, child("http://e.sim/n/high.html", "m", null, 0, 2)));

        SearchResult pear = search(words("pear"));
        assertThat(SearcherOverNetworkTest.keys(pear)).containsExactly("pear");
        assertThat(fetched(pear))
                .containsSubsequence("http://b.sim/root.html", "http://f.sim/root.html")
                .doesNotContain("http://g.sim/index.html");

        // With f.sim's root gone too, three machines are asked in turn (b, f, g) and the part
        // reported; then the sweep asks the roots of the machines met besides (h).
        net.files.remove(URI.create("http://f.sim/root.html"));
        SearchResult none = search(words("pear"));
        assertThat(none.hits()).isEmpty();
        assertThat(fetched(none))
                .containsSubsequence(
                        "http://b.sim/index.html",
                        "http://f.sim/index.html",
                        "http://g.sim/index.html",
                        "http://h.sim/index.html")
                .doesNotContain("http://e.sim/n/high.html");
        assertThat(none.visits())
                .filteredOn(v -> v.url().toString().equals("http://h.sim/index.html"))
                .singleElement()
                .satisfies(v -> assertThat(v.why()).startsWith("origin root"));
        assertThat(reasons(none)).anyMatch(r -> r.startsWith("no reachable node covers 'pear'"));
    }

    @Test
    void wherePartsHoldersAreAllDownEveryMachineMetListsItsOwnEntriesThere() {
        // Five machines hold [-inf, m) between them, and each keeps its own entry above m in a
        // partial leaf of its own; the holders of [m, +inf) are down. Three other roots are
        // asked in turn as before; the sweep then asks the other two, so that every entry of a
        // machine that is up is found.
        ChildRef[] children = new ChildRef[6];
        for (int k = 1; k <= 5; k++) {
            String host = "http://o" + k + ".sim";
            String low = k == 1 ? null : "f" + k;
            String high = k == 5 ? "m" : "f" + (k + 1);
            put(host + "/n/low.html", leaf(low, high, "f" + k + "x", "https://e.org/f" + k));
            put(host + "/n/own.html", partialLeaf("m", null, "p" + k, "https://e.org/p" + k));
            put(host + "/index.html", entryPage("root.html"));
            put(
                    host + "/root.html",
                    internal(
                            1,
                            null,
                            null,
                            child("n/low.html", low, high, 0, 1),
                            child("http://c.sim/n/x.html", "m", null, 0, 5),
                            child("n/own.html", "m", null, 0, 1).withPartial(true)));
            children[k - 1] = child(host + "/n/low.html", low, high, 0, 1);
        }
        children[5] = child("http://c.sim/n/x.html", "m", null, 0, 5);
        put(ROOT.toString(), internal(1, null, null, children));
        net.down.add("http://c.sim");

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("f1x", "f2x", "f3x", "f4x", "f5x", "p1", "p2", "p3", "p4", "p5");
        assertThat(all.visits())
                .filteredOn(v -> v.why().startsWith("origin root for [m, +inf)"))
                .extracting(v -> v.url().toString())
                .containsExactlyInAnyOrder("http://o4.sim/root.html", "http://o5.sim/root.html");
        // No node vouches for the part: it is still reported.
        assertThat(reasons(all)).anyMatch(r -> r.startsWith("only partial nodes cover [m, +inf)"));
    }

    /**
     * o.sim, whose root (with {@code below} first) links c.sim's node over [m, +inf), down, and
     * its own entry p there in a partial leaf.
     */
    private void anOriginWithItsOwnEntryAboveM(ChildRef... below) {
        List<ChildRef> links = new ArrayList<>(List.of(below));
        links.add(child("http://c.sim/n/x.html", "m", null, 0, 5));
        links.add(child("n/own.html", "m", null, 0, 1).withPartial(true));
        put("http://o.sim/n/own.html", partialLeaf("m", null, "p", "https://e.org/p"));
        put("http://o.sim/index.html", entryPage("root.html"));
        put("http://o.sim/root.html", internal(1, null, null, links.toArray(ChildRef[]::new)));
        net.down.add("http://c.sim");
    }

    @Test
    void aMachineMetAfterThePartWasSweptIsAskedForItToo() {
        // The holder of [m, +inf) is down; the only machine up whose own entry lies there, o.sim,
        // is linked four levels down the other side of the tree, so the walk meets it only after
        // the part came back from the other roots and was swept.
        put(
                ROOT.toString(),
                internal(
                        4,
                        null,
                        null,
                        child("http://a.sim/n/1.html", null, "m", 3, 1),
                        child("http://c.sim/n/x.html", "m", null, 0, 5)));
        put(
                "http://a.sim/n/1.html",
                internal(3, null, "m", child("http://b.sim/n/2.html", null, "m", 2, 1)));
        put("http://b.sim/n/2.html", internal(2, null, "m", child("3.html", null, "m", 1, 1)));
        put(
                "http://b.sim/n/3.html",
                internal(1, null, "m", child("http://o.sim/n/low.html", null, "m", 0, 1)));
        put("http://o.sim/n/low.html", leaf(null, "m", "f", "https://e.org/f"));
        anOriginWithItsOwnEntryAboveM(child("n/low.html", null, "m", 0, 1));

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("f", "p");
        assertThat(all.visits())
                .filteredOn(v -> v.why().startsWith("origin root for [m, +inf)"))
                .extracting(v -> v.url().toString())
                .containsExactly("http://o.sim/root.html");
    }

    @Test
    void aMachineThatAnsweredNotFoundIsStillAskedForItsRoot() {
        // o.sim no longer has the node a stale link names (404): it answers, so it is still one
        // of the machines whose roots are asked where the holder of [m, +inf) is down.
        put("http://a.sim/n/low.html", leaf(null, "m", "f", "https://e.org/f"));
        put(
                ROOT.toString(),
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 1),
                        child("http://c.sim/n/x.html", "m", null, 0, 5),
                        child("http://o.sim/n/gone.html", "m", null, 0, 4)));
        anOriginWithItsOwnEntryAboveM();

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("f", "p");
        assertThat(reasons(all)).anyMatch(r -> r.contains("o.sim/n/gone.html: not found"));
    }

    /**
     * a.sim's root read b.sim's leaf n/9 when it held [m, +inf); b.sim has since split it: n/9
     * holds [m, t) and a new leaf n/1c the rest, which only b.sim's own root links.
     */
    void aLeafSplitSinceItWasLinked() {
        put("http://a.sim/n/low.html", leaf(null, "m", "apple", "https://e.org/apple"));
        put("http://b.sim/n/9.html", leaf("m", "t", "pear", "https://e.org/pear"));
        put(
                "http://b.sim/n/1c.html",
                leaf("t", null, "tomato", "https://e.org/tomato", "zucchini", "https://e.org/z"));
        put("http://b.sim/index.html", entryPage("root.html"));
        put(
                "http://b.sim/root.html",
                internal(
                        1,
                        "m",
                        null,
                        child("n/9.html", "m", "t", 0, 1),
                        child("n/1c.html", "t", null, 0, 2)));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 1),
                        child("http://b.sim/n/9.html", "m", null, 0, 3)));
    }

    @Test
    void whatANodeNoLongerCoversIsWalkedFromItsOwnMachinesRoot() {
        aLeafSplitSinceItWasLinked();

        SearchResult all = search(everything());
        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("apple", "pear", "tomato", "zucchini");
        assertThat(all.skipped()).isEmpty();
        assertThat(all.visits()).anySatisfy(v -> {
            assertThat(v.url()).hasToString("http://b.sim/root.html");
            assertThat(v.why()).isEqualTo("own root for [t, +inf)");
        });

        SearchResult z = search(words("zucchini"));
        assertThat(SearcherOverNetworkTest.keys(z)).containsExactly("zucchini");
        assertThat(fetched(z))
                .containsExactly(
                        ROOT.toString(),
                        "http://b.sim/n/9.html",
                        "http://b.sim/index.html",
                        "http://b.sim/root.html",
                        "http://b.sim/n/1c.html");
        assertThat(z.skipped()).isEmpty();
    }

    @Test
    void aLinkToAFileItsMachineSaysIsGoneIsWalkedFromThatMachinesRootBeforeTheAlternates() {
        // b.sim renamed its leaf of [m, +inf) since a.sim read it (404 now); a.sim's other link
        // there is on a machine that is down, which would cost a search its fetch timeout.
        put("http://a.sim/n/low.html", leaf(null, "m", "apple", "https://e.org/apple"));
        put("http://b.sim/index.html", entryPage("root.html"));
        put("http://b.sim/root.html", internal(1, "m", null, child("n/1c.html", "m", null, 0, 2)));
        put(
                "http://b.sim/n/1c.html",
                leaf("m", null, "pear", "https://e.org/pear", "zucchini", "https://e.org/z"));
        put(
                ROOT.toString(),
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 1),
                        child("http://b.sim/n/9.html", "m", null, 0, 5),
                        child("http://dead.sim/n/x.html", "m", null, 0, 4)));
        net.down.add("http://dead.sim");

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("apple", "pear", "zucchini");
        assertThat(fetched(all))
                .containsSubsequence(
                        "http://b.sim/n/9.html",
                        "http://b.sim/index.html",
                        "http://b.sim/root.html")
                .noneMatch(u -> u.startsWith("http://dead.sim/"));
        assertThat(all.visits()).anySatisfy(v -> {
            assertThat(v.url()).hasToString("http://b.sim/root.html");
            assertThat(v.why()).isEqualTo("own root for [m, +inf)");
        });
        assertThat(reasons(all)).containsExactly("http://b.sim/n/9.html: not found");
    }

    @Test
    void anOwnRootThatLinksBackThroughTheParentOfTheGoneNodeDoesNotLoseThePart() {
        // c.sim's internal node adopted b.sim's leaf n/12, since renamed (404). b.sim's own
        // root prefers c.sim's node for [m, +inf) too (it reaches furthest): walked from there,
        // the part would come back to the node that is waiting for it. Seen in PartitionIT.
        put("http://a.sim/n/low.html", leaf(null, "m", "apple", "https://e.org/apple"));
        put(
                "http://c.sim/n/25.html",
                internal(1, "m", null, child("http://b.sim/n/12.html", "m", null, 0, 40)));
        put("http://b.sim/index.html", entryPage("root.html"));
        put(
                "http://b.sim/root.html",
                internal(
                        2,
                        "m",
                        null,
                        child("n/1f.html", "m", "t", 0, 2),
                        child("http://c.sim/n/25.html", "m", null, 1, 900)));
        put(
                "http://b.sim/n/1f.html",
                leaf("m", "t", "pear", "https://e.org/pear", "plum", "https://e.org/plum"));
        put(
                ROOT.toString(),
                internal(
                        2,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 1),
                        child("http://c.sim/n/25.html", "m", null, 1, 900)));

        SearchResult all = search(everything());

        assertThat(SearcherOverNetworkTest.keys(all))
                .as(reasons(all) + " " + fetched(all))
                .containsExactly("apple", "pear", "plum");
        assertThat(reasons(all))
                .as("what nothing covers is said")
                .anyMatch(r -> r.startsWith("no reachable node covers [t, +inf)"));
    }

    @Test
    void whatTheOwnRootDoesNotCoverGoesOnToTheParentsAlternatesThenIsReported() {
        aLeafSplitSinceItWasLinked();
        // b.sim no longer holds [t, +inf) at all; e.sim does, linked by a.sim as a smaller
        // alternate, so b.sim's leaf was asked first.
        put("http://b.sim/root.html", internal(1, "m", "t", child("n/9.html", "m", "t", 0, 1)));
        put("http://e.sim/n/high.html", leaf("t", null, "tomato", "https://e.org/tomato"));
        put(
                "http://a.sim/root.html",
                internal(
                        1,
                        null,
                        null,
                        child("n/low.html", null, "m", 0, 1),
                        child("http://b.sim/n/9.html", "m", null, 0, 3),
                        child("http://e.sim/n/high.html", "t", null, 0, 1)));

        SearchResult tomato = search(words("tomato"));
        assertThat(SearcherOverNetworkTest.keys(tomato)).containsExactly("tomato");
        assertThat(fetched(tomato))
                .containsSubsequence(
                        "http://b.sim/n/9.html",
                        "http://b.sim/root.html",
                        "http://e.sim/n/high.html");
        assertThat(tomato.skipped()).isEmpty();

        // With e.sim's leaf gone, the part is said to be missing, not lost on the way.
        net.files.remove(URI.create("http://e.sim/n/high.html"));
        SearchResult none = search(words("tomato"));
        assertThat(none.hits()).isEmpty();
        assertThat(reasons(none)).anyMatch(r -> r.startsWith("no reachable node covers 'tomato'"));
        // Its root is fetched once (read again, from memory, where another walk reaches it).
        assertThat(none.visits().stream()
                        .filter(v -> v.url().toString().equals("http://b.sim/root.html"))
                        .filter(v -> v.bytes() > 0))
                .hasSize(1);
    }
}
