package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.distree.model.Bound;
import org.junit.jupiter.api.Test;

class BalanceTest {
    private static final String SELF = "http://m0000.test";

    /** A ring of 40 machines, 8 places each, over 40,000 distinct words. */
    private static final List<String> MACHINES = RingTest.machines(40);

    private static final List<Bound> WORDS =
            new ArrayList<>(new TreeSet<>(RingTest.points(RingTest.words(40_000, 3))));

    private static Map<String, List<Bound>> published() {
        Map<String, List<Bound>> out = new LinkedHashMap<>();
        for (String m : MACHINES) {
            out.put(m, Ring.placesOf(m, WORDS, 8));
        }
        return out;
    }

    /** What each machine stores on this ring: the words it holds (own entries left out). */
    private static Map<String, List<Bound>> stores(Ring ring) {
        Map<String, List<Bound>> out = new HashMap<>();
        for (Bound w : WORDS) {
            for (String h : ring.holders(w)) {
                out.computeIfAbsent(h, k -> new ArrayList<>()).add(w);
            }
        }
        return out;
    }

    private static String heaviest(Map<String, List<Bound>> stores) {
        return stores.entrySet().stream()
                .max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(List::size)))
                .orElseThrow()
                .getKey();
    }

    @Test
    void aMachineNoHeavierThanTheMedianKeepsItsPlaces() {
        Map<String, List<Bound>> published = published();
        Ring ring = Ring.of(published, 3);
        List<Bound> stored = stores(ring).get(SELF);
        List<Bound> mine = published.get(SELF);
        assertThat(Balance.places(ring, SELF, mine, stored, (long) Math.ceil(stored.size() / 1.3)))
                .isSameAs(mine);
        // No median known (or a liar's zero): nothing moves.
        assertThat(Balance.places(ring, SELF, mine, stored, 0)).isSameAs(mine);
    }

    @Test
    void aHeavyMachineMovesPlacesForwardInsideItsOwnSegmentsAndShedsItsExcess() {
        Map<String, List<Bound>> published = published();
        Ring ring = Ring.of(published, 3);
        Map<String, List<Bound>> before = stores(ring);
        String heavy = heaviest(before);
        List<Long> sizes = new ArrayList<>();
        before.values().forEach(l -> sizes.add((long) l.size()));
        sizes.sort(null);
        long median = sizes.get(sizes.size() / 2);
        // The ring's own heaviest machine, made heavier still against the median.
        long lighter = (long) (before.get(heavy).size() / 1.6);
        assertThat(Balance.heavy(before.get(heavy).size(), lighter)).isTrue();
        assertThat(Balance.heavy(median, median)).isFalse();

        List<Bound> mine = published.get(heavy);
        List<Bound> next = Balance.places(ring, heavy, mine, before.get(heavy), lighter);

        assertThat(next).hasSameSizeAs(mine).isNotEqualTo(mine);
        List<Ring.Share> shares = ring.shares(heavy);
        for (int i = 0; i < mine.size(); i++) {
            Bound was = mine.get(i);
            Bound now = next.get(i);
            Ring.Share share = shares.stream()
                    .filter(s -> s.place().equals(was))
                    .findFirst()
                    .orElseThrow();
            // Forward, and not past the next place: the segment only shrinks.
            assertThat(now.equals(was) || share.own().stream().anyMatch(r -> r.contains(now)))
                    .as(was + " to " + now)
                    .isTrue();
        }
        Map<String, List<Bound>> moved = new LinkedHashMap<>(published);
        moved.put(heavy, next);
        Map<String, List<Bound>> after = stores(Ring.of(moved, 3));
        long shed = (long) before.get(heavy).size() - after.get(heavy).size();
        long excess = before.get(heavy).size() - Math.round(Balance.TARGET * lighter);
        // It sheds what its own segments allow, up to the excess (cuts fall between entries).
        assertThat(shed).isPositive().isLessThanOrEqualTo(excess);
        assertThat(after.get(heavy).size()).isLessThan(before.get(heavy).size());
        // Every word still has its three holders; only the next machines back took the rest.
        long total = 0;
        for (List<Bound> l : after.values()) {
            total += l.size();
        }
        assertThat(total).isEqualTo(3L * WORDS.size());
        for (String m : MACHINES) {
            if (!m.equals(heavy)) {
                assertThat(after.getOrDefault(m, List.of()).size())
                        .isGreaterThanOrEqualTo(
                                before.getOrDefault(m, List.of()).size());
            }
        }
    }

    @Test
    void movesOverAFewRoundsBringTheLargestStoreUnderTheHeavyMark() {
        Map<String, List<Bound>> published = published();
        Map<String, List<Bound>> stores = stores(Ring.of(published, 3));
        double first = largestOverMedian(stores);
        assertThat(first).isGreaterThan(Balance.HEAVY);
        for (int round = 0; round < 6; round++) {
            Ring ring = Ring.of(published, 3);
            long median = median(stores);
            Map<String, List<Bound>> next = new LinkedHashMap<>(published);
            for (String m : MACHINES) {
                next.put(m, Balance.places(ring, m, published.get(m), stores.get(m), median));
            }
            published = next;
            stores = stores(Ring.of(published, 3));
        }
        assertThat(largestOverMedian(stores)).isLessThanOrEqualTo(Balance.HEAVY + 0.05);
    }

    private static long median(Map<String, List<Bound>> stores) {
        List<Integer> sizes = new ArrayList<>();
        stores.values().forEach(l -> sizes.add(l.size()));
        sizes.sort(null);
        return sizes.get(sizes.size() / 2);
    }

    private static double largestOverMedian(Map<String, List<Bound>> stores) {
        return stores.get(heaviest(stores)).size() / (double) median(stores);
    }
}
