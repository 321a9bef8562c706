package org.distree.crawl;

import java.net.URI;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Cover;
import org.jspecify.annotations.Nullable;

/**
 * A child link an internal node offers {@link Crawl}'s walk, with its place in the parent; and
 * which of two the walk prefers at a point ({@link #better}).
 *
 * @param ref the child item as the parent lists it
 * @param url its link, resolved against the parent's URL
 * @param order its place among the parent's children, from 0
 */
record Candidate(ChildRef ref, URI url, int order) {
    /**
     * Below zero when {@code a} is preferred to {@code b} at a point both hold: status ok, then
     * failing, then dead; then one whose item is not marked partial; then by rule 8 the narrower
     * one with the larger subtree; then the one reaching furthest (up to {@code limit}, null for
     * no limit); then the larger subtree, the fuller copy; then the parent's order.
     */
    static int better(Candidate a, Candidate b, @Nullable Bound limit) {
        int s = Integer.compare(rank(a.ref().status()), rank(b.ref().status()));
        if (s != 0) {
            return s;
        }
        // A complete child before a partial one (FORMAT.md rule 8, data-partial): a partial
        // node lists only some of its range's entries, so the walk would go on to another.
        int complete = Boolean.compare(a.ref().partial(), b.ref().partial());
        if (complete != 0) {
            return complete;
        }
        // Rule 8: a narrower child with a larger subtree is the fuller copy of its range, so a
        // wide partial node that reaches further does not hide it.
        int fuller = Cover.fuller(b.ref(), a.ref());
        if (fuller != 0) {
            return fuller;
        }
        int reach = Range.compareHighs(
                min(b.ref().range().high(), limit), min(a.ref().range().high(), limit));
        if (reach != 0) {
            return reach;
        }
        int size = Long.compare(b.ref().size(), a.ref().size());
        return size != 0 ? size : Integer.compare(a.order(), b.order());
    }

    /** The segment this child is asked for: from {@code p} to its end or {@code u}'s. */
    Range segment(@Nullable Bound p, Range u) {
        Bound end = Range.compareHighs(ref.range().high(), u.high()) < 0
                ? ref.range().high()
                : u.high();
        return new Range(p, end);
    }

    private static @Nullable Bound min(@Nullable Bound a, @Nullable Bound b) {
        return Range.compareHighs(a, b) <= 0 ? a : b;
    }

    private static int rank(Status s) {
        return switch (s) {
            case OK -> 0;
            case FAILING -> 1;
            case DEAD -> 2;
        };
    }
}
