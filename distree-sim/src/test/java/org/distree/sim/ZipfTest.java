package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZipfTest {
    @Test
    void theFirstWordsAreDrawnInProportionToOneOverTheirRank() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            words.add("w" + i);
        }
        Zipf zipf = new Zipf(words, 1);
        Random random = new Random(1);
        Map<String, Integer> counts = new HashMap<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts.merge(zipf.next(random), 1, Integer::sum);
        }
        // 1 / H(1000) = 0.1336 for the first, half that for the second.
        assertThat(counts.get("w0") / (double) n).isBetween(0.128, 0.139);
        assertThat(counts.get("w1") / (double) n).isBetween(0.063, 0.071);
        assertThat(counts.getOrDefault("w999", 0)).isLessThan(counts.get("w9"));
        assertThat(counts.keySet()).allMatch(words::contains);
    }

    @Test
    void refusesNoWordsOrANonPositiveExponent() {
        assertThatThrownBy(() -> new Zipf(List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Zipf(List.of("a"), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Zipf(List.of("a"), 2).next(new Random(1))).isEqualTo("a");
    }
}
