package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void timesAreKeptInWholeSecondsAsTheFormatWritesThem() {
        Instant fine = Instant.parse("2026-11-22T10:00:00.987654321Z");

        Node node = Node.leaf(Range.ALL, List.of(), fine);
        ChildRef ref = new ChildRef("1.html", Range.ALL, 0, 0, fine, Status.OK, Map.of());

        assertThat(node.updated()).isEqualTo(T);
        assertThat(ref.checked()).isEqualTo(T);
    }

    @Test
    void aLeafsSizeIsItsEntryCount() {
        assertThatThrownBy(() -> new Node(
                        Node.FORMAT_VERSION,
                        0,
                        Range.ALL,
                        3,
                        T,
                        null,
                        null,
                        List.of(),
                        List.of(),
                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 3 but 0 entries");
    }

    @Test
    void onlyKnownFormatVersionsAreMade() {
        assertThatThrownBy(() ->
                        new Node(0, 0, Range.ALL, 0, T, null, null, List.of(), List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 0");
    }

    @Test
    void analyzerAndIdAreStrippedAsReadersStripThem() {
        Node node = Node.leaf(Range.ALL, List.of(), T).withAnalyzer(" std ").withId(" o1 ");

        assertThat(node.analyzer()).isEqualTo("std");
        assertThat(node.id()).isEqualTo("o1");
        assertThatThrownBy(() -> node.withId(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartialMarkIsSetAndClearedAndOtherAttributesAreKept() {
        Node plain = new Node(
                1, 0, Range.ALL, 0, T, null, null, List.of(), List.of(), Map.of("data-x", "y"));

        Node marked = plain.withPartial(true);

        assertThat(plain.partial()).isFalse();
        assertThat(marked.partial()).isTrue();
        assertThat(marked.extra())
                .containsOnly(Map.entry("data-x", "y"), Map.entry(Node.PARTIAL, "true"));
        assertThat(marked.withPartial(true)).isSameAs(marked);
        assertThat(plain.withPartial(false)).isSameAs(plain);
        assertThat(marked.withPartial(false)).isEqualTo(plain);
        // Edits of a node keep its mark.
        assertThat(marked.withEntries(List.of(), Range.ALL, T).partial()).isTrue();
        assertThat(marked.withAnalyzer("standard").withId("o1").partial()).isTrue();
        // Only the value true marks a node.
        assertThat(plain.withPartial(false).extra()).doesNotContainKey(Node.PARTIAL);
        assertThat(new Node(
                                1,
                                0,
                                Range.ALL,
                                0,
                                T,
                                null,
                                null,
                                List.of(),
                                List.of(),
                                Map.of(Node.PARTIAL, "yes"))
                        .partial())
                .isFalse();
    }

    @Test
    void aLeafHasNoChildrenAndAnInternalNodeNoEntries() {
        ChildRef c = new ChildRef("1.html", Range.ALL, 0, 0, null, Status.OK, Map.of());
        Entry e = Entry.of("k", "https://example.org/", "", "");

        assertThatThrownBy(() -> new Node(
                        1, 0, Range.ALL, 0, T, null, null, List.of(), List.of(c), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Node(
                        1, 1, Range.ALL, 0, T, null, null, List.of(e), List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
