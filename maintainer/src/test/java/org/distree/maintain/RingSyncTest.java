package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.distree.maintain.internal.Ring;
import org.distree.model.Bound;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class RingSyncTest {
    static Bound b(String key) {
        return Bound.of(key);
    }

    static java.util.SortedSet<Bound> edges(String... keys) {
        TreeSet<Bound> out = new TreeSet<>();
        for (String k : keys) {
            out.add(b(k));
        }
        return out;
    }

    @Test
    void leavesAreCutOnlyWhereTheMarkChanges() {
        // Arcs [c, f) and [m, q); the budget left an entry of [m, q) out, so only [c, f) is
        // vouched for: its two edges change the mark, [m, q)'s do not (partial on both sides).
        List<Range> arcs = List.of(new Range(b("c"), b("f")), new Range(b("m"), b("q")));
        List<Range> vouched = List.of(arcs.get(0));
        Predicate<Range> held = r -> Ring.within(vouched, r);
        assertThat(RingSync.markEdges(edges("c", "f", "m", "q"), held))
                .containsExactly(b("c"), b("f"));

        // Both vouched for: every edge changes the mark.
        Predicate<Range> both = r -> Ring.within(arcs, r);
        assertThat(RingSync.markEdges(edges("c", "f", "m", "q"), both))
                .containsExactly(b("c"), b("f"), b("m"), b("q"));

        // Nothing vouched for (a budget that left something out everywhere): no cut at all.
        assertThat(RingSync.markEdges(edges("c", "f", "m", "q"), r -> false)).isEmpty();
        assertThat(RingSync.markEdges(edges(), both)).isEmpty();
    }
}
