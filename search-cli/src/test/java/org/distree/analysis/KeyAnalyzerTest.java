package org.distree.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyAnalyzerTest {
    @Test
    void standardSegmentsWordsAndLowercases() {
        assertThat(KeyAnalyzer.forName("standard").keys("Hello, World! Straße 42"))
                .containsExactly("hello", "world", "straße", "42");
    }

    @Test
    void englishAlsoStems() {
        assertThat(KeyAnalyzer.forName("english").keys("Running runs RUN"))
                .containsExactly("run");
    }

    @Test
    void noneKeepsTheTextAsTyped() {
        assertThat(KeyAnalyzer.forName("none").keys("  Apple Pie ")).containsExactly("Apple Pie");
        assertThat(KeyAnalyzer.forName(null).name()).isEqualTo("none");
    }

    @Test
    void keysAreDistinctInOrderOfFirstAppearance() {
        assertThat(KeyAnalyzer.forName("standard").keys("b a B c a"))
                .containsExactly("b", "a", "c");
    }

    @Test
    void dropsWordsTooLongToBeKeys() {
        assertThat(KeyAnalyzer.forName("standard").keys("ok " + "x".repeat(65)))
                .containsExactly("ok");
    }

    @Test
    void segmentsScriptsWithoutSpaces() {
        assertThat(KeyAnalyzer.forName("standard").keys("東京タワー")).hasSizeGreaterThan(1);
    }

    @Test
    void boundsAreLowercasedButNotStemmed() {
        assertThat(KeyAnalyzer.forName("english").bound("Runn")).isEqualTo("runn");
        assertThat(KeyAnalyzer.forName("none").bound("Runn")).isEqualTo("Runn");
    }

    @Test
    void namesAreCaseInsensitiveAndUnknownOnesRefused() {
        assertThat(KeyAnalyzer.forName(" English ").name()).isEqualTo("english");
        assertThatThrownBy(() -> KeyAnalyzer.forName("klingon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown analyzer 'klingon'");
    }
}
