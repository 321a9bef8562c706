package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRequestTest {
    static final List<URI> ROOT = List.of(URI.create("http://127.0.0.1/"));

    @Test
    void defaultsAreTheDocumentedBudgets() {
        SearchRequest r = SearchRequest.words(ROOT, List.of("apple"));
        assertThat(r.maxNodes()).isEqualTo(1_000);
        assertThat(r.limit()).isZero();
        assertThat(r.analyzer()).isNull();
    }

    @Test
    void refusesEmptyQueriesAndBackwardRanges() {
        assertThatThrownBy(() -> SearchRequest.words(ROOT, List.of(" ")))
                .hasMessage("the query is empty");
        assertThatThrownBy(() -> SearchRequest.range(ROOT, "b", "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchRequest.words(List.of(), List.of("a")))
                .hasMessageContaining("at least one root");
    }
}
