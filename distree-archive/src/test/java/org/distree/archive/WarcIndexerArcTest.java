package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.distree.model.Base32;
import org.distree.testing.Nginx;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * ARC files (version 1), plain and gzipped one member a record, written here from the bytes a
 * real HTTP server (nginx, on loopback) sent; each capture is checked by hand (the offsets
 * and lengths the test wrote, the SHA-1 of the body the server served) and against jwarc's ARC
 * reader. warcio 2.4.11 (the WARC reference) reads no ARC file: its {@code cdx-index} takes a
 * whole ARC file for one record with no URL.
 */
class WarcIndexerArcTest {
    @TempDir
    Path dir;

    static @Nullable Nginx site;

    /** Starts nginx on first use, serving a page, a text file and a folder (nginx skips or fails the test when missing). */
    static Nginx site(Path root) throws IOException, InterruptedException {
        Nginx.require();
        if (site == null) {
            Files.createDirectories(root.resolve("docs"));
            Files.writeString(
                    root.resolve("page.html"), "<html><body>an archived page</body></html>\n");
            Files.writeString(root.resolve("notes.txt"), "plain notes\n");
            Files.writeString(root.resolve("docs/index.html"), "<html><body>docs</body></html>");
            site = Nginx.serve(root, root.resolveSibling("nginx"));
        }
        return site;
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
            site = null;
        }
    }

    /** The bytes nginx sends for a GET of {@code path}: status line, headers, body. */
    static byte[] fetch(Nginx site, String path) throws IOException {
        URI url = site.url(path);
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return s.getInputStream().readAllBytes();
        }
    }

    /** What follows the HTTP header's blank line. */
    static byte[] body(byte[] response) {
        for (int i = 0; i + 4 <= response.length; i++) {
            if (response[i] == '\r'
                    && response[i + 1] == '\n'
                    && response[i + 2] == '\r'
                    && response[i + 3] == '\n') {
                return Arrays.copyOfRange(response, i + 4, response.length);
            }
        }
        throw new AssertionError("no blank line after the HTTP header");
    }

    /** One ARC record: the header line, the block, the newline that ends the record. */
    static byte[] record(String url, String date, String type, byte[] block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((url + " 127.0.0.1 " + date + " " + type + " " + block.length + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(block);
        out.write('\n');
        return out.toByteArray();
    }

    /** The version 1 filedesc block that starts an ARC file. */
    static byte[] filedesc(String name, String version) {
        byte[] block = (version + " 0 Distree\nURL IP-address Archive-date Content-type"
                        + " Archive-length\n")
                .getBytes(StandardCharsets.US_ASCII);
        return record("filedesc://" + name, "20260102030405", "text/plain", block);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Writes the parts, each gzipped alone when {@code gzipped}; returns each part's offset. */
    private long[] write(Path file, boolean gzipped, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            offsets[i] = out.size();
            out.writeBytes(gzipped ? gzip(parts[i]) : parts[i]);
        }
        offsets[parts.length] = out.size();
        Files.write(file, out.toByteArray());
        return offsets;
    }

    private static List<Capture> index(WarcIndexer ix, Path file) throws Exception {
        List<Capture> out = new ArrayList<>();
        ix.index(file, out::add);
        return out;
    }

    static String sha1(byte[] bytes) throws Exception {
        return Base32.encode(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    static final byte[] DNS = "example.com. 1 IN A 127.0.0.1\n".getBytes(StandardCharsets.US_ASCII);

    /** A filedesc block, then nginx's responses and a DNS record, as a crawler writes them. */
    private byte[][] captured(Nginx site) throws IOException {
        return new byte[][] {
            filedesc("crawl.arc", "1"),
            record(
                    site.url("/page.html").toString(),
                    "20260102030406",
                    "text/html",
                    fetch(site, "/page.html")),
            record(
                    site.url("/docs").toString(),
                    "20260102030407",
                    "text/html",
                    fetch(site, "/docs")),
            record("dns:example.com", "20260102030408", "text/dns", DNS),
            record(
                    site.url("/gone?b=2&a=1").toString(),
                    "20260102030409",
                    "text/html",
                    fetch(site, "/gone?b=2&a=1")),
            record(
                    site.url("/notes.txt").toString(),
                    "2026010203041012",
                    "text/plain",
                    fetch(site, "/notes.txt")),
        };
    }

    /** The same kinds of record, written by hand (for the tests of bad input, without nginx). */
    private static byte[][] crawl() {
        return new byte[][] {
            filedesc("crawl.arc", "1"),
            record(
                    "http://www.example.com/page.html",
                    "20260102030406",
                    "text/html",
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>a</p>"
                            .getBytes(StandardCharsets.US_ASCII)),
            record(
                    "http://example.com/old",
                    "20260102030407",
                    "text/html",
                    "HTTP/1.1 301 Moved\r\nLocation: /page.html\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII)),
            record("dns:example.com", "20260102030408", "text/dns", DNS),
            record(
                    "http://example.com/gone?b=2&a=1",
                    "20260102030409",
                    "text/plain",
                    "HTTP/1.1 404 Not Found\r\n\r\nno such page"
                            .getBytes(StandardCharsets.US_ASCII)),
        };
    }

    private static String line(
            String url,
            String ts,
            @Nullable String mime,
            @Nullable String status,
            String digest,
            long length,
            long offset,
            String file) {
        return Surt.of(url) + " " + ts + " {\"url\":\"" + url + "\","
                + (mime == null ? "" : "\"mime\":\"" + mime + "\",")
                + (status == null ? "" : "\"status\":\"" + status + "\",")
                + "\"digest\":\"" + digest + "\",\"length\":\"" + length + "\",\"offset\":\""
                + offset
                + "\",\"filename\":\"" + file + "\"}";
    }

    @Test
    void eachRecordButTheFiledescIsACaptureWithItsHttpStatusMimeAndPayloadSha1() throws Exception {
        Nginx site = site(dir.resolve("site"));
        for (boolean gzipped : new boolean[] {false, true}) {
            String name = gzipped ? "crawl.arc.gz" : "crawl.arc";
            byte[][] parts = captured(site);
            Path file = dir.resolve(name);
            long[] at = write(file, gzipped, parts);
            WarcIndexer ix = new WarcIndexer(false, w -> {});
            List<Capture> cs = index(ix, file);
            assertThat(ix.records()).isEqualTo(6);
            // An uncompressed record's length leaves out the newline after it, as warcio counts
            // WARC records; a gzipped one's is its member.
            long[] len = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                len[i] = at[i + 1] - at[i] - (gzipped ? 0 : 1);
            }
            String page = site.url("/page.html").toString();
            assertThat(cs)
                    .extracting(Capture::line)
                    .containsExactly(
                            line(
                                    page,
                                    "20260102030406",
                                    "text/html",
                                    "200",
                                    sha1(body(fetch(site, "/page.html"))),
                                    len[1],
                                    at[1],
                                    name),
                            line(
                                    site.url("/docs").toString(),
                                    "20260102030407",
                                    "text/html",
                                    "301",
                                    sha1(body(fetch(site, "/docs"))),
                                    len[2],
                                    at[2],
                                    name),
                            line(
                                    "dns:example.com",
                                    "20260102030408",
                                    "text/dns",
                                    null,
                                    sha1(DNS),
                                    len[3],
                                    at[3],
                                    name),
                            line(
                                    site.url("/gone?b=2&a=1").toString(),
                                    "20260102030409",
                                    "text/html",
                                    "404",
                                    sha1(body(fetch(site, "/gone"))),
                                    len[4],
                                    at[4],
                                    name),
                            line(
                                    site.url("/notes.txt").toString(),
                                    "20260102030410",
                                    "text/plain",
                                    "200",
                                    sha1("plain notes\n".getBytes(StandardCharsets.US_ASCII)),
                                    len[5],
                                    at[5],
                                    name));
            assertThat(cs.get(0).digest())
                    .isEqualTo("sha1:"
                            + sha1("<html><body>an archived page</body></html>\n"
                                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(at[parts.length]).isEqualTo(Files.size(file));
        }
    }

    @Test
    void theCapturesAgreeWithJwarcsArcReader() throws Exception {
        Nginx site = site(dir.resolve("site"));
        for (boolean gzipped : new boolean[] {false, true}) {
            Path file = dir.resolve(gzipped ? "j.arc.gz" : "j.arc");
            write(file, gzipped, captured(site));
            List<Capture> ours = index(new WarcIndexer(false, w -> {}), file);
            List<String> theirs = new ArrayList<>();
            try (WarcReader reader = new WarcReader(file)) {
                for (WarcRecord r : reader) {
                    if (r instanceof WarcResponse resp && resp.target().startsWith("http")) {
                        theirs.add(resp.target() + " " + resp.date() + " "
                                + resp.http().status()
                                + " " + resp.http().contentType().base() + " "
                                + sha1(resp.http().body().stream().readAllBytes()));
                    }
                }
            }
            List<String> mine = new ArrayList<>();
            for (Capture c : ours) {
                if (c.url().startsWith("http")) {
                    String ts = c.timestamp();
                    mine.add(c.url() + " " + ts.substring(0, 4) + "-" + ts.substring(4, 6) + "-"
                            + ts.substring(6, 8) + "T" + ts.substring(8, 10) + ":"
                            + ts.substring(10, 12)
                            + ":" + ts.substring(12) + "Z " + WarcIndexerTest.field(c, "status")
                            + " "
                            + WarcIndexerTest.field(c, "mime") + " "
                            + WarcIndexerTest.field(c, "digest"));
                }
            }
            assertThat(mine).hasSize(4).isEqualTo(theirs);
        }
    }

    @Test
    void aBadHeaderLineIsNamedByItsOffsetAndSkippedWithTheRestIndexed() throws Exception {
        for (boolean gzipped : new boolean[] {false, true}) {
            byte[][] parts = crawl();
            parts[2] = "http://example.com/old 127.0.0.1 yesterday text/html 5\nHTTP/\n"
                    .getBytes(StandardCharsets.US_ASCII);
            Path file = dir.resolve(gzipped ? "bad.arc.gz" : "bad.arc");
            long[] at = write(file, gzipped, parts);
            assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), file))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessage(
                            file.getFileName() + ": record at offset "
                                    + String.format(Locale.ROOT, "%,d", at[2])
                                    + ": cannot be read: the ARC header line's date is not 14 digits: yesterday");
            List<String> warnings = new ArrayList<>();
            WarcIndexer skipping = new WarcIndexer(true, warnings::add);
            assertThat(index(skipping, file))
                    .extracting(Capture::url)
                    .containsExactly(
                            "http://www.example.com/page.html",
                            "dns:example.com",
                            "http://example.com/gone?b=2&a=1");
            assertThat(skipping.skipped()).isEqualTo(1);
            assertThat(warnings)
                    .singleElement()
                    .asString()
                    .endsWith("; going on at offset " + String.format(Locale.ROOT, "%,d", at[3]));
        }
    }

    @Test
    void aTruncatedRecordAndALengthPastTheEndAreNamedOrSkipped() throws Exception {
        byte[][] parts = crawl();
        Path plain = dir.resolve("cut.arc");
        long[] at = write(plain, false, parts);
        byte[] whole = Files.readAllBytes(plain);
        Files.write(plain, Arrays.copyOf(whole, whole.length - 5));
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), plain))
                .isInstanceOf(ArchiveException.class)
                .hasMessage("cut.arc: record at offset " + String.format(Locale.ROOT, "%,d", at[4])
                        + ": truncated: the record's block ends 4 bytes after the end of the file");
        List<String> warnings = new ArrayList<>();
        WarcIndexer skipping = new WarcIndexer(true, warnings::add);
        assertThat(index(skipping, plain)).hasSize(3);
        assertThat(warnings).singleElement().asString().endsWith("nothing after it is read");

        Path gz = dir.resolve("cut.arc.gz");
        long[] gat = write(gz, true, parts);
        byte[] members = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(members, members.length - 12));
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), gz))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("cut.arc.gz: record at offset "
                        + String.format(Locale.ROOT, "%,d", gat[4]) + ": truncated: ");

        // A length that runs past the end of the file: in the middle record of three.
        String line = "http://example.com/old 127.0.0.1 20260102030407 text/html 99999\n";
        parts[2] = (line + "HTTP/1.1 200 OK\r\n\r\nshort\n").getBytes(StandardCharsets.US_ASCII);
        Path past = dir.resolve("past.arc");
        long[] pat = write(past, false, parts);
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), past))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("past.arc: record at offset "
                        + String.format(Locale.ROOT, "%,d", pat[2])
                        + ": truncated: the record's block ends ");
        List<String> skipped = new ArrayList<>();
        assertThat(index(new WarcIndexer(true, skipped::add), past))
                .extracting(Capture::url)
                .containsExactly(
                        "http://www.example.com/page.html",
                        "dns:example.com",
                        "http://example.com/gone?b=2&a=1");
    }

    @Test
    void anArcFileOfVersionThreeOrOfNeitherFormatIsABadRecordAtOffsetZero() throws Exception {
        Path v3 = dir.resolve("v3.arc");
        write(v3, false, filedesc("v3.arc", "3"), crawl()[1]);
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), v3))
                .isInstanceOf(ArchiveException.class)
                .hasMessage(
                        "v3.arc: record at offset 0: cannot be read: the ARC file is of"
                                + " version '3' (its filedesc:// block's first word); versions 1 and 2 are read");
        Path neither = dir.resolve("neither.arc");
        Files.write(
                neither, "not an archive at all\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), neither))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith(
                        "neither.arc: record at offset 0: cannot be read: no WARC record");
    }

    @Test
    void anArcFileWithoutItsFiledescIsReadByItsFirstHeaderLine() throws Exception {
        for (boolean gzipped : new boolean[] {false, true}) {
            for (int version : new int[] {1, 2}) {
                byte[][] whole = version == 1 ? crawl() : crawlV2("-");
                String name = "v" + version + (gzipped ? ".arc.gz" : ".arc");
                Path with = dir.resolve("with-" + name);
                Path bare = dir.resolve("bare-" + name);
                write(with, gzipped, whole);
                long[] at = write(bare, gzipped, Arrays.copyOfRange(whole, 1, whole.length));
                List<Capture> expected = index(new WarcIndexer(false, w -> {}), with);
                List<Capture> got = index(new WarcIndexer(false, w -> {}), bare);
                assertThat(got).as(name).hasSize(4).hasSameSizeAs(expected);
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).surt()).isEqualTo(expected.get(i).surt());
                    assertThat(got.get(i).timestamp()).isEqualTo(expected.get(i).timestamp());
                    assertThat(got.get(i).digest()).isEqualTo(expected.get(i).digest());
                    assertThat(withoutPlace(got.get(i))).isEqualTo(withoutPlace(expected.get(i)));
                    assertThat(got.get(i).json()).contains("\"offset\":\"" + at[i] + "\"");
                }
            }
        }
    }

    /** One ARC version 2 record: a header line of ten fields, the block, a newline. */
    static byte[] recordV2(String url, String date, String type, String code, byte[] block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((url + " 127.0.0.1 " + date + " " + type + " " + code
                        + " 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - 0 crawl.arc " + block.length + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(block);
        out.write('\n');
        return out.toByteArray();
    }

    /** The records of {@link #crawl()} in ARC version 2, {@code dnsCode} the dns record's code. */
    private static byte[][] crawlV2(String dnsCode) {
        byte[] version = ("2 0 Distree\nURL IP-address Archive-date Content-type Result-code"
                        + " Checksum Location Offset Filename Archive-length\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[][] v1 = crawl();
        return new byte[][] {
            recordV2("filedesc://crawl.arc", "20260102030405", "text/plain", "200", version),
            v2Of(v1[1], "200"),
            v2Of(v1[2], "301"),
            v2Of(v1[3], dnsCode),
            v2Of(v1[4], "404"),
        };
    }

    /** A version 1 record of {@link #record} rewritten with version 2's header line. */
    private static byte[] v2Of(byte[] v1, String code) {
        int eol = 0;
        while (v1[eol] != '\n') {
            eol++;
        }
        String[] f = new String(v1, 0, eol, StandardCharsets.UTF_8).split(" ", -1);
        byte[] block = Arrays.copyOfRange(v1, eol + 1, v1.length - 1);
        return recordV2(f[0], f[2], f[3], code, block);
    }

    /** The JSON block without where the record is, which differs between the two files. */
    private static String withoutPlace(Capture c) {
        return c.json()
                .replaceAll(",\"length\":\"\\d+\",\"offset\":\"\\d+\",\"filename\":\"[^\"]+\"", "");
    }

    @Test
    void anArcVersionTwoFileIndexesAsTheSameRecordsInVersionOne() throws Exception {
        for (boolean gzipped : new boolean[] {false, true}) {
            Path one = dir.resolve(gzipped ? "one.arc.gz" : "one.arc");
            Path two = dir.resolve(gzipped ? "two.arc.gz" : "two.arc");
            write(one, gzipped, crawl());
            long[] at = write(two, gzipped, crawlV2("-"));
            List<Capture> v1 = index(new WarcIndexer(false, w -> {}), one);
            List<Capture> v2 = index(new WarcIndexer(false, w -> {}), two);
            assertThat(v2).hasSize(4).hasSameSizeAs(v1);
            for (int i = 0; i < v1.size(); i++) {
                assertThat(v2.get(i).surt()).isEqualTo(v1.get(i).surt());
                assertThat(v2.get(i).timestamp()).isEqualTo(v1.get(i).timestamp());
                assertThat(v2.get(i).digest()).isEqualTo(v1.get(i).digest());
                assertThat(withoutPlace(v2.get(i))).isEqualTo(withoutPlace(v1.get(i)));
                assertThat(v2.get(i).json())
                        .contains("\"offset\":\"" + at[i + 1] + "\"")
                        .contains("\"filename\":\"" + two.getFileName() + "\"");
            }
            assertThat(v2)
                    .extracting(Capture::json)
                    .anyMatch(j -> j.contains("\"status\":\"301\""));
        }
    }

    @Test
    void aVersionTwoRecordWithoutAnHttpHeaderTakesItsStatusFromTheResultCode() throws Exception {
        Path two = dir.resolve("dns.arc");
        write(two, false, crawlV2("200"));
        List<Capture> cs = index(new WarcIndexer(false, w -> {}), two);
        assertThat(cs.get(2).url()).isEqualTo("dns:example.com");
        assertThat(cs.get(2).json()).contains("\"mime\":\"text/dns\",\"status\":\"200\"");
    }

    @Test
    void aBadVersionTwoHeaderLineIsSkippedAndTheNextTenFieldLineFound() throws Exception {
        byte[][] parts = crawlV2("-");
        parts[2] = "http://example.com/old 127.0.0.1 2026 text/html 301 - - 0 crawl.arc 5\nHTTP/\n"
                .getBytes(StandardCharsets.US_ASCII);
        Path two = dir.resolve("bad-v2.arc");
        write(two, false, parts);
        List<String> skipped = new ArrayList<>();
        assertThat(index(new WarcIndexer(true, skipped::add), two))
                .extracting(Capture::url)
                .containsExactly(
                        "http://www.example.com/page.html",
                        "dns:example.com",
                        "http://example.com/gone?b=2&a=1");
        assertThat(skipped).singleElement().asString().contains("date is not 14 digits");
    }
}
