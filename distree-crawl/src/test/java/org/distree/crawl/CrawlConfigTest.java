package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrawlConfigTest {
    @Test
    void defaultsAreThoseTheIssueAsksFor() {
        CrawlConfig c = CrawlConfig.defaults();
        assertThat(c.maxInFlight()).isEqualTo(16);
        assertThat(c.maxPerHost()).isEqualTo(4);
        assertThat(c.maxRedirects()).isEqualTo(3);
        assertThat(c.maxResponseBytes()).isEqualTo(256 * 1024);
        assertThat(c.userAgent()).contains("distree").contains("https://");
        assertThat(c.respectRobots()).isTrue();
    }

    @Test
    void refusesLimitsOutOfRangeNamingTheValue() {
        assertThatThrownBy(() -> CrawlConfig.defaults().withConcurrency(4, 8))
                .hasMessage("maxPerHost is 8, outside 1..4");
        assertThatThrownBy(() -> CrawlConfig.defaults().withMaxResponseBytes(10 << 20))
                .hasMessageContaining("maxResponseBytes is 10,485,760");
        assertThatThrownBy(() -> CrawlConfig.defaults()
                        .withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout");
    }
}
