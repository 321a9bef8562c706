package org.distree.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class QueryTest {
    private static final String U_10000 = new String(Character.toChars(0x10000));

    private static Entry e(String key) {
        return Entry.of(key, "https://example.org/" + key.length(), "", "");
    }

    private static List<String> matching(Query q, String... keys) {
        return java.util.Arrays.stream(keys).filter(k -> q.matches(e(k))).toList();
    }

    @Test
    void exactMatchesOnlyThatKeyWhateverTheLink() {
        Query q = Query.exact("abc");

        assertThat(matching(q, "ab", "abc", "abcd", "abd", "abc ", "ABC")).containsExactly("abc");
        assertThat(q.matches(Entry.of("abc", "zzzz", "", ""))).isTrue();
        assertThat(q.meets(new Range(new Bound("abc", "m"), new Bound("abc", "n"))))
                .isTrue();
        assertThat(q.meets(new Range(null, Bound.of("abc")))).isFalse();
        assertThat(q.meets(new Range(Bound.of("abc\u0001"), null))).isFalse();
    }

    @Test
    void prefixAbcDoesNotMatchAbd() {
        Query q = Query.prefix("abc");

        assertThat(matching(
                        q, "ab", "abc", "abcd", "abc\uFFFD", "abc" + U_10000, "abd", "abb", "abcé"))
                .containsExactly("abc", "abcd", "abc\uFFFD", "abc" + U_10000, "abcé");
        assertThat(q.meets(new Range(Bound.of("abd"), null))).isFalse();
        assertThat(q.meets(new Range(Bound.of("abcz"), Bound.of("abd")))).isTrue();
        assertThat(q.meets(new Range(null, Bound.of("abc")))).isFalse();
    }

    @Test
    void prefixAboveTheSurrogatesKeepsCodePointOrder() {
        // In UTF-16 order U+10000 sorts below U+FF21; in key order it sorts above U+FF22.
        Query q = Query.prefix("a\uFF21");

        assertThat(matching(q, "a\uFF21", "a\uFF21" + U_10000, "a" + U_10000, "a\uFF22", "a"))
                .containsExactly("a\uFF21", "a\uFF21" + U_10000);
        assertThat(q.meets(new Range(Bound.of("a" + U_10000), null))).isFalse();
    }

    @Test
    void rangeIsHalfOpenWithOptionalEnds() {
        assertThat(matching(Query.range("b", "d"), "a", "b", "bz", "c", "d", "da"))
                .containsExactly("b", "bz", "c");
        assertThat(matching(Query.range(null, "b"), "a", "b")).containsExactly("a");
        assertThat(matching(Query.range("b", ""), "a", "b", "zz")).containsExactly("b", "zz");
        assertThat(matching(Query.range(null, null), "a", "zz")).containsExactly("a", "zz");
    }

    @Test
    void parseRangeReadsLowDotDotHigh() {
        assertThat(Query.parseRange("b..d").range())
                .isEqualTo(Query.range("b", "d").range());
        assertThat(Query.parseRange("..d").range().low()).isNull();
        assertThat(Query.parseRange("b..").range().high()).isNull();
        assertThat(Query.parseRange("..").range()).isEqualTo(Range.ALL);
        assertThatThrownBy(() -> Query.parseRange("bd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOW..HIGH");
        assertThatThrownBy(() -> Query.parseRange("d..b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyWordsAreRefused() {
        assertThatThrownBy(() -> Query.exact(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the query is empty");
        assertThatThrownBy(() -> Query.prefix("")).isInstanceOf(IllegalArgumentException.class);
    }
}
