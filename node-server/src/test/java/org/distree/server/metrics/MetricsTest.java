package org.distree.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void scrapeWritesThePrometheusTextFormatSortedByName() {
        Metrics m = new Metrics();
        m.counter("distree_b_total", "B things.");
        m.gauge("distree_a", "A level.", () -> 2.5);
        m.inc("distree_b_total", "outcome", "ok");
        m.inc("distree_b_total", "outcome", "ok");
        m.add("distree_b_total", "outcome=\"bad\"", 5);
        assertThat(m.scrape()).isEqualTo("""
                # HELP distree_a A level.
                # TYPE distree_a gauge
                distree_a 2.50000
                # HELP distree_b_total B things.
                # TYPE distree_b_total counter
                distree_b_total{outcome="bad"} 5
                distree_b_total{outcome="ok"} 2
                """);
        assertThat(m.value("distree_b_total", "outcome=\"ok\"")).isEqualTo(2);
    }

    @Test
    void aCounterWithNoCountsShowsZero() {
        Metrics m = new Metrics();
        m.counter("distree_c_total", "C.");
        assertThat(m.scrape()).endsWith("distree_c_total 0\n");
        assertThatThrownBy(() -> m.add("distree_undeclared_total", 1))
                .hasMessageContaining("not declared");
    }
}
