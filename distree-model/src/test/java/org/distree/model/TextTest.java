package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class TextTest {
    /** Chars that make normalizing hard: blanks of every kind, controls, surrogates, NBSP. */
    private static final List<Character> TRICKY = List.of(
            ' ', '\t', '\n', '\r', '\u000b', '\f', '\u001c', '\u001f', '\u0000', '\u007f', '\u0085',
            '\u009f', '\u00a0', '\u1680', '\u2000', '\u2007', '\u200b', '\u2028', '\u2029',
            '\u202f', '\u205f', '\u3000', '\ufeff', '\ud800', '\udbff', '\udc00', '\udfff',
            '\ufffd', '\uffff');

    /**
     * What normalizing means, code point by code point, as Text first did it, and U+FFFF replaced
     * as a lone surrogate is (since the 10-minute fuzzing runs).
     */
    private static String definition(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean blank = Character.isWhitespace(cp)
                    || Character.isSpaceChar(cp)
                    || Character.isISOControl(cp)
                    || cp == 0xA0;
            if (blank) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                boolean replaced =
                        cp == 0xFFFF || (Character.isSurrogate((char) cp) && cp < 0x10000);
                out.appendCodePoint(replaced ? 0xFFFD : cp);
            }
        }
        return out.toString();
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.chars().range('a', 'c')),
                Tuple.of(3, Arbitraries.of(' ')),
                Tuple.of(3, Arbitraries.of(TRICKY)),
                Tuple.of(1, Arbitraries.chars()));
        return c.list().ofMaxSize(12).map(cs -> {
            StringBuilder sb = new StringBuilder();
            cs.forEach(sb::append);
            return sb.toString();
        });
    }

    @Property(tries = 5000)
    void normalizeEqualsTheCodePointDefinition(@ForAll("texts") String s) {
        assertThat(Text.normalize(s)).isEqualTo(definition(s));
        assertThat(Text.collapse(s)).isEqualTo(definition(s));
    }

    @Property(tries = 2000)
    void normalizedTextIsReturnedAsIs(@ForAll("texts") String s) {
        String once = definition(s);
        assertThat(Text.normalize(once)).isSameAs(once);
        assertThat(Text.isNormalized(once)).isTrue();
    }

    @Test
    void everyBmpCharInEveryPlaceNormalizesAsDefined() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String ch = String.valueOf((char) c);
            for (String s : List.of(
                    ch,
                    "a" + ch,
                    ch + "b",
                    "a" + ch + "b",
                    "a " + ch + "b",
                    "a" + ch + " b",
                    ch + ch,
                    "\ud83d" + ch,
                    ch + "\ude00")) {
                assertThat(Text.normalize(s)).as("U+%04X in '%s'", c, s).isEqualTo(definition(s));
                assertThat(Text.collapse(s)).as("U+%04X in '%s'", c, s).isEqualTo(definition(s));
            }
        }
    }

    @Test
    void supplementaryCodePointsAreKeptAndLoneSurrogatesReplaced() {
        String smile = "\ud83d\ude00";
        assertThat(Text.normalize("a " + smile + " b")).isEqualTo("a " + smile + " b");
        assertThat(Text.normalize("a\ud83d b")).isEqualTo("a\ufffd b");
        assertThat(Text.normalize("\ude00" + smile)).isEqualTo("\ufffd" + smile);
        assertThat(Text.normalize(" \u00a0a\t\u2003b\u0085 ")).isEqualTo("a b");
        assertThat(Text.normalize("")).isEmpty();
        assertThat(Text.normalize(" ")).isEmpty();
    }

    @Test
    void uffffBecomesTheReplacementCharacterAndOtherNoncharactersStay() {
        // jsoup's tokenizer reads U+FFFF at the start of a run of text as the end of its input.
        assertThat(Text.normalize("a&\uffff b")).isEqualTo("a&\ufffd b");
        assertThat(Text.normalize("\uffff\uffff")).isEqualTo("\ufffd\ufffd");
        assertThat(Text.isNormalized("a\uffff")).isFalse();
        assertThat(Text.normalize("\ufffe \ufdd0 \ud83f\udfff"))
                .isEqualTo("\ufffe \ufdd0 \ud83f\udfff");
    }

    @Test
    void aValueOverItsByteLimitIsRefusedNamingItsSizeAndTheLimit() {
        assertThat(Text.requireMaxBytes("title", "\u00e9t\u00e9", 5)).isEqualTo("\u00e9t\u00e9");
        assertThatThrownBy(() -> Text.requireMaxBytes("title", "\u00e9t\u00e9s", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("title '\u00e9t\u00e9s' is 6 bytes, over the 5 byte limit");
    }

    @Test
    void onlyDataAttributeNamesAreKept() {
        assertThat(Text.requireExtra(Map.of("data-lang", "en"))).containsEntry("data-lang", "en");
        assertThatThrownBy(() -> Text.requireExtra(Map.of("onclick", "x()")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute name 'onclick' is not a data-* name");
        assertThatThrownBy(() -> Text.requireExtra(Map.of("data-X", "1")))
                .hasMessageContaining("'data-X'");
    }
}
