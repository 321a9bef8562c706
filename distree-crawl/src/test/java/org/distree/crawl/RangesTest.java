package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import org.distree.model.Bound;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class RangesTest {
    static Range r(String lo, String hi) {
        return new Range(lo == null ? null : Bound.of(lo), hi == null ? null : Bound.of(hi));
    }

    @Test
    void subtractingAnInnerRangeLeavesBothSides() {
        assertThat(Ranges.minus(r(null, null), r("c", "f")))
                .containsExactly(r(null, "c"), r("f", null));
    }

    @Test
    void subtractingAnEnclosingRangeLeavesNothing() {
        assertThat(Ranges.minus(r("c", "d"), r("a", "z"))).isEmpty();
        assertThat(Ranges.minus(r("c", "d"), r(null, null))).isEmpty();
    }

    @Test
    void subtractingADisjointRangeLeavesAllAndAnOverlapLeavesOneSide() {
        assertThat(Ranges.minus(r("a", "c"), r("x", "z"))).containsExactly(r("a", "c"));
        assertThat(Ranges.minus(r("a", "m"), r("f", null))).containsExactly(r("a", "f"));
    }

    @Test
    void subtractingSeveralRangesLeavesWhatNoneHolds() {
        assertThat(Ranges.minusAll(r(null, null), java.util.List.of(r("c", "f"), r("e", "k"))))
                .containsExactly(r(null, "c"), r("k", null));
        assertThat(Ranges.minusAll(r("a", "z"), java.util.List.of())).containsExactly(r("a", "z"));
        assertThat(Ranges.minusAll(r("c", "d"), java.util.List.of(r("a", "m"), r("x", null))))
                .isEmpty();
    }

    @Test
    void minusInfinityIsOnlyInRangesOpenBelow() {
        assertThat(Ranges.containsLow(r(null, "c"), null)).isTrue();
        assertThat(Ranges.containsLow(r("a", "c"), null)).isFalse();
        assertThat(Ranges.containsLow(r("a", "c"), Bound.of("b"))).isTrue();
    }

    @Test
    void describeShowsAnExactKeyAsTheKey() {
        assertThat(Ranges.describe(org.distree.query.Query.exact("apple").range()))
                .isEqualTo("'apple'");
        assertThat(Ranges.describe(r("a", "b"))).isEqualTo("[a, b)");
    }
}
