package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RangeTest {
    private static final Bound A = Bound.of("a");
    private static final Bound B = Bound.of("b");
    private static final Bound C = Bound.of("c");
    private static final Bound D = Bound.of("d");

    private static Range r(Bound low, Bound high) {
        return new Range(low, high);
    }

    @Test
    void lowMustBeBelowHigh() {
        assertThatThrownBy(() -> r(B, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("range low 'b' is not below its high 'a'");
        assertThatThrownBy(() -> r(A, A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r(new Bound("a", "x"), new Bound("a", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(r(new Bound("a", "x"), new Bound("a", "y")).low()).isNotNull();
    }

    @Test
    void containsIsHalfOpen() {
        Range ab = r(A, B);

        assertThat(ab.contains(A)).isTrue();
        assertThat(ab.contains(new Bound("a", "zzz"))).isTrue();
        assertThat(ab.contains(new Bound("az", "x"))).isTrue();
        assertThat(ab.contains(B)).isFalse();
        assertThat(ab.contains(new Bound("b", "x"))).isFalse();
        assertThat(r(null, B).contains(Bound.of(""))).isTrue();
        assertThat(r(A, null).contains(Bound.of("zzzz"))).isTrue();
        assertThat(Range.ALL.contains(A)).isTrue();
    }

    @Test
    void rangesThatOnlyTouchDoNotMeet() {
        assertThat(r(A, B).meets(r(B, C))).isFalse();
        assertThat(r(B, C).meets(r(A, B))).isFalse();
        assertThat(r(A, C).meets(r(B, D))).isTrue();
        assertThat(r(A, B).meets(r(C, D))).isFalse();
        assertThat(r(null, B).meets(r(A, null))).isTrue();
        assertThat(r(null, A).meets(r(A, null))).isFalse();
        assertThat(Range.ALL.meets(r(C, D))).isTrue();
        assertThat(r(A, new Bound("a", "m")).meets(r(new Bound("a", "l"), B))).isTrue();
        assertThat(r(A, new Bound("a", "m")).meets(r(new Bound("a", "m"), B))).isFalse();
    }

    @Test
    void enclosesMeansEveryPointInside() {
        assertThat(r(A, D).encloses(r(B, C))).isTrue();
        assertThat(r(A, D).encloses(r(A, D))).isTrue();
        assertThat(r(A, D).encloses(r(A, null))).isFalse();
        assertThat(r(B, D).encloses(r(null, C))).isFalse();
        assertThat(Range.ALL.encloses(r(null, C))).isTrue();
        assertThat(r(null, C).encloses(Range.ALL)).isFalse();
        assertThat(r(A, B).encloses(r(new Bound("a", "x"), B))).isTrue();
    }

    @Test
    void intersectIsTheSharedPart() {
        assertThat(r(A, C).intersect(r(B, D))).isEqualTo(r(B, C));
        assertThat(r(null, C).intersect(r(B, null))).isEqualTo(r(B, C));
        assertThat(Range.ALL.intersect(r(A, B))).isEqualTo(r(A, B));
    }

    private static final List<Bound> POINTS = List.of(
            Bound.of(""),
            A,
            new Bound("a", "m"),
            B,
            new Bound("b", "z"),
            C,
            Bound.of("cc"),
            D,
            Bound.of("zz"));

    @Property(tries = 500)
    void meetsAndEnclosesAgreeWithThePointsTheyHold(
            @ForAll("ranges") Range x, @ForAll("ranges") Range y) {
        assertThat(x.meets(y)).isEqualTo(y.meets(x));
        for (Bound p : points(x, y)) {
            if (x.contains(p) && y.contains(p)) {
                assertThat(x.meets(y)).as("both hold %s", p).isTrue();
                assertThat(x.intersect(y).contains(p)).isTrue();
            }
            if (x.encloses(y) && y.contains(p)) {
                assertThat(x.contains(p))
                        .as("%s encloses %s, which holds %s", x, y, p)
                        .isTrue();
            }
        }
        if (x.meets(y)) {
            Range i = x.intersect(y);
            assertThat(x.encloses(i) && y.encloses(i)).isTrue();
        }
    }

    @Provide
    Arbitrary<Range> ranges() {
        return ModelArbitraries.ranges();
    }

    private static List<Bound> points(Range x, Range y) {
        List<Bound> out = new java.util.ArrayList<>(POINTS);
        for (Bound b : new Bound[] {x.low(), x.high(), y.low(), y.high()}) {
            if (b != null) {
                out.add(b);
                out.add(new Bound(b.key(), b.link() + "a"));
                out.add(new Bound(b.key() + "a", ""));
            }
        }
        return out;
    }
}
