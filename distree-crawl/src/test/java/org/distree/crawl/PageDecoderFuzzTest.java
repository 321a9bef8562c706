package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.distree.html.NodeFormatException;

/**
 * Fuzz test of the crawler's page decoder: the charset a fetched node page declares (its
 * Content-Type header, else a {@code <meta charset>}, else UTF-8) and the node or record read in
 * it (docs/RELIABILITY.md, "Fuzzing"). Without {@code JAZZER_FUZZ} it runs the inputs kept under
 * {@code PageDecoderFuzzTestInputs/} as regression tests.
 *
 * <p>An input is the Content-Type header ({@code -} for none), a line feed, then the body. What
 * must hold for any header and body: decoding gives a node file (or a record) or
 * refuses the page with a {@link NodeFormatException} naming its URL; no other exception, in
 * bounded time (Jazzer's per-input timeout) and memory.
 */
class PageDecoderFuzzTest {
    private static final URI URL = URI.create("https://example.org/n/1a.html");

    @DictionaryEntries({
        "text/html; charset=",
        "<meta charset=\"",
        "utf-16",
        "windows-1252",
        "iso-2022-jp",
        "x-user-defined",
        "<distree version=\"1\" height=\"0\" size=\"0\" updated=\"2026-11-22T10:00:00Z\"><ol></ol></distree>",
        "<distree-record><a href=\"",
        "</distree-record>"
    })
    @FuzzTest(maxDuration = "10m")
    void pageDecodesOrIsRefused(byte[] input) {
        int nl = RobotsFuzzTest.firstLineFeed(input);
        String header = new String(input, 0, nl, StandardCharsets.ISO_8859_1);
        String type = header.equals("-") ? null : header;
        byte[] body = Arrays.copyOfRange(input, Math.min(nl + 1, input.length), input.length);
        Page page = new Page(URL, URL, 200, type, body, Validators.NONE);
        try {
            assertThat(PageDecoder.parse(page).node()).isNotNull();
        } catch (NodeFormatException e) {
            assertThat(e.file()).isEqualTo(URL.toString());
        }
        try {
            assertThat(PageDecoder.record(page).link()).isNotEmpty();
        } catch (NodeFormatException e) {
            assertThat(e.file()).startsWith(URL.toString());
        }
    }
}
