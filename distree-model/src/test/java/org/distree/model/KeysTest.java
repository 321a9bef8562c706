package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final String U_10000 = new String(Character.toChars(0x10000));
    private static final String U_1D400 = new String(Character.toChars(0x1D400));
    private static final String U_10FFFF = new String(Character.toChars(0x10FFFF));

    /** Strings of valid code points from every plane, with some near the surrogate range. */
    @Provide
    Arbitrary<String> strings() {
        return ModelArbitraries.anyPlaneStrings(6);
    }

    private static int utf8Compare(String a, String b) {
        return Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void codePointOrderDiffersFromStringCompareToAboveTheSurrogates() {
        for (String bmp : List.of("\uE000", "\uFF21", "\uFFFD")) {
            assertThat(U_10000.compareTo(bmp)).as(bmp).isNegative();
            assertThat(Keys.compare(U_10000, bmp)).as(bmp).isPositive();
            assertThat(Keys.compare(bmp, U_10000)).as(bmp).isNegative();
        }
        assertThat(Keys.compare("a" + U_1D400, "a\uFF21z")).isPositive();
        assertThat(Keys.ORDER.compare("\uD7FF", U_10000)).isNegative();
    }

    @Property(tries = 500)
    void compareAgreesWithUtf8Bytes(@ForAll("strings") String a, @ForAll("strings") String b) {
        assertThat(Integer.signum(Keys.compare(a, b))).isEqualTo(Integer.signum(utf8Compare(a, b)));
    }

    @Property(tries = 300)
    void utf8LengthIsTheEncodedLength(@ForAll("strings") String s) {
        assertThat(Keys.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void keysAreOneToSixtyFourBytesWithoutControlCharacters() {
        assertThat(Keys.requireKey("a".repeat(64))).hasSize(64);
        assertThat(Keys.requireKey(U_1D400.repeat(16))).isNotEmpty();
        assertThatThrownBy(() -> Keys.requireKey(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key is empty");
        assertThatThrownBy(() -> Keys.requireKey("a".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65 bytes, over the 64 byte limit");
        assertThatThrownBy(() -> Keys.requireKey(U_1D400.repeat(17)))
                .hasMessageContaining("68 bytes");
        for (String bad : List.of(
                "a\tb",
                "a\u0000",
                "\u007f",
                "a\u0085",
                "x\uD800y",
                "\uDC00",
                "a\uFFFE",
                "\uFFFF",
                new String(Character.toChars(0x1FFFF)))) {
            assertThatThrownBy(() -> Keys.requireKey(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not allowed");
        }
    }

    @Test
    void shortestSeparatorIsTheShortestPrefixOfNextAbovePrev() {
        assertThat(Keys.shortestSeparator("apple", "banana")).isEqualTo("b");
        assertThat(Keys.shortestSeparator("abc", "abd")).isEqualTo("abd");
        assertThat(Keys.shortestSeparator("ab", "abc")).isEqualTo("abc");
        assertThat(Keys.shortestSeparator("", "a")).isEqualTo("a");
        assertThat(Keys.shortestSeparator("a\uFFFF", "a" + U_10000 + "x")).isEqualTo("a" + U_10000);
        assertThatThrownBy(() -> Keys.shortestSeparator("b", "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.shortestSeparator("a", "a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void shortestSeparatorLiesBetweenAndNoShorterPrefixDoes(
            @ForAll("strings") String a, @ForAll("strings") String b) {
        if (Keys.compare(a, b) == 0) {
            return;
        }
        String prev = Keys.compare(a, b) < 0 ? a : b;
        String next = Keys.compare(a, b) < 0 ? b : a;

        String s = Keys.shortestSeparator(prev, next);

        assertThat(next).startsWith(s);
        assertThat(Keys.compare(prev, s)).isNegative();
        assertThat(Keys.compare(s, next)).isNotPositive();
        if (!s.isEmpty()) {
            String shorter = s.substring(0, s.offsetByCodePoints(s.length(), -1));
            assertThat(Keys.compare(shorter, prev)).isNotPositive();
        }
    }

    @Test
    void prefixEndIsTheNextStringAfterEveryExtension() {
        assertThat(Keys.prefixEnd("abc")).isEqualTo("abd");
        assertThat(Keys.prefixEnd("a\uD7FF")).isEqualTo("a\uE000");
        assertThat(Keys.prefixEnd("a\uFFFF")).isEqualTo("a" + U_10000);
        assertThat(Keys.prefixEnd("a" + U_10FFFF)).isEqualTo("b");
        assertThat(Keys.prefixEnd(U_10FFFF + U_10FFFF)).isNull();
    }

    @Property(tries = 500)
    void everyExtensionOfAPrefixSortsBelowItsEndAndNothingElseBetween(
            @ForAll("strings") String prefix, @ForAll("strings") String other) {
        if (prefix.isEmpty()) {
            return;
        }
        String end = Keys.prefixEnd(prefix);
        String extended = prefix + other;

        assertThat(end == null || Keys.compare(extended, end) < 0).isTrue();
        if (end != null && !other.startsWith(prefix) && Keys.compare(other, prefix) > 0) {
            assertThat(Keys.compare(other, end))
                    .as("'%s' after '%s'", other, prefix)
                    .isNotNegative();
        }
    }

    @Test
    void abbreviateNeverSplitsACodePoint() {
        String s = U_1D400.repeat(50);

        String cut = Keys.abbreviate(s, 40);

        assertThat(cut).isEqualTo(U_1D400.repeat(40) + "…");
        assertThat(Keys.abbreviate("short", 40)).isEqualTo("short");
    }

    @Test
    void abbreviateShowsControlCharactersEscaped() {
        // A value quoted in a message keeps it on one line (found by NodeReaderFuzzTest).
        assertThat(Keys.abbreviate("a\nb\r\tc\u001Bd", 40)).isEqualTo("a\\nb\\r\\tc\\u001Bd");
        assertThat(Keys.abbreviate("x\n".repeat(30), 4)).isEqualTo("x\\nx\\n…");
    }
}
