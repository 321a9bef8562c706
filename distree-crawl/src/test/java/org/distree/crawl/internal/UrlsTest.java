package org.distree.crawl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlsTest {
    @Test
    void fragmentsShareTheirFile() {
        assertThat(Urls.fileKey(URI.create("http://a.example/n/x.html#orphan")))
                .isEqualTo(Urls.fileKey(URI.create("http://a.example/n/x.html")));
    }

    @Test
    void spellingsOfOneUrlNormalizeAlike() {
        URI a = Urls.fileKey(URI.create("HTTP://A.Example:80/n/./y/../x.html"));
        assertThat(a).isEqualTo(URI.create("http://a.example/n/x.html"));
        assertThat(Urls.fileKey(URI.create("https://a.example:443")))
                .isEqualTo(URI.create("https://a.example/"));
        assertThat(Urls.fileKey(URI.create("http://a.example:8080/x")))
                .isEqualTo(URI.create("http://a.example:8080/x"));
    }
}
