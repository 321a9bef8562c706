package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;

class CdxjReaderTest {
    static final String LINE = "com,example)/a 20200102030405 {\"url\":\"http://example.com/a\","
            + "\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"W2ENFSYXPD7662DIBNNTRR7HED6MTCE3\","
            + "\"length\":\"593\",\"offset\":\"835\",\"filename\":\"a.warc.gz\"}";

    private static List<Capture> read(String text, boolean skipBad) throws Exception {
        List<Capture> out = new ArrayList<>();
        try (CdxjReader r = new CdxjReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "in.cdxj",
                skipBad)) {
            Capture c;
            while ((c = r.next()) != null) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void aLineBecomesACaptureAndItsEntry() throws Exception {
        List<Capture> cs = read("!meta {}\n\n" + LINE + "\n", false);
        assertThat(cs).hasSize(1);
        Capture c = cs.get(0);
        assertThat(c.surt()).isEqualTo("com,example)/a");
        assertThat(c.url()).isEqualTo("http://example.com/a");
        assertThat(c.line()).isEqualTo(LINE);
        Entry e = c.toEntry(new ReplayTemplate("https://archive.example/web/{timestamp}/{url}"));
        assertThat(e.key()).isEqualTo("com,example)/a 20200102030405");
        assertThat(e.link())
                .isEqualTo("https://archive.example/web/20200102030405/http://example.com/a#"
                        + c.tag());
        assertThat(c.tag()).matches("[0-9a-f]{8}");
        // A URL recorded with a fragment keeps it; the tag follows after "~".
        Capture withFragment =
                CdxjReader.parse(LINE.replace("example.com/a\"", "example.com/a#top\""));
        assertThat(withFragment.toEntry(ReplayTemplate.defaults()).link())
                .isEqualTo("http://localhost:8080/archive/20200102030405/http://example.com/a#top~"
                        + withFragment.tag());
        assertThat(e.digest()).isEqualTo("sha1:W2ENFSYXPD7662DIBNNTRR7HED6MTCE3");
        assertThat(e.title()).isEmpty();
        assertThat(Capture.fromEntry(e)).isEqualTo(c);
    }

    @Test
    void aLineOfAHundredMegabytesIsABadLineAndTheNextIsRead() throws Exception {
        // 100 MiB of one line, made as it is read, then a good line (BoundedLinesTest: such a
        // line is not held).
        long size = 100L << 20;
        byte[] tail = ("\n" + LINE + "\n").getBytes(StandardCharsets.UTF_8);
        java.io.InputStream huge = new java.io.InputStream() {
            private long at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= size + tail.length) {
                    return -1;
                }
                int n = 0;
                while (n < len && at < size + tail.length) {
                    b[off + n++] = at < size ? (byte) 'a' : tail[(int) (at - size)];
                    at++;
                }
                return n;
            }
        };
        List<Capture> cs = new ArrayList<>();
        try (CdxjReader r = new CdxjReader(huge, "huge.cdxj", true)) {
            for (Capture c = r.next(); c != null; c = r.next()) {
                cs.add(c);
            }
            assertThat(r.skipped()).isEqualTo(1);
        }
        assertThat(cs).singleElement().extracting(Capture::line).isEqualTo(LINE);
        assertThatThrownBy(() -> read("x".repeat(CdxjReader.MAX_LINE_CHARS + 5) + "\n", false))
                .isInstanceOf(ArchiveException.class)
                .hasMessage("in.cdxj: line 1: the CDXJ line is 32,789 characters, over the 32,784"
                        + " limit");
    }

    @Test
    void aBadLineIsNamedByNumberOrSkipped() throws Exception {
        String text = LINE + "\ncom,example)/b 20200102030405 {\"url\": broken\n"
                + LINE.replace("/a ", "/c ");
        assertThatThrownBy(() -> read(text, false))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("in.cdxj: line 2: the JSON block is not valid JSON");
        assertThat(read(text, true))
                .extracting(Capture::surt)
                .containsExactly("com,example)/a", "com,example)/c");
    }

    @Test
    void linesWithoutTimestampOrUrlOrWithBadTimestampsAreRefused() {
        assertThatThrownBy(() -> CdxjReader.parse("com,example)/a {}"))
                .hasMessageContaining("not a CDXJ line");
        assertThatThrownBy(() -> CdxjReader.parse("com,example)/a 20200102030405 {\"mime\":\"x\"}"))
                .hasMessageContaining("no \"url\"");
        assertThatThrownBy(() -> CdxjReader.parse("com,example)/a 2020010203040x {\"url\":\"u\"}"))
                .hasMessageContaining("14 digits");
        assertThatThrownBy(() -> CdxjReader.parse("com,example)/a 20200102030405 [1]"))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(
                        () -> CdxjReader.parse("com,example)/a 20200102030405 {\"url\":\"a  b\"}"))
                .hasMessageContaining("blanks");
    }

    @Test
    void bytesThatAreNotUtf8AreNamed() {
        byte[] bad = (LINE + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] text = new byte[bad.length + 2];
        System.arraycopy(bad, 0, text, 0, bad.length);
        text[bad.length] = (byte) 0xff;
        text[bad.length + 1] = '\n';
        assertThatThrownBy(() -> {
                    try (CdxjReader r =
                            new CdxjReader(new ByteArrayInputStream(text), "x", false)) {
                        while (r.next() != null) {
                            // read on
                        }
                    }
                })
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void digestAttributeNamesSha1ForBareBase32() {
        assertThat(Capture.digestAttribute("W2ENFSYXPD7662DIBNNTRR7HED6MTCE3"))
                .isEqualTo("sha1:W2ENFSYXPD7662DIBNNTRR7HED6MTCE3");
        assertThat(Capture.digestAttribute("sha256:abc")).isEqualTo("sha256:abc");
        assertThat(Capture.digestAttribute("-")).isNull();
        assertThat(Capture.digestAttribute(null)).isNull();
    }
}
