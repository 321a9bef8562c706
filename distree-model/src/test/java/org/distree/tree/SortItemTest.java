package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.ModelArbitraries;
import org.junit.jupiter.api.Test;

/**
 * The external sorter's byte comparisons are a fast path of {@link Keys#compare}: on keys and
 * links of code points from every plane (lone surrogates are not valid keys or links) they give
 * the same order as {@code Keys.compare} and {@link Entry#compareTo}.
 */
class SortItemTest {
    /** Valid keys: 1 to 8 code points from every plane, no control character. */
    @Provide
    Arbitrary<String> keys() {
        return ModelArbitraries.anyPlaneStrings(8).filter(SortItemTest::valid);
    }

    private static boolean valid(String s) {
        try {
            Keys.requireKey(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortItem item(Entry e) {
        SortItem.Tail tail = SortItem.Tail.of(e.target());
        return new SortItem(utf8(e.key()), tail.bytes(), tail.linkLength(), -1);
    }

    @Property(tries = 1000)
    void keyBytesCompareAsKeysCompare(@ForAll("keys") String a, @ForAll("keys") String b) {
        assertThat(Integer.signum(SortItem.compareKeys(utf8(a), utf8(b))))
                .isEqualTo(Integer.signum(Keys.compare(a, b)));
    }

    @Property(tries = 1000)
    void keyPrefixesThatDifferCompareAsTheirKeys(
            @ForAll("keys") String a, @ForAll("keys") String b) {
        // Half the time with a shared start, so prefixes are often equal.
        String bb = a.length() % 2 == 0 ? a + b : b;
        long pa = SortItem.keyPrefix(utf8(a));
        long pb = SortItem.keyPrefix(utf8(bb));
        if (pa != pb) {
            assertThat(Integer.signum(Long.compareUnsigned(pa, pb)))
                    .isEqualTo(Integer.signum(Keys.compare(a, bb)));
        }
        byte[] ka = utf8("xx" + a);
        byte[] kb = utf8("y" + bb);
        assertThat(Integer.signum(SortItem.compareKeys(ka, 2, ka.length, kb, 1, kb.length)))
                .isEqualTo(Integer.signum(Keys.compare(a, bb)));
    }

    @Property(tries = 1000)
    void itemsCompareAsTheirEntries(
            @ForAll("keys") String keyA,
            @ForAll("keys") String linkA,
            @ForAll("keys") String keyB,
            @ForAll("keys") String linkB) {
        // Shared keys and links half the time, so the link decides often.
        Entry a = Entry.of(keyA, "https://e.example/" + linkA, "", "");
        Entry b = Entry.of(
                keyA.length() % 2 == 0 ? keyA : keyB,
                "https://e.example/" + (linkB.length() % 3 == 0 ? linkA : linkB),
                "",
                "");

        int bytes = Integer.signum(SortItem.compare(item(a), item(b)));

        assertThat(bytes).isEqualTo(Integer.signum(a.compareTo(b)));
        int byKeys = Keys.compare(a.key(), b.key());
        assertThat(bytes)
                .isEqualTo(Integer.signum(byKeys != 0 ? byKeys : Keys.compare(a.link(), b.link())));
        SortItem.Tail ta = SortItem.Tail.of(a.target());
        SortItem.Tail tb = SortItem.Tail.of(b.target());
        assertThat(Integer.signum(SortItem.compareLinks(
                        ta.bytes(), ta.linkLength(), tb.bytes(), tb.linkLength())))
                .isEqualTo(Integer.signum(Keys.compare(a.link(), b.link())));
    }

    @Test
    void aTailGivesBackItsTargetWithRecordAndScore() {
        List<Entry.Target> targets = List.of(
                new Entry.Target("https://e.org/a", "A", "note", "sha256-x", Map.of()),
                new Entry.Target("https://e.org/b", "", "", null, Map.of(), false, 73),
                new Entry.Target("https://e.org/c", "C", "", "d", Map.of(), false, 1_000_000),
                new Entry.Target("../p/1.html", "1", "", null, Map.of(), true, 0),
                new Entry.Target("../p/2.html", "2", "", null, Map.of(), true, 412));
        for (Entry.Target t : targets) {
            SortItem.Tail tail = SortItem.Tail.of(t);
            assertThat(new SortItem(utf8("k"), tail.bytes(), tail.linkLength(), -1).target())
                    .as(t.link())
                    .isEqualTo(t);
        }
    }
}
