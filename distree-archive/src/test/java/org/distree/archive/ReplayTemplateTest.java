package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplayTemplateTest {
    @Test
    void fillsInTimestampAndUrl() {
        assertThat(ReplayTemplate.defaults().link("20200101000000", "http://a.example/x?y=1"))
                .isEqualTo("http://localhost:8080/archive/20200101000000/http://a.example/x?y=1");
        assertThat(new ReplayTemplate("{url}").link("20200101000000", "http://a.example/"))
                .isEqualTo("http://a.example/");
    }

    @Test
    void aTemplateWithoutUrlIsRefused() {
        assertThatThrownBy(() -> new ReplayTemplate("https://archive.example/{timestamp}/"))
                .hasMessageContaining("has no {url}");
    }
}
