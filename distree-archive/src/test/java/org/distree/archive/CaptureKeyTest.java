package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.distree.model.Keys;
import org.junit.jupiter.api.Test;

class CaptureKeyTest {
    private static final String TS = "20261204230707";

    @Test
    void shortSurtIsKeptWhole() {
        assertThat(CaptureKey.of("com,example)/a", TS)).isEqualTo("com,example)/a " + TS);
        assertThat(CaptureKey.isCut("com,example)/a")).isFalse();
    }

    @Test
    void longSurtIsCutToItsHeadAndAHashAndFitsTheKeyLimit() {
        String a = "com,example)/" + "x".repeat(60) + "/a";
        String b = "com,example)/" + "x".repeat(60) + "/b";
        String ka = CaptureKey.of(a, TS);
        String kb = CaptureKey.of(b, TS);
        assertThat(CaptureKey.isCut(a)).isTrue();
        assertThat(Keys.utf8Length(ka)).isEqualTo(Keys.MAX_KEY_BYTES);
        assertThat(ka).startsWith(a.substring(0, CaptureKey.HEAD_BYTES) + "#").endsWith(" " + TS);
        assertThat(ka).isNotEqualTo(kb);
        assertThat(CaptureKey.keyPart(a)).isEqualTo(ka.substring(0, ka.length() - 15));
    }

    @Test
    void aSurtOfFortyNineBytesIsTheLongestKeptWhole() {
        String s49 = "a".repeat(49);
        assertThat(CaptureKey.of(s49, TS)).isEqualTo(s49 + " " + TS);
        assertThat(CaptureKey.isCut(s49 + "b")).isTrue();
    }

    @Test
    void oneUrlsCapturesSortInTimeAndEveryKeyOfAPrefixStartsWithItsSearchPrefix() {
        String long1 = "com,example)/docs/" + "y".repeat(50);
        List<String> keys = new ArrayList<>(List.of(
                CaptureKey.of(long1, "20200101000000"),
                CaptureKey.of(long1, "20190101000000"),
                CaptureKey.of("com,example)/docs/a", "20200101000000")));
        keys.sort(Keys.ORDER);
        assertThat(keys.get(1)).endsWith("20190101000000");
        assertThat(keys.get(2))
                .endsWith("20200101000000")
                .startsWith(keys.get(1).substring(0, 49));
        String prefix = "com,example)/docs/" + "y".repeat(30);
        assertThat(CaptureKey.searchPrefix(prefix)).hasSize(CaptureKey.HEAD_BYTES);
        assertThat(CaptureKey.of(long1, TS)).startsWith(CaptureKey.searchPrefix(prefix));
    }

    @Test
    void runIsTheHeadOfALongKeyElseItsSurtAndTheSpace() {
        String cut = CaptureKey.of("c".repeat(70), TS);
        assertThat(CaptureKey.run(cut)).isEqualTo("c".repeat(40));
        assertThat(CaptureKey.run(CaptureKey.of("c".repeat(45), TS))).isEqualTo("c".repeat(40));
        assertThat(CaptureKey.run("com,a)/ " + TS)).isEqualTo("com,a)/ ");
    }

    @Test
    void badSurtsAndTimestampsAreRefused() {
        assertThatThrownBy(() -> CaptureKey.of("a b", TS)).hasMessageContaining("a space");
        assertThatThrownBy(() -> CaptureKey.of("caf\u00e9", TS)).hasMessageContaining("U+00E9");
        assertThatThrownBy(() -> CaptureKey.of("", TS)).hasMessageContaining("empty");
        assertThatThrownBy(() -> CaptureKey.of("a", "2026")).hasMessageContaining("14 digits");
    }
}
