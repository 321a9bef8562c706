package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SurtTest {
    @Test
    void hostIsReversedAndWwwSchemeAndFragmentDropped() {
        assertThat(Surt.of("http://www.Example.com/a/B.html#top"))
                .isEqualTo("com,example)/a/b.html");
        assertThat(Surt.of("https://www2.example.com/")).isEqualTo("com,example)/");
    }

    @Test
    void defaultPortIsDroppedAndOthersKept() {
        assertThat(Surt.of("http://example.com:80/x")).isEqualTo("com,example)/x");
        assertThat(Surt.of("https://example.com:443/x")).isEqualTo("com,example)/x");
        assertThat(Surt.of("http://127.0.0.1:18931/docs/")).isEqualTo("1,0,0,127:18931)/docs/");
    }

    @Test
    void emptyPathIsSlashAndQueryParametersAreSorted() {
        assertThat(Surt.of("http://example.com")).isEqualTo("com,example)/");
        assertThat(Surt.of("http://example.com/p?z=1&a=2&m")).isEqualTo("com,example)/p?a=2&m&z=1");
        assertThat(Surt.of("http://example.com/p?")).isEqualTo("com,example)/p");
    }

    @Test
    void dotSegmentsAreRemovedAndOddCharactersEncoded() {
        assertThat(Surt.of("http://example.com/a/./b/../c")).isEqualTo("com,example)/a/c");
        assertThat(Surt.of("http://example.com/a b/\u00e9")).isEqualTo("com,example)/a%20b/%C3%A9");
        assertThat(Surt.of("http://user:pw@example.com/")).isEqualTo("com,example)/");
    }

    @Test
    void otherSchemesAndUnparsableUrlsAreKept() {
        assertThat(Surt.of("metadata://gnu.org/x.txt")).isEqualTo("metadata://gnu.org/x.txt");
        assertThat(Surt.of("http://example.com:99999/")).isEqualTo("http://example.com:99999/");
        assertThat(Surt.of("http:///")).isEqualTo("http:///");
    }

    @Test
    void hostPartIsBeforeTheParenthesis() {
        assertThat(Surt.hostPart("com,example:8080)/a")).isEqualTo("com,example:8080");
        assertThat(Surt.hostPart("metadata://x")).isEqualTo("metadata://x");
    }
}
