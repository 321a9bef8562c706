package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildRefTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aPartialMarkIsSetAndClearedAndOtherAttributesAreKept() {
        ChildRef plain = new ChildRef(
                "https://b.example/n/1.html",
                Range.ALL,
                0,
                3,
                T,
                Status.FAILING,
                Map.of("data-x", "y"));

        ChildRef marked = plain.withPartial(true);

        assertThat(plain.partial()).isFalse();
        assertThat(marked.partial()).isTrue();
        assertThat(marked.extra())
                .containsOnly(Map.entry("data-x", "y"), Map.entry(Node.PARTIAL, "true"));
        assertThat(marked.status()).isEqualTo(Status.FAILING);
        assertThat(marked.withPartial(true)).isSameAs(marked);
        assertThat(marked.withPartial(false)).isEqualTo(plain);
        assertThat(marked.withHref("2.html").partial()).isTrue();
    }

    @Test
    void aLocalItemCarriesItsChildsMark() {
        Node leaf = Node.leaf(Range.ALL, List.of(Entry.of("k", "https://e.org/", "", "")), T);

        ChildRef complete = ChildRef.local("1.html", leaf, T);
        ChildRef partial = ChildRef.local("1.html", leaf.withPartial(true), T);

        assertThat(complete.partial()).isFalse();
        assertThat(complete.extra()).isEmpty();
        assertThat(partial.partial()).isTrue();
        assertThat(partial.extra()).containsOnly(Map.entry(Node.PARTIAL, "true"));
        assertThat(partial.size()).isEqualTo(1);
        assertThat(partial.status()).isEqualTo(Status.OK);
    }
}
