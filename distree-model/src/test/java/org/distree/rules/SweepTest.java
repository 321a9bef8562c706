package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SweepTest {
    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

    private static ChildRef link(int n, @Nullable String low, @Nullable String high) {
        return new ChildRef(
                "http://m" + n + ".example/n.html",
                new Range(low == null ? null : Bound.of(low), high == null ? null : Bound.of(high)),
                0,
                1,
                T,
                Status.OK,
                Map.of());
    }

    /** What a scan of every link gives: those holding the point, in list order. */
    private static List<Integer> scanned(List<ChildRef> links, @Nullable Bound p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            Range r = links.get(i).range();
            if (p == null ? r.low() == null : r.contains(p)) {
                out.add(i);
            }
        }
        return out;
    }

    @Property(tries = 500)
    void eachStepGivesTheLinksAScanFindsInListOrder(@ForAll long seed) {
        Random random = new Random(seed);
        List<ChildRef> links = new ArrayList<>();
        int count = random.nextInt(30);
        for (int i = 0; i < count; i++) {
            char lo = (char) ('a' + random.nextInt(20));
            char hi = (char) (lo + 1 + random.nextInt(8));
            links.add(link(
                    i,
                    random.nextInt(5) == 0 ? null : String.valueOf(lo),
                    random.nextInt(5) == 0 ? null : String.valueOf(hi)));
        }
        Sweep sweep = new Sweep(links);
        assertThat(sweep.at(null)).isEqualTo(scanned(links, null));
        for (char c = 'a'; c <= 'z'; c = (char) (c + 1 + random.nextInt(3))) {
            Bound p = Bound.of(String.valueOf(c));
            assertThat(sweep.at(p)).as("at %s", c).isEqualTo(scanned(links, p));
            Bound next = sweep.nextLow();
            Bound lowest = null;
            for (ChildRef l : links) {
                Bound low = l.range().low();
                if (low != null
                        && low.compareTo(p) > 0
                        && (lowest == null || low.compareTo(lowest) < 0)) {
                    lowest = low;
                }
            }
            assertThat(next).as("next low after %s", c).isEqualTo(lowest);
        }
    }

    @Test
    void thePointMovesUpOnly() {
        Sweep sweep = new Sweep(List.of(link(0, "a", "m"), link(1, "c", null)));
        assertThat(sweep.at(Bound.of("d"))).containsExactly(0, 1);
        assertThat(sweep.at(Bound.of("m"))).containsExactly(1);
        assertThatThrownBy(() -> sweep.at(Bound.of("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("moves up only");
        assertThatThrownBy(() -> sweep.at(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
