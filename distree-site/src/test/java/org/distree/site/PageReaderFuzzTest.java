package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.distree.analysis.KeyAnalyzer;
import org.distree.html.NodeFormatException;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.Keys;

/**
 * Fuzz test of the page reader of {@code distree index-site}: its charset detection (byte order
 * mark, XML declaration, {@code <meta charset>}, else UTF-8) and its HTML reading
 * (docs/RELIABILITY.md, "Fuzzing"). Without {@code JAZZER_FUZZ} it runs the inputs kept under
 * {@code PageReaderFuzzTestInputs/} as regression tests.
 *
 * <p>What must hold for any bytes: the reader returns a page or skips it with a {@link
 * PageSkippedException} naming the page; no other exception, in bounded time (Jazzer's per-input
 * timeout) and memory. A page read makes its entries (every key within the key limit) and its
 * page record; the record written and read back is the page's target.
 */
class PageReaderFuzzTest {
    private static final String PATH = "docs/page.html";
    private static final PageReader READER =
            new PageReader("https://example.org/site/", PageReader.DEFAULT_MAX_PAGE_BYTES, 100);
    private static final KeyAnalyzer ANALYZER = KeyAnalyzer.forName("standard-parts");

    @DictionaryEntries({
        "<?xml version=\"1.0\" encoding=\"",
        "<meta charset=\"",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=",
        "windows-1252",
        "iso-8859-1",
        "utf-16",
        "shift_jis",
        "<title>",
        "</title>",
        "<h1>",
        "<main>",
        "<p>",
        "<meta name=\"description\" content=\"",
        "<pre>",
        "<nav>"
    })
    @FuzzTest(maxDuration = "10m")
    void pageReadsOrIsSkippedAndItsRecordRoundTrips(byte[] bytes) throws NodeFormatException {
        Page page;
        try {
            page = READER.parse(PATH, bytes);
        } catch (PageSkippedException e) {
            assertThat(e.path()).isEqualTo(PATH);
            assertThat(e.getMessage()).doesNotContain("\n");
            return;
        }
        assertThat(page.link()).isEqualTo("https://example.org/site/docs/page.html");
        assertThat(page.digest()).isEqualTo(PageReader.digest(bytes));
        for (Entry e : page.entries(ANALYZER)) {
            assertThat(Keys.utf8Length(e.key())).isLessThanOrEqualTo(Keys.MAX_KEY_BYTES);
        }
        Entry.Target target = page.target();
        assertThat(RecordFile.read(RecordFile.write(target), "p/1a.html")).isEqualTo(target);
    }
}
