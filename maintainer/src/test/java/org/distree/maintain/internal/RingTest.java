package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.distree.model.Bound;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class RingTest {
    static List<String> machines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format(Locale.ROOT, "http://m%04d.test", i));
        }
        return out;
    }

    static List<String> words(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = 2 + r.nextInt(10);
            for (int j = 0; j < len; j++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            out.add(b.toString());
        }
        return out;
    }

    static List<Bound> points(List<String> keys) {
        return keys.stream().map(Bound::of).toList();
    }

    static List<Bound> at(String... keys) {
        return points(List.of(keys));
    }

    @Test
    void everyKeyHasReplicasDistinctHoldersAndTheArcsSayTheSame() {
        List<String> ms = machines(40);
        List<String> keys = words(5000, 1);
        Ring ring = Ring.of(ms, points(keys), 4, 3);
        assertThat(ring.machines()).isEqualTo(40);
        for (String k : words(2000, 2)) {
            Bound p = Bound.of(k);
            List<String> h = ring.holders(p);
            assertThat(h).hasSize(3).doesNotHaveDuplicates();
            for (String m : ms) {
                boolean inArcs = ring.arcs(m).stream().anyMatch(a -> a.contains(p));
                assertThat(inArcs).as(m + " holds " + k).isEqualTo(h.contains(m));
                assertThat(ring.holds(m, p)).isEqualTo(h.contains(m));
            }
        }
    }

    @Test
    void arcsAreOrderedDisjointAndTheirEdgesArePlaces() {
        Ring ring = Ring.of(machines(20), points(words(3000, 3)), 4, 3);
        List<Range> arcs = ring.arcs("http://m0007.test");
        assertThat(arcs).isNotEmpty();
        for (int i = 1; i < arcs.size(); i++) {
            Bound prevHigh = arcs.get(i - 1).high();
            assertThat(prevHigh).isNotNull();
            // Joined when adjacent: the next starts strictly after the previous ends.
            assertThat(arcs.get(i).low()).isNotNull();
            assertThat(arcs.get(i).low().compareTo(prevHigh)).isPositive();
        }
        assertThat(Ring.within(arcs, arcs.get(0))).isTrue();
        assertThat(Ring.meets(arcs, Range.ALL)).isTrue();
        assertThat(Ring.within(arcs, Range.ALL)).isFalse();
    }

    @Test
    void fewMachinesHoldEverythingAndAStrangerNothing() {
        Ring ring = Ring.of(machines(3), points(words(100, 4)), 4, 3);
        assertThat(ring.arcs("http://m0001.test")).containsExactly(Range.ALL);
        assertThat(ring.arcs("http://elsewhere.test")).isEmpty();
        assertThat(Ring.of(List.of(), List.of(), 4, 3).holders(Bound.of("a"))).isEmpty();
        assertThat(Ring.of(machines(10), List.of(), 4, 3).holders(Bound.of("a")))
                .hasSize(3);
        assertThatThrownBy(() -> Ring.of(machines(2), List.of(), 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Places of several machines at one key (a hot key that their samples mapped places to): the
     * segments between them hold no key, so a machine holding the keys on both sides of that key
     * holds one arc across it, not two that meet there (a vouch cut its leaf there every run, and
     * the rules merged the pieces again).
     */
    @Test
    void placesAtOneKeyDoNotCutAnArcThatHoldsBothSides() {
        java.util.Map<String, List<Bound>> places = new java.util.LinkedHashMap<>();
        places.put("http://x.test", at("h", "k"));
        places.put("http://a.test", at("k", "p"));
        places.put("http://b.test", at("k", "s"));
        places.put("http://c.test", at("d", "v"));
        Ring ring = Ring.of(places, 2);
        // In key order: d c, h x, k a, k b, k x, p a, s b, v c. x owns [h, k) and [k, p) and is
        // the second holder of [p, s); of the empty segments at k it holds the first (a, x)
        // and not the second (b, a).
        assertThat(ring.arcs("http://x.test"))
                .containsExactly(new Range(Bound.of("h"), Bound.of("s")));
        for (String k : List.of("a", "d", "e", "h", "j", "k", "ka", "p", "q", "s", "u", "v", "z")) {
            Bound p = Bound.of(k);
            assertThat(ring.holders(p)).hasSize(2);
            for (String m : places.keySet()) {
                boolean inArcs = ring.arcs(m).stream().anyMatch(r -> r.contains(p));
                assertThat(inArcs)
                        .as(m + " holds " + k)
                        .isEqualTo(ring.holders(p).contains(m));
            }
        }
    }

    @Test
    void skewedKeysStillSpreadEvenlyOverTheMachines() {
        // Keys drawn with most mass on few letters: the scale follows them, so the share
        // each machine holds stays near replicas / machines.
        Random r = new Random(6);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double u = Math.pow(r.nextDouble(), 4); // most keys start with 'a' to 'c'
            keys.add((char) ('a' + (int) (u * 26)) + Integer.toString(r.nextInt(1_000_000)));
        }
        List<String> ms = machines(100);
        Ring ring = Ring.of(ms, points(keys), 4, 3);
        double max = 0;
        double sum = 0;
        for (String m : ms) {
            long held = keys.stream().filter(k -> ring.holds(m, Bound.of(k))).count();
            double share = held / (keys.size() / (double) ms.size());
            max = Math.max(max, share);
            sum += share;
        }
        assertThat(sum / ms.size()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(max).isLessThan(6.0);
    }

    @Test
    void publishedPlacesSurviveTheirEncodingAndBadValuesAreIgnoredWhole() {
        List<Bound> places = List.of(
                Bound.of("apple"),
                Bound.of("a b"),
                Bound.of("caf\u00e9 %20"),
                Bound.of("z+1"),
                new Bound("the", "https://a.example/x y~z+%\u00e9?q=1"));
        String encoded = Ring.encode(places);
        assertThat(encoded).doesNotContain("a b").contains(" the~https://a.example/x%20y%7Ez%2B");
        assertThat(Ring.decode(encoded)).containsExactlyElementsOf(places);
        assertThat(Ring.decode(null)).isEmpty();
        assertThat(Ring.decode("  ")).isEmpty();
        // Another machine's value: a bad escape, too many places or too long a key spoil all.
        assertThat(Ring.decode("apple %zz")).isEmpty();
        assertThat(Ring.decode(String.join(" ", java.util.Collections.nCopies(17, "k"))))
                .isEmpty();
        assertThat(Ring.decode("a " + "x".repeat(300))).isEmpty();
    }

    @Test
    void aRingOfPublishedPlacesLeavesOutMachinesThatPublishNone() {
        java.util.Map<String, List<Bound>> places = new java.util.LinkedHashMap<>();
        places.put("http://a.test", at("d", "p"));
        places.put("http://b.test", at("h"));
        places.put("http://c.test", List.of());
        Ring ring = Ring.of(places, 1);
        assertThat(ring.machines()).isEqualTo(2);
        assertThat(ring.holders(Bound.of("e"))).containsExactly("http://a.test");
        assertThat(ring.holders(Bound.of("k"))).containsExactly("http://b.test");
        // Keys before the first place belong to the last.
        assertThat(ring.holders(Bound.of("b"))).containsExactly("http://a.test");
        assertThat(ring.arcs("http://c.test")).isEmpty();
        // Places fit the 256 bytes of an attribute, whatever the keys: long ones are cut.
        List<String> long4 =
                List.of("\u00e9".repeat(64), "z".repeat(64), "\u4e2d".repeat(21), "y".repeat(64));
        for (int n : new int[] {1, 4, 16}) {
            List<Bound> p = Ring.placesOf("http://a.test", points(long4), n);
            assertThat(Ring.encode(p).length()).isLessThanOrEqualTo(256);
            assertThat(Ring.decode(Ring.encode(p))).isEqualTo(p);
            for (Bound k : p) {
                assertThat(long4)
                        .anyMatch(w -> w.startsWith(k.key()) && !k.key().isEmpty());
            }
        }
        assertThat(Ring.placesOf("http://a.test", points(words(1000, 2)), 4))
                .hasSize(4)
                .isEqualTo(Ring.placesOf("http://a.test", points(words(1000, 2)), 4));
    }

    @Test
    void theDigestNamesTheMachinesAndTheirPlacesInAnyOrderGiven() {
        List<String> keys = words(2000, 3);
        List<String> ms = machines(10);
        List<String> reversed = new ArrayList<>(ms);
        java.util.Collections.reverse(reversed);
        String digest = Ring.of(ms, points(keys), 4, 3).digest();

        assertThat(digest).matches("[0-9a-f]{16}");
        assertThat(Ring.of(reversed, points(keys), 4, 3).digest()).isEqualTo(digest);
        assertThat(Ring.of(ms.subList(0, 9), points(keys), 4, 3).digest()).isNotEqualTo(digest);
        assertThat(Ring.of(ms, points(keys), 3, 3).digest()).isNotEqualTo(digest);
    }
    /**
     * A hot key: one key holding a fifth of the entries. Places are points of the scale, so the
     * key's entries take about a fifth of every machine's places, between their links, and the
     * key is held in pieces by many machines; with places that are keys its 3 holders each held
     * a fifth of the index (20 shares of 100 machines).
     */
    @Test
    void aHotKeyIsHeldInPiecesByManyMachinesInLinkOrder() {
        Random r = new Random(7);
        List<Bound> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String key = i % 5 == 0 ? "the" : words(1, r.nextLong()).get(0);
            entries.add(new Bound(key, "https://example.org/" + Integer.toHexString(r.nextInt())));
        }
        List<String> ms = machines(100);
        java.util.Map<String, List<Bound>> published = new java.util.LinkedHashMap<>();
        for (String m : ms) {
            // Each machine publishes its places; they must come back the same from the file.
            List<Bound> own = Ring.placesOf(m, entries, 8);
            assertThat(Ring.encode(own).length()).isLessThanOrEqualTo(256);
            assertThat(Ring.decode(Ring.encode(own))).isEqualTo(own);
            published.put(m, Ring.decode(Ring.encode(own)));
        }
        Ring ring = Ring.of(published, 3);
        java.util.Map<String, Integer> held = new java.util.HashMap<>();
        java.util.Set<String> holdersOfThe = new java.util.HashSet<>();
        for (Bound e : entries) {
            for (String h : ring.holders(e)) {
                held.merge(h, 1, Integer::sum);
                if (e.key().equals("the")) {
                    holdersOfThe.add(h);
                }
            }
        }
        double share = entries.size() / (double) ms.size();
        assertThat(holdersOfThe.size()).isGreaterThan(30);
        assertThat(held.values().stream().mapToInt(Integer::intValue).max().orElseThrow() / share)
                .isLessThan(6.0);
        for (String m : ms.subList(0, 10)) {
            List<Range> arcs = ring.arcs(m);
            for (Bound e : entries.subList(0, 2_000)) {
                boolean inArcs = arcs.stream().anyMatch(a -> a.contains(e));
                assertThat(inArcs).as(m + " holds " + e).isEqualTo(ring.holds(m, e));
            }
        }
    }

    @Test
    void sharesAreTheSegmentsAMachinesPlacesStartAndTogetherCoverEveryKeyOnce() {
        java.util.Map<String, List<Bound>> places = new java.util.LinkedHashMap<>();
        places.put("http://a.test", at("c", "m"));
        places.put("http://b.test", at("f"));
        places.put("http://c.test", at("t"));
        Ring ring = Ring.of(places, 1);
        Range cf = new Range(Bound.of("c"), Bound.of("f"));
        Range mt = new Range(Bound.of("m"), Bound.of("t"));
        List<Range> wrap = List.of(new Range(Bound.of("t"), null), new Range(null, Bound.of("c")));
        assertThat(ring.shares("http://a.test"))
                .containsExactly(
                        new Ring.Share(Bound.of("c"), List.of(cf), false),
                        new Ring.Share(Bound.of("m"), List.of(mt), false));
        assertThat(ring.shares("http://c.test"))
                .containsExactly(new Ring.Share(Bound.of("t"), wrap, false));
        // With two holders a key, a holds what comes before each of its places: [t, c) with c,
        // [f, m) with b.
        Ring two = Ring.of(places, 2);
        assertThat(two.shares("http://a.test"))
                .containsExactly(
                        new Ring.Share(Bound.of("c"), List.of(cf), true),
                        new Ring.Share(Bound.of("m"), List.of(mt), true));
        assertThat(two.shares("http://c.test"))
                .containsExactly(new Ring.Share(Bound.of("t"), wrap, false));
        assertThat(two.shares("http://nobody.test")).isEmpty();

        List<String> ms = machines(30);
        Ring big = Ring.of(ms, points(words(3000, 5)), 8, 3);
        for (String k : words(500, 6)) {
            Bound p = Bound.of(k);
            List<String> owners = new ArrayList<>();
            for (String m : ms) {
                for (Ring.Share s : big.shares(m)) {
                    if (s.own().stream().anyMatch(r -> r.contains(p))) {
                        owners.add(m);
                    }
                }
            }
            assertThat(owners).as(k).containsExactly(big.holders(p).get(0));
        }
    }
}
