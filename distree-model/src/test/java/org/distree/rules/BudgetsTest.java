package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fill budgets: the shares and bytes their Javadoc table states. */
class BudgetsTest {
    @Test
    void eachShareIsTheDocumentedNumberOfBytes() {
        assertThat(Rules.MAX_FILE_BYTES * Budgets.BUILD_FILL).isEqualTo(9_216);
        assertThat(Rules.MAX_FILE_BYTES * Budgets.SPLIT_FILL).isEqualTo(9_728);
        assertThat(Rules.MAX_FILE_BYTES * Budgets.MERGE_BELOW).isEqualTo(2_560);
        assertThat(Rules.MAX_FILE_BYTES * Budgets.ADOPT_FILL).isEqualTo(8_704);
        assertThat(Budgets.BOUNDS_ROOM).isEqualTo(512);
    }

    @Test
    void withinCountsTheShareItself() {
        assertThat(Budgets.within(9_728, Budgets.SPLIT_FILL)).isTrue();
        assertThat(Budgets.within(9_729, Budgets.SPLIT_FILL)).isFalse();
        assertThat(Budgets.within(2_560, Budgets.MERGE_BELOW)).isTrue();
        assertThat(Budgets.within(2_561, Budgets.MERGE_BELOW)).isFalse();
    }

    @Test
    void itemCapacityKeepsRoomForTheBounds() {
        assertThat(Budgets.itemCapacity(300)).isEqualTo(10_240 - 300 - 512);
    }

    @Test
    void aBuildFillOutside0point5To1IsRefused() {
        assertThat(Budgets.requireBuildFill(0.5)).isEqualTo(0.5);
        assertThat(Budgets.requireBuildFill(1.0)).isEqualTo(1.0);
        assertThatThrownBy(() -> Budgets.requireBuildFill(0.49))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fill 0.49 is outside 0.5..1.0");
        assertThatThrownBy(() -> Budgets.requireBuildFill(1.01))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
