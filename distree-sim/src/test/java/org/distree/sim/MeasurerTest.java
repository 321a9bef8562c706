package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeasurerTest {
    @Test
    void percentilesAreByNearestRank() {
        int[] hundred = new int[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Measurer.percentile99(hundred)).isEqualTo(99);
        assertThat(Measurer.percentile99(new int[] {1, 2, 3, 4, 50})).isEqualTo(50);
        assertThat(Measurer.percentile99(new int[0])).isZero();
        assertThat(Measurer.median(new int[] {1, 2, 3, 4})).isEqualTo(2.5);
        assertThat(Measurer.median(new int[] {1, 2, 9})).isEqualTo(2);
        assertThat(Measurer.median(new int[0])).isZero();
    }
}
