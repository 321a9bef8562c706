package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.junit.jupiter.api.Test;

/** The 10 KB and 16x rules, and the message each gives where it is broken. */
class RulesTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static Node leaf(int entries, int commentBytes) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "k%03d", i),
                    "https://example.org/" + i,
                    "",
                    "x".repeat(commentBytes)));
        }
        return Node.leaf(Range.ALL, out, T);
    }

    /** An internal node over children of these sizes, its size their sum. */
    private static Node internal(long... sizes) {
        List<ChildRef> children = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            Range r = new Range(
                    i == 0 ? null : Bound.of(String.format(Locale.ROOT, "k%02d", i)),
                    i + 1 == sizes.length
                            ? null
                            : Bound.of(String.format(Locale.ROOT, "k%02d", i + 1)));
            children.add(new ChildRef(i + ".html", r, 0, sizes[i], T, Status.OK, Map.of()));
            total += sizes[i];
        }
        return Node.internal(1, Range.ALL, total, children, T);
    }

    @Test
    void theLimitsAre10240BytesAnd16Times() {
        assertThat(Rules.MAX_FILE_BYTES).isEqualTo(10_240);
        assertThat(Rules.SUBTREE_FACTOR).isEqualTo(16);
        assertThat(Rules.fits(10_240)).isTrue();
        assertThat(Rules.fits(10_241)).isFalse();
        assertThat(Rules.obeysSixteenX(160, 10)).isTrue();
        assertThat(Rules.obeysSixteenX(159, 10)).isFalse();
        assertThat(Rules.obeysSixteenX(3, 0)).as("a leaf has no largest child").isTrue();
    }

    @Test
    void aGoodNodeBreaksNothing() {
        Node small = leaf(3, 10);
        long[] sixteenOnes = new long[16];
        java.util.Arrays.fill(sixteenOnes, 1);
        Node wide = internal(sixteenOnes);

        assertThat(Rules.violations(small)).isEmpty();
        assertThat(Rules.acceptableChild(small)).isTrue();
        assertThat(Rules.violations(wide)).isEmpty();
        assertThat(Rules.acceptableChild(wide)).isTrue();
    }

    @Test
    void aNodeOver10KbBreaks10KbWithItsSize() {
        Node fat = leaf(20, 600);
        int bytes = NodeWriter.byteSize(fat);

        List<Rules.Broken> broken = Rules.violations(fat);

        assertThat(bytes).isGreaterThan(10_240);
        assertThat(broken).hasSize(1);
        assertThat(broken.get(0).rule()).isEqualTo("10KB");
        assertThat(broken.get(0).toString())
                .isEqualTo(String.format(
                        java.util.Locale.ROOT,
                        "10KB: %,d bytes, over the 10,240 byte limit",
                        bytes));
        assertThat(Rules.acceptableChild(fat)).isFalse();
    }

    @Test
    void aNodeUnder16TimesItsLargestChildBreaks16x() {
        Node lopsided = internal(3, 30);

        List<Rules.Broken> broken = Rules.violations(lopsided);

        assertThat(broken)
                .containsExactly(new Rules.Broken(
                        "16x", "size 33 is under 16 x 30, the size of its largest child"));
        assertThat(broken.get(0).toString())
                .isEqualTo("16x: size 33 is under 16 x 30, the size of its largest child");
        assertThat(Rules.acceptableChild(lopsided)).isFalse();
    }

    @Test
    void aFileSizeIsMeasuredAsGiven() {
        assertThat(Rules.fileSize(10_240)).isEmpty();
        assertThat(Rules.fileSize(12_311).orElseThrow().details())
                .isEqualTo("12,311 bytes, over the 10,240 byte limit");
    }
}
