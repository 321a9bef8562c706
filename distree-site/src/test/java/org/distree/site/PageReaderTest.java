package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distree.analysis.KeyAnalyzer;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageReaderTest {
    @TempDir
    Path tmp;

    private final PageReader reader = new PageReader("https://example.org/docs", 1 << 20, 40);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTitleVisibleTextAndTheFirstRealParagraphAsSnippet() throws Exception {
        Page p = reader.parse(
                "guide/intro.html",
                utf8("<!DOCTYPE html><html><head>"
                        + "<title> The  Guide </title><style>.hidden{}</style></head><body>"
                        + "<nav><p>Home Prev Next and other links around the page</p></nav>"
                        + "<p>Short.</p><p>Penguins live in the southern hemisphere, mostly.</p>"
                        + "<script>var secretword = 1;</script></body></html>"));
        assertThat(p.title()).isEqualTo("The Guide");
        assertThat(p.link()).isEqualTo("https://example.org/docs/guide/intro.html");
        assertThat(p.snippet()).isEqualTo("Penguins live in the southern…");
        assertThat(p.text())
                .contains("Penguins")
                .doesNotContain("secretword")
                .doesNotContain(".hidden");
        assertThat(p.digest()).startsWith("sha256-").hasSize(7 + 44);
    }

    @Test
    void makesOneEntryPerDistinctWordWithTitleSnippetAndDigest() throws Exception {
        Page p = reader.parse("a.html", utf8("<title>Fish</title><p>Fish swim. FISH swim!</p>"));
        assertThat(p.entries(KeyAnalyzer.forName("standard")))
                .extracting(Entry::key)
                .containsExactly("fish", "swim");
        Entry e = p.entries(KeyAnalyzer.forName("standard")).get(1);
        assertThat(e.title()).isEqualTo("Fish");
        assertThat(e.comment()).isEqualTo("Fish swim. FISH swim!");
        assertThat(e.digest()).isEqualTo(p.digest());
    }

    @Test
    void usesTheMetaDescriptionAndFallsBackToAHeadingForTheTitle() throws Exception {
        Page p = reader.parse(
                "b.html",
                utf8("<meta name=description content='All about"
                        + " owls.'><h1>Owls</h1><p>Text</p>"));
        assertThat(p.title()).isEqualTo("Owls");
        assertThat(p.snippet()).isEqualTo("All about owls.");
        Page bare = reader.parse("dir/c.html", utf8("just words"));
        assertThat(bare.title()).isEqualTo("dir/c.html");
    }

    @Test
    void takesTheSnippetFromTheMainContentWhenTheDescriptionIsBlank() throws Exception {
        Page p = reader.parse(
                "m.html",
                utf8(
                        "<meta name=description content=' '>"
                                + "<p>A paragraph before the main content, long enough to be chosen.</p>"
                                + "<main><nav><p>Navigation inside main that is long enough to count</p></nav>"
                                + "<p>Short.</p><p>Main content that says what this page is about.</p></main>"));
        assertThat(p.snippet()).isEqualTo("Main content that says what this page is…");
        Page described = reader.parse(
                "d.html",
                utf8("<p>A first paragraph, long enough to be"
                        + " a snippet.</p><meta name=' DESCRIPTION ' content='Described.'>"));
        assertThat(described.snippet()).isEqualTo("Described.");
    }

    @Test
    void decodesADeclaredCharsetAndEncodesPathsAsUrls() throws Exception {
        byte[] latin = "<meta charset=\"iso-8859-1\"><title>Café</title>"
                .getBytes(StandardCharsets.ISO_8859_1);
        Page p = reader.parse("menu du jour/é.html", latin);
        assertThat(p.title()).isEqualTo("Café");
        assertThat(p.link()).isEqualTo("https://example.org/docs/menu%20du%20jour/%C3%A9.html");
        byte[] bom = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};
        assertThat(reader.parse("bom.html", bom).text()).endsWith("hi");
    }

    @Test
    void refusesBinaryBadlyEncodedAndOversizedFilesWithAReason() throws Exception {
        assertThatThrownBy(() -> reader.parse("x.html", new byte[] {'<', 0, 1, 2}))
                .isInstanceOf(PageSkippedException.class)
                .hasMessage("x.html: looks binary (it holds NUL bytes)");
        assertThatThrownBy(() -> reader.parse("y.html", new byte[] {'c', 'a', (byte) 0xE9}))
                .hasMessage("y.html: is not valid UTF-8 and declares no other charset");
        assertThatThrownBy(() -> reader.parse("z.html", utf8("<meta charset=klingon>")))
                .hasMessage("z.html: declares the unknown charset 'klingon'");
        Path big = tmp.resolve("big.html");
        Files.write(big, new byte[2 << 20]);
        assertThatThrownBy(() -> reader.readBytes(big, "big.html"))
                .hasMessage("big.html: 2,097,152 bytes, over the 1,048,576 byte page limit"
                        + " (--max-page-bytes)");
    }

    @Test
    void readsAFileUpToTheLimitWholeAndOneThatGrowsWhileReadToTheEnd() throws Exception {
        PageReader small = new PageReader("https://example.org/", 1000, 100);
        byte[] exact = new byte[1000];
        new java.util.Random(3).nextBytes(exact);
        Path atLimit = Files.write(tmp.resolve("at-limit.html"), exact);
        assertThat(small.readBytes(atLimit, "at-limit.html")).isEqualTo(exact);

        // A file of /proc says it holds 0 bytes, and then has more: a file that grew.
        Path growing = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isRegularFile(growing) && Files.size(growing) == 0);
        assertThat(new String(reader.readBytes(growing, "status"), StandardCharsets.UTF_8))
                .startsWith("Name:");
        assertThatThrownBy(() -> new PageReader("https://example.org/", 10, 100)
                        .readBytes(growing, "status"))
                .hasMessage("status: grew over the page limit while read");
        assertThatThrownBy(() -> new PageReader("https://example.org/", 0, 100))
                .hasMessage("page size limit 0 is outside 1..1073741824");
    }

    @Test
    void refusesABaseUrlThatIsNotAnAbsoluteWebOrFileUrl() {
        assertThatThrownBy(() -> new PageReader("docs/", 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new PageReader("javascript:alert(1)", 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PageReader("file:///srv/site", 1, 0).baseUrl())
                .isEqualTo("file:///srv/site/");
    }
}
