package org.distree.maintain.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.Range;

/**
 * Ranges that move when load is uneven (issue 13; docs/PROTOCOL.md, "Ranges that move with
 * load"): a machine that stores much more than the machines around it moves its places so that
 * it holds less.
 *
 * <p>Random places leave some machine with arcs near twice the mean (6.8 shares at 1,000
 * machines with 8 places, {@code bench/ring-model.py}). A machine that stores more than {@link
 * #HEAVY} times the median store that the roots publish sheds the excess above {@link #TARGET}
 * times it: it moves its places forward, the place with the most entries in its own segment
 * first, each past at most {@link #MOST_CUT} of that segment's entries (a place whose segment
 * before is held by this machine too is left: what it passed it would still hold). The entries
 * passed are then held by the segment's other holders, as before, and by the next machine back,
 * which takes what this one gives up; no other range moves, and the machine keeps every place
 * (a place given up for good was tried and taken out: under churn the machines that gave places
 * up could not take them back, docs/SCALE.md).
 *
 * <p>Only heavy machines move, and only by what their own entries show (the entries they hold in
 * each segment, which they hold whole once synced), so that a liar's published store moves no
 * machine unless liars are half of those read (the median). Pure: the caller publishes the places
 * returned, and waits for its ranges to settle before it calls again.
 */
public final class Balance {
    /** A machine stores more than this many times the median store before it moves: {@value}. */
    public static final double HEAVY = 1.3;

    /** What a heavy machine sheds down to, in median stores: {@value}. */
    public static final double TARGET = 1.15;

    /** The largest part of one own segment that one move passes: {@value}. */
    public static final double MOST_CUT = 0.75;

    private Balance() {}

    /** True when a machine storing {@code load} entries is heavy against the median store. */
    public static boolean heavy(long load, long median) {
        return median > 0 && load > HEAVY * median;
    }

    /**
     * The places a machine publishes next: {@code published} when it is not heavy, else with
     * places moved forward, as the class comment says.
     *
     * @param ring the ring this machine computed, with its places as published
     * @param self this machine's origin
     * @param published the places its root publishes ({@code data-places}, decoded)
     * @param stored the positions of the entries its leaves hold, own and copies, in key order
     * @param median the median of the stores the machines on the ring publish, this one's
     *     included
     */
    public static List<Bound> places(
            Ring ring, String self, List<Bound> published, List<Bound> stored, long median) {
        if (!heavy(stored.size(), median) || ring.machines() <= 1) {
            return published;
        }
        long excess = stored.size() - Math.round(TARGET * median);
        List<Ring.Share> shares = new ArrayList<>(ring.shares(self));
        shares.sort(Comparator.comparingInt((Ring.Share s) -> count(stored, s.own()))
                .reversed());
        List<Bound> out = new ArrayList<>(published);
        for (Ring.Share s : shares) {
            if (s.heldBefore()) {
                continue; // what it passes, it still holds
            }
            List<Bound> own = in(stored, s.own());
            int cut = (int) Math.min(excess, (long) (MOST_CUT * own.size()));
            if (cut <= 0) {
                continue;
            }
            Collections.replaceAll(out, s.place(), separator(own.get(cut - 1), own.get(cut)));
            excess -= cut;
        }
        return out.equals(published) ? published : Ring.fit(out);
    }

    /**
     * The shortest place between two stored entries that leaves the first behind: a short place
     * takes little of the attribute. At the wrap (the first is the end of the key space) the
     * second's own position.
     */
    private static Bound separator(Bound before, Bound at) {
        return before.compareTo(at) < 0 ? Bound.between(before, at) : at;
    }

    /** The positions in {@code stored} (sorted) inside the ranges, in the ranges' order. */
    public static List<Bound> in(List<Bound> stored, List<Range> ranges) {
        List<Bound> out = new ArrayList<>();
        for (Range r : ranges) {
            out.addAll(stored.subList(from(stored, r), to(stored, r)));
        }
        return out;
    }

    private static int count(List<Bound> stored, List<Range> ranges) {
        int n = 0;
        for (Range r : ranges) {
            n += to(stored, r) - from(stored, r);
        }
        return n;
    }

    /** The index of the first position at or above the range's low. */
    private static int from(List<Bound> stored, Range r) {
        return r.low() == null ? 0 : firstAtOrAbove(stored, r.low());
    }

    /** The index past the last position below the range's high. */
    private static int to(List<Bound> stored, Range r) {
        return r.high() == null ? stored.size() : firstAtOrAbove(stored, r.high());
    }

    private static int firstAtOrAbove(List<Bound> sorted, Bound b) {
        int i = Collections.binarySearch(sorted, b);
        return i >= 0 ? i : -i - 1;
    }
}
