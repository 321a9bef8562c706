package org.distree.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcRevisit;
import org.netpreserve.jwarc.WarcWriter;

/** The reader against jwarc's (the reference, in test scope) on files jwarc writes, and by hand. */
class WarcRecordReaderTest {
    @TempDir
    Path dir;

    /**
     * 1,500 records of random sizes, a few of them over the reader's buffer, so that headers
     * fall across every refill of it; jwarc writes them and reads them back as the reference.
     */
    private Path manyRecords(String name, WarcCompression compression) throws IOException {
        Random random = new Random(17);
        Path file = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                WarcWriter w = new WarcWriter(ch, compression)) {
            for (int i = 0; i < 1500; i++) {
                int size = i % 97 == 0 ? 700_000 : random.nextInt(5000);
                byte[] body = new byte[size];
                random.nextBytes(body);
                URI uri = URI.create("http://example.com/p" + i + "?" + "q".repeat(i % 300));
                Instant date = Instant.ofEpochSecond(1_700_000_000L + i);
                HttpResponse.Builder http = new HttpResponse.Builder(200 + i % 5 * 100, "X")
                        .addHeader("X-Pad", "p".repeat(random.nextInt(3000)));
                switch (i % 3) {
                    case 0 ->
                        w.write(new WarcResponse.Builder(uri)
                                .date(date)
                                .payloadDigest("sha1", "W2ENFSYXPD7662DIBNNTRR7HED6MTCE3")
                                .body(http.body(MediaType.parse("text/html; charset=utf-8"), body)
                                        .build())
                                .build());
                    case 1 ->
                        w.write(new WarcRevisit.Builder(
                                        uri,
                                        URI.create(
                                                "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"))
                                .date(date)
                                .body(http.build())
                                .build());
                    default ->
                        w.write(new WarcResource.Builder(uri)
                                .date(date)
                                .body(MediaType.parse("image/png"), body)
                                .build());
                }
            }
        }
        return file;
    }

    private static List<WarcHeader> readAll(Path file) throws IOException {
        List<WarcHeader> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file);
                WarcRecordReader r = new WarcRecordReader(ch, 0)) {
            for (WarcHeader h = r.next(); h != null; h = r.next()) {
                out.add(h);
            }
        }
        return out;
    }

    private static void assertSameAsJwarc(Path file) throws IOException {
        List<WarcHeader> ours = readAll(file);
        List<Long> offsets = new ArrayList<>();
        int i = 0;
        try (WarcReader jwarc = new WarcReader(FileChannel.open(file))) {
            for (Optional<WarcRecord> next = jwarc.next(); next.isPresent(); next = jwarc.next()) {
                WarcRecord r = next.get();
                WarcHeader h = ours.get(i++);
                offsets.add(jwarc.position());
                assertThat(h.type()).isEqualTo(r.type());
                assertThat(h.targetUri())
                        .isEqualTo(r.headers().first("WARC-Target-URI").orElse(null));
                assertThat(Instant.parse(h.date())).isEqualTo(r.date());
                assertThat(h.contentType())
                        .isEqualTo(r.headers().first("Content-Type").orElse(null));
                assertThat(h.payloadDigest())
                        .isEqualTo(r.headers().first("WARC-Payload-Digest").orElse(null));
                assertThat(h.contentLength()).isEqualTo(r.body().size());
                HttpResponse http = r instanceof WarcResponse resp
                        ? resp.http()
                        : r instanceof WarcRevisit rev ? rev.http() : null;
                if (http == null) {
                    assertThat(h.http()).isNull();
                } else {
                    assertThat(h.http()).isNotNull();
                    assertThat(h.http().status()).isEqualTo(http.status());
                    assertThat(h.http().contentType())
                            .isEqualTo(http.headers().first("Content-Type").orElse(null));
                }
            }
        }
        assertThat(ours).hasSize(1500).extracting(WarcHeader::offset).isEqualTo(offsets);
    }

    @Test
    void aGzippedFileReadsAsJwarcReadsItHeaderForHeaderWithEachMembersOffset() throws Exception {
        assertSameAsJwarc(manyRecords("many.warc.gz", WarcCompression.GZIP));
    }

    @Test
    void anUncompressedFileReadsAsJwarcReadsItWithEachRecordsOffset() throws Exception {
        assertSameAsJwarc(manyRecords("many.warc", WarcCompression.NONE));
    }

    /** A response record with a folded target URI, a repeated and a lower-case field name. */
    private static byte[] record(String http) {
        return ("WARC/1.1\r\n"
                        + "warc-type: response\r\n"
                        + "WARC-Target-URI: http://example.com/\r\n"
                        + "  folded\r\n"
                        + "WARC-Date: 2025-01-02T03:04:05Z\r\n"
                        + "WARC-Type: resource\r\n"
                        + "Content-Type: application/http; msgtype=response\r\n"
                        + "Content-Length: " + http.length() + "\r\n"
                        + "\r\n"
                        + http + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One gzip member with every optional header field (RFC 1952): extra, name, comment, CRC. */
    private static byte[] member(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        out.writeBytes(new byte[] {3, 0, 'x', 'y', 'z'});
        out.writeBytes("name\0comment\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0x12, 0x34});
        Deflater d = new Deflater(6, true);
        d.setInput(data);
        d.finish();
        byte[] chunk = new byte[4096];
        while (!d.finished()) {
            out.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        long[] trailer = {crc.getValue(), data.length};
        for (long v : trailer) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        Path f = dir.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    @Test
    void theFirstOfARepeatedFieldCountsFoldedLinesContinueAndNamesIgnoreCase() throws Exception {
        String http = "HTTP/1.0 301\nlocation: /b\ncontent-TYPE:  text/plain ; x=1 \n\nbody";
        List<WarcHeader> hs = readAll(file("a.warc", record(http), record(http)));
        assertThat(hs).hasSize(2);
        WarcHeader h = hs.get(1);
        assertThat(h.type()).isEqualTo("response");
        assertThat(h.targetUri()).isEqualTo("http://example.com/ folded");
        assertThat(h.http()).isEqualTo(new WarcHeader.Http(301, "text/plain ; x=1"));
        assertThat(h.offset()).isEqualTo(record(http).length);
    }

    @Test
    void gzipMembersWithOptionalHeaderFieldsAndSeveralRecordsInOneMemberRead() throws Exception {
        byte[] one = record("HTTP/1.1 200 OK\r\n\r\n");
        byte[] two = record("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n");
        byte[] first = member(one);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        List<WarcHeader> hs = readAll(file("b.warc.gz", first, member(both), member(two)));
        assertThat(hs)
                .extracting(WarcHeader::offset)
                .containsExactly(
                        0L,
                        (long) first.length,
                        (long) first.length,
                        (long) first.length + member(both).length);
        assertThat(hs).extracting(h -> h.http().status()).containsExactly(200, 200, 404, 404);
    }

    private static IOException failure(Path file) {
        try {
            readAll(file);
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no failure reading " + file);
    }

    @Test
    void badInputFailsWithTheKindOfFailureAndTheRecordWhereItStarts() throws Exception {
        byte[] good = record("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(failure(file(
                        "c1.warc",
                        good,
                        "WARC/1.0\r\nWARC-Type: x\r\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(EOFException.class)
                .hasMessage("the WARC header is cut short by the end of the data");
        assertThat(failure(file("c2.warc", good, record("HTTP/1.1 20x OK\r\n\r\n"))))
                .isInstanceOf(WarcFormatException.class)
                .hasMessageContaining("three-digit status");
        assertThat(failure(file("c3.warc", record("FTP/1.1 200 OK\r\n\r\n"))))
                .isInstanceOf(WarcFormatException.class)
                .hasMessageContaining("does not start with HTTP/");
        assertThat(failure(file("c4.warc", record("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))))
                .hasMessage("an HTTP header line has no colon");
        assertThat(failure(file(
                        "c5.warc",
                        "WARC/1.0\r\nContent-Length: 1x\r\nWARC-Type: a\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII))))
                .hasMessageStartingWith("the record's length is not a number");
        assertThat(failure(file(
                        "c6.warc",
                        "WARC/1.0\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII))))
                .hasMessage("the record has no WARC-Type");
        assertThat(failure(file(
                        "c7.warc",
                        "WARC/1.0\r\nWARC-Type: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII))))
                .hasMessage("the record has no Content-Length");
        assertThat(failure(file("c8.warc", "ARC/1.0 x\n".getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("does not start with WARC/");
        byte[] huge = ("WARC/1.0\r\nX: " + "x".repeat(WarcRecordReader.MAX_HEADER) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(failure(file("c9.warc", huge)))
                .hasMessage("the WARC header is over 262,144 bytes");
        byte[] block = record("HTTP/1.1 200 OK\r\n\r\nbody");
        assertThat(failure(file("c10.warc", Arrays.copyOf(block, block.length - 6))))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("ends 2 bytes after the end of the file");

        byte[] member = member(good);
        byte[] badCrc = member.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertThat(failure(file("g1.warc.gz", member, badCrc)))
                .isInstanceOf(ZipException.class)
                .hasMessage(String.format(
                        java.util.Locale.ROOT,
                        "the gzip member at offset %,d does not match its CRC-32 or size",
                        member.length));
        assertThat(failure(file("g2.warc.gz", member, "junk".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ZipException.class)
                .hasMessageStartingWith("no gzip member (1f 8b 08) at offset ");
        assertThat(failure(file("g3.warc.gz", member, Arrays.copyOf(member, member.length - 9))))
                .isInstanceOf(EOFException.class);
        byte[] flags = member.clone();
        flags[3] |= (byte) 0x80;
        assertThat(failure(file("g4.warc.gz", flags)))
                .hasMessage("the gzip member at offset 0 has reserved flags set");
        byte[] deflate = member.clone();
        deflate[30] = (byte) 0xff;
        deflate[31] = (byte) 0xff;
        assertThat(failure(file("g5.warc.gz", deflate))).isInstanceOf(ZipException.class);
    }

    @Test
    void anArcHeaderLineSplitsAtItsLastFourSpacesAndKeepsFourteenDigitsOfItsDate()
            throws Exception {
        assertThat(ArcHeaderLine.fields(
                        "http://e.com/a b 1.2.3.4 2026010203040599 text/html 12\r", 1))
                .containsExactly(
                        "http://e.com/a b",
                        "1.2.3.4",
                        "2026-01-02T03:04:05Z",
                        "text/html",
                        "12",
                        null);
        assertThatThrownBy(() ->
                        ArcHeaderLine.fields("http://e.com/ 1.2.3.4 20260102 text/html 12", 1))
                .hasMessage("the ARC header line's date is not 14 digits: 20260102");
        assertThatThrownBy(
                        () -> ArcHeaderLine.fields("http://e.com/ 20260102030405 text/html 12", 1))
                .hasMessageStartingWith("the ARC header line is not 'URL IP-address");
        assertThatThrownBy(() -> ArcHeaderLine.fields(
                        "http://e.com/ 1.2.3.4  20260102030405 text/html 12", 1))
                .hasMessageStartingWith("the ARC header line is not 'URL IP-address");
        assertThatThrownBy(() -> ArcHeaderLine.fields(
                        "http://e.com/ 1.2.3.4 20260102030405 text/html 1y", 1))
                .hasMessage("the record's length is not a number of up to 18 digits: 1y");
    }

    @Test
    void anArcFileIsToldByItsFirstRecordAndItsRecordsAreGivenInWarcTerms() throws Exception {
        byte[] block = "1 0 X\nURL IP-address Archive-date Content-type Archive-length\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] filedesc = arc("filedesc://x.arc 0.0.0.0 20260102030405 text/plain", block);
        byte[] http = arc(
                "http://example.com/ 1.2.3.4 20260102030406 text/html",
                "HTTP/1.0 200 OK\nContent-Type: text/html\n\nbody"
                        .getBytes(StandardCharsets.US_ASCII));
        byte[] empty = arc("http://example.com/e 1.2.3.4 20260102030407 text/html", new byte[0]);
        List<WarcHeader> hs = readAll(file("x.arc", filedesc, http, empty));
        assertThat(hs)
                .extracting(WarcHeader::type)
                .containsExactly("warcinfo", "response", "resource");
        WarcHeader h = hs.get(1);
        assertThat(h.offset()).isEqualTo(filedesc.length);
        assertThat(h.end()).isEqualTo(filedesc.length + http.length - 1);
        assertThat(h.date()).isEqualTo("2026-01-02T03:04:06Z");
        assertThat(h.contentType()).isEqualTo("text/html");
        assertThat(h.http()).isEqualTo(new WarcHeader.Http(200, "text/html"));
        // SHA-1 of "body", base 32.
        assertThat(h.payloadDigest())
                .isEqualTo("sha1:"
                        + org.distree.model.Base32.encode(
                                java.security.MessageDigest.getInstance("SHA-1")
                                        .digest("body".getBytes(StandardCharsets.US_ASCII))));
        assertThat(hs.get(2).http()).isNull();
        assertThat(hs.get(2).payloadDigest()).isEqualTo("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        try (FileChannel ch = FileChannel.open(dir.resolve("x.arc"));
                WarcRecordReader r = new WarcRecordReader(ch, filedesc.length)) {
            assertThat(r.arc()).isFalse(); // a record not first in the file: only told is known
            assertThatThrownBy(r::next).hasMessageContaining("does not start with WARC/");
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("x.arc"));
                WarcRecordReader r = new WarcRecordReader(ch, filedesc.length, true)) {
            assertThat(r.next().targetUri()).isEqualTo("http://example.com/");
            assertThat(RecordStarts.nextRecordStart(ch, 1, false, true)).isEqualTo(filedesc.length);
            assertThat(RecordStarts.nextRecordStart(ch, filedesc.length + 1, false, true))
                    .isEqualTo(filedesc.length + http.length);
            assertThat(RecordStarts.nextRecordStart(
                            ch, filedesc.length + http.length + 1, false, true))
                    .isEqualTo(-1);
        }
    }

    private static byte[] arc(String line, byte[] block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((line + " " + block.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(block);
        out.write('\n');
        return out.toByteArray();
    }

    @Test
    void theRecordThatFailedIsNamedByItsOffset() throws Exception {
        byte[] good = member(record("HTTP/1.1 200 OK\r\n\r\n"));
        byte[] bad = member(record("HTTP/1.1 2 OK\r\n\r\n"));
        Path f = file("d.warc.gz", good, good, bad, good);
        try (FileChannel ch = FileChannel.open(f);
                WarcRecordReader r = new WarcRecordReader(ch, 0)) {
            assertThat(r.gzip()).isTrue();
            r.next();
            r.next();
            assertThatThrownBy(r::next).isInstanceOf(WarcFormatException.class);
            assertThat(r.recordOffset()).isEqualTo(2L * good.length);
            assertThat(RecordStarts.nextRecordStart(ch, r.recordOffset() + 1, true, false))
                    .isEqualTo(2L * good.length + bad.length);
        }
    }
}
