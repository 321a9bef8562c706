package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BoundTest {
    @Test
    void aBoundWithoutLinkSitsBeforeEveryEntryOfItsKey() {
        Bound k = Bound.of("k");

        assertThat(k.compareTo(new Bound("k", "a"))).isNegative();
        assertThat(k.compareTo(new Bound("j", "zzz"))).isPositive();
        assertThat(new Bound("k", "b").compareTo(new Bound("k", "a"))).isPositive();
        assertThat(Bound.of("\uFF21").compareTo(Bound.of(new String(Character.toChars(0x10000)))))
                .isNegative();
    }

    @Test
    void betweenTwoKeysIsAShortKeyAndWithinOneKeyALinkPart() {
        assertThat(Bound.between(new Bound("apple", "x"), new Bound("banana", "y")))
                .isEqualTo(Bound.of("b"));
        assertThat(Bound.between(
                        new Bound("k", "https://a.org/1"), new Bound("k", "https://a.org/2")))
                .isEqualTo(new Bound("k", "https://a.org/2"));
        assertThat(Bound.between(
                        new Bound("k", "https://a.org/x"), new Bound("k", "https://b.org/x")))
                .isEqualTo(new Bound("k", "https://b"));
        assertThatThrownBy(() -> Bound.between(Bound.of("b"), Bound.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Bound> positions() {
        Arbitrary<String> keys = Arbitraries.oneOf(
                ModelArbitraries.keys(),
                Arbitraries.of("k", "kk", "k\uFFFF", "k" + new String(Character.toChars(0x1D400))));
        return Combinators.combine(keys, ModelArbitraries.links()).as(Bound::new);
    }

    @Property(tries = 500)
    void betweenLiesAfterPrevAndAtOrBeforeNext(
            @ForAll("positions") Bound a, @ForAll("positions") Bound b) {
        if (a.compareTo(b) == 0) {
            return;
        }
        Bound prev = a.compareTo(b) < 0 ? a : b;
        Bound next = a.compareTo(b) < 0 ? b : a;

        Bound s = Bound.between(prev, next);

        assertThat(prev.compareTo(s)).isNegative();
        assertThat(s.compareTo(next)).isNotPositive();
        assertThat(new Range(s, null).contains(next)).isTrue();
        assertThat(new Range(null, s).contains(prev)).isTrue();
    }
}
