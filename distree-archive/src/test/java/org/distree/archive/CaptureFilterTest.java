package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaptureFilterTest {
    private static final Capture PAGE = CdxjReader.parse("com,example)/a.php 20200102030405"
            + " {\"url\":\"http://example.com/a.php\",\"mime\":\"text/html\",\"status\":\"404\","
            + "\"length\":\"593\",\"offset\":\"0\",\"filename\":\"a.warc.gz\"}");

    private static boolean passes(String filter) {
        return CaptureFilter.parse(filter).test(PAGE);
    }

    @Test
    void modifiersReadAsPywbReadsThem() {
        CaptureFilter f = CaptureFilter.parse("!=statuscode:200");
        assertThat(f.field()).isEqualTo("status");
        assertThat(f.mode()).isEqualTo(CaptureFilter.Mode.EXACT);
        assertThat(f.negated()).isTrue();
        assertThat(f.expression()).isEqualTo("200");
        CaptureFilter whole = CaptureFilter.parse("~a.php 2020");
        assertThat(whole.field()).isNull();
        assertThat(whole.mode()).isEqualTo(CaptureFilter.Mode.REGEX);
        assertThat(CaptureFilter.parse("mime:html").mode()).isEqualTo(CaptureFilter.Mode.CONTAINS);
    }

    @Test
    void containsExactAndRegexFromTheStartAndTheirNegations() {
        assertThat(passes("mime:html")).isTrue();
        assertThat(passes("mime:xml")).isFalse();
        assertThat(passes("!mime:xml")).isTrue();
        assertThat(passes("=mime:text/html")).isTrue();
        assertThat(passes("=mime:text")).isFalse();
        assertThat(passes("!=status:200")).isTrue();
        assertThat(passes("~url:.*\\.php$")).isTrue();
        assertThat(passes("~url:example")).as("a regex matches from the start").isFalse();
        assertThat(passes("!~status:[23]")).isTrue();
        assertThat(passes("~urlkey:com,example\\)")).isTrue();
        assertThat(passes("=t:20200102030405")).isTrue();
        assertThat(passes("=f:a.warc.gz")).isTrue();
    }

    @Test
    void aMissingFieldIsEmptyAndNoFieldMeansTheWholeLine() {
        assertThat(passes("=digest:")).isTrue();
        assertThat(passes("digest:A")).isFalse();
        assertThat(passes("a.php 20200102")).isTrue();
        assertThat(passes("=mime")).as("no colon: the whole line equals 'mime'").isFalse();
    }

    @Test
    void anEmptyFilterOrABadRegexIsNamed() {
        assertThatThrownBy(() -> CaptureFilter.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("filter is empty");
        assertThatThrownBy(() -> CaptureFilter.parse("~url:("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("filter: '(' is not a regular expression");
    }
}
