package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.distree.html.NodeFormatException;
import org.junit.jupiter.api.Test;

class PageDecoderTest {
    static final String LEAF = "<distree version=1 height=0 size=1 updated=2026-11-22T10:00:00Z>"
            + "<ol><li data-key=\"caf\u00e9\"><a href=\"https://e.org/\">t</a></li></ol></distree>";

    static Page page(String contentType, byte[] body) {
        URI u = URI.create("http://h.example/n.html");
        return new Page(u, u, 200, contentType, body, Validators.NONE);
    }

    @Test
    void charsetComesFromTheHeaderFirst() throws Exception {
        byte[] latin = LEAF.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PageDecoder.parse(page("text/html; charset=\"iso-8859-1\"", latin))
                        .node()
                        .entries()
                        .get(0)
                        .key())
                .isEqualTo("caf\u00e9");
    }

    @Test
    void thenFromTheMetaTag() throws Exception {
        byte[] latin = ("<meta charset=windows-1252>" + LEAF).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(PageDecoder.parse(page("text/html", latin))
                        .node()
                        .entries()
                        .get(0)
                        .key())
                .isEqualTo("caf\u00e9");
    }

    @Test
    void thenUtf8StrictlyWithBadBytesRefused() {
        byte[] latin = LEAF.getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> PageDecoder.parse(page(null, latin)))
                .isInstanceOf(NodeFormatException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void unknownCharsetIsRefusedByName() {
        assertThatThrownBy(
                        () -> PageDecoder.parse(page("text/html; charset=klingon-8", new byte[0])))
                .hasMessageContaining("unknown charset 'klingon-8'");
    }

    @Test
    void htmlTypesAreRecognizedWhateverTheirParameters() {
        assertThat(org.distree.crawl.NodeResponses.isHtml("Text/HTML; charset=utf-8"))
                .isTrue();
        assertThat(org.distree.crawl.NodeResponses.isHtml("application/xhtml+xml"))
                .isTrue();
        assertThat(org.distree.crawl.NodeResponses.isHtml("text/plain")).isFalse();
    }
}
