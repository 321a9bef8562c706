package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.tree.ExternalSorter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcMetadata;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcRevisit;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/** WARC files written by jwarc's own writer; wget's are read in {@code WgetWarcIT}. */
class WarcIndexerTest {
    @TempDir
    Path dir;

    private static final Instant T1 = Instant.parse("2024-03-05T06:07:08Z");
    private static final Instant T2 = Instant.parse("2025-01-02T03:04:05Z");

    /** Writes: warcinfo, request, response, revisit, warc-fields metadata, resource, response. */
    private Path warc(String name, WarcCompression compression) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                WarcWriter w = new WarcWriter(ch, compression)) {
            w.write(new Warcinfo.Builder()
                    .date(T1)
                    .fields(java.util.Map.of("software", List.of("test")))
                    .build());
            w.write(new WarcRequest.Builder(URI.create("http://www.example.com/a"))
                    .date(T1)
                    .body(new HttpRequest.Builder("GET", "/a").build())
                    .build());
            w.write(new WarcResponse.Builder(URI.create("http://www.example.com/a"))
                    .date(T1)
                    .payloadDigest("sha1", "W2ENFSYXPD7662DIBNNTRR7HED6MTCE3")
                    .body(new HttpResponse.Builder(200, "OK")
                            .body(
                                    MediaType.parse("text/html; charset=utf-8"),
                                    "<p>a</p>".getBytes(StandardCharsets.UTF_8))
                            .build())
                    .build());
            w.write(new WarcRevisit.Builder(
                            URI.create("http://www.example.com/a"),
                            URI.create(
                                    "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"))
                    .date(T2)
                    .payloadDigest("sha1", "W2ENFSYXPD7662DIBNNTRR7HED6MTCE3")
                    .body(new HttpResponse.Builder(200, "OK").build())
                    .build());
            w.write(new WarcMetadata.Builder()
                    .date(T1)
                    .body(
                            MediaType.parse("application/warc-fields"),
                            "a: b\r\n".getBytes(StandardCharsets.UTF_8))
                    .build());
            w.write(new WarcResource.Builder(URI.create("urn:test:notes"))
                    .date(T1)
                    .body(MediaType.parse("text/plain"), "notes".getBytes(StandardCharsets.UTF_8))
                    .build());
            w.write(new WarcResponse.Builder(URI.create("http://example.com/missing"))
                    .date(T2)
                    .body(new HttpResponse.Builder(404, "Not Found")
                            .body(MediaType.HTML, "gone".getBytes(StandardCharsets.UTF_8))
                            .build())
                    .build());
        }
        return file;
    }

    private static List<Capture> index(WarcIndexer ix, Path file) throws Exception {
        List<Capture> out = new ArrayList<>();
        ix.index(file, out::add);
        return out;
    }

    @Test
    void oneCapturePerResponseRevisitAndResourceWithWarciosFields() throws Exception {
        Path file = warc("a.warc.gz", WarcCompression.GZIP);
        WarcIndexer ix = new WarcIndexer(false, w -> {});
        List<Capture> cs = index(ix, file);
        assertThat(ix.records()).isEqualTo(7);
        assertThat(cs)
                .extracting(Capture::line)
                .satisfiesExactly(
                        l -> assertThat(l)
                                .startsWith(
                                        "com,example)/a 20240305060708 {\"url\":\"http://www.example.com/a\","
                                                + "\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"W2ENFSYXPD7662DIBNNTRR7HED6MTCE3\","
                                                + "\"length\":\""),
                        l -> assertThat(l)
                                .startsWith(
                                        "com,example)/a 20250102030405 {\"url\":\"http://www.example.com/a\","
                                                + "\"mime\":\"warc/revisit\",\"status\":\"200\",\"digest\":"),
                        l -> assertThat(l)
                                .startsWith(
                                        "urn:test:notes 20240305060708 {\"url\":\"urn:test:notes\",\"mime\":\"text/plain\",\"length\""),
                        l -> assertThat(l)
                                .startsWith(
                                        "com,example)/missing 20250102030405 {\"url\":\"http://example.com/missing\","
                                                + "\"mime\":\"text/html\",\"status\":\"404\",\"length\""));
        assertThat(cs.get(0).digest()).isEqualTo("sha1:W2ENFSYXPD7662DIBNNTRR7HED6MTCE3");
        assertThat(cs).allMatch(c -> c.json().endsWith("\"filename\":\"a.warc.gz\"}"));
        // Offset and length name each record's bytes: the last one ends at the end of the file.
        Capture last = cs.get(3);
        long offset = Long.parseLong(field(last, "offset"));
        long length = Long.parseLong(field(last, "length"));
        assertThat(offset + length).isEqualTo(Files.size(file));
        assertThat(Long.parseLong(field(cs.get(0), "offset"))
                        + Long.parseLong(field(cs.get(0), "length")))
                .isEqualTo(Long.parseLong(field(cs.get(1), "offset")));
    }

    @Test
    void anUncompressedWarcGivesTheSameCapturesLessTheRecordsEndingBlankLine() throws Exception {
        List<Capture> gz =
                index(new WarcIndexer(false, w -> {}), warc("b.warc.gz", WarcCompression.GZIP));
        Path plain = warc("b.warc", WarcCompression.NONE);
        List<Capture> cs = index(new WarcIndexer(false, w -> {}), plain);
        assertThat(cs)
                .extracting(Capture::surt)
                .isEqualTo(gz.stream().map(Capture::surt).toList());
        Capture first = cs.get(0);
        long end = Long.parseLong(field(first, "offset")) + Long.parseLong(field(first, "length"));
        byte[] bytes = Files.readAllBytes(plain);
        assertThat(new String(bytes, (int) end, 4, StandardCharsets.ISO_8859_1))
                .isEqualTo("\r\n\r\n");
    }

    @Test
    void aTruncatedFileIsNamedWithTheRecordsOffsetOrSkipped() throws Exception {
        Path file = warc("c.warc.gz", WarcCompression.GZIP);
        long size = Files.size(file);
        Path cut = dir.resolve("cut.warc.gz");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) size - 20));
        List<Capture> whole = index(new WarcIndexer(false, w -> {}), file);
        String lastOffset = field(whole.get(3), "offset");
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), cut))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("cut.warc.gz: record at offset "
                        + String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(lastOffset))
                        + ": truncated");
        List<String> warnings = new ArrayList<>();
        WarcIndexer skipping = new WarcIndexer(true, warnings::add);
        assertThat(index(skipping, cut)).hasSize(3);
        assertThat(skipping.skipped()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("nothing after it is read");
    }

    @Test
    void aCorruptGzipMemberIsSkippedAndTheRestIndexed() throws Exception {
        Path file = warc("d.warc.gz", WarcCompression.GZIP);
        List<Capture> whole = index(new WarcIndexer(false, w -> {}), file);
        byte[] bytes = Files.readAllBytes(file);
        int revisit = Integer.parseInt(field(whole.get(1), "offset"));
        bytes[revisit + 20] ^= (byte) 0xff; // inside the revisit's deflate data
        bytes[revisit + 21] ^= (byte) 0x5a;
        Path bad = dir.resolve("bad.warc.gz");
        Files.write(bad, bytes);
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), bad))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(
                        "record at offset " + String.format(java.util.Locale.ROOT, "%,d", revisit));
        List<String> warnings = new ArrayList<>();
        List<Capture> cs = index(new WarcIndexer(true, warnings::add), bad);
        assertThat(cs)
                .extracting(Capture::timestamp)
                .containsExactly("20240305060708", "20240305060708", "20250102030405");
        assertThat(warnings).singleElement().asString().contains("going on at offset");
    }

    @Test
    void manyFilesReadAtOnceGiveTheCapturesOfEachFileAndEveryFileIsReported() throws Exception {
        List<Path> files = new ArrayList<>();
        List<String> oneByOne = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path f = warc(
                    "m" + i + ".warc" + (i % 2 == 0 ? ".gz" : ""),
                    i % 2 == 0 ? WarcCompression.GZIP : WarcCompression.NONE);
            files.add(f);
            index(new WarcIndexer(false, w -> {}), f).forEach(c -> oneByOne.add(c.line()));
        }
        WarcIndexer ix = new WarcIndexer(false, w -> {});
        List<String> atOnce = new ArrayList<>();
        List<Path> reported = new ArrayList<>();
        ix.indexAll(files, 3, c -> atOnce.add(c.line()), reported::add);
        assertThat(atOnce).containsExactlyInAnyOrderElementsOf(oneByOne);
        assertThat(reported).containsExactlyInAnyOrderElementsOf(files);
        assertThat(ix.captures()).isEqualTo(oneByOne.size());
        assertThat(ix.records()).isEqualTo(6 * 7);
        assertThatThrownBy(() -> ix.indexAll(files, 0, c -> {}, f -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads 0 is below 1");
    }

    @Test
    void whatMakeRefusesIsABadRecordAndWhatItMakesGoesToTheSink() throws Exception {
        List<Path> files = List.of(
                warc("r1.warc.gz", WarcCompression.GZIP), warc("r2.warc", WarcCompression.NONE));
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        WarcIndexer ix = new WarcIndexer(true, warnings::add);
        List<String> made = new ArrayList<>();
        ix.indexAll(
                files,
                2,
                c -> {
                    if (c.surt().startsWith("urn:")) {
                        throw new IllegalArgumentException("no urn here");
                    }
                    return c.timestamp();
                },
                made::add,
                f -> {});
        assertThat(made).hasSize(6).allMatch(t -> t.matches("\\d{14}"));
        assertThat(ix.skipped()).isEqualTo(2);
        assertThat(warnings).hasSize(2).allMatch(w -> w.endsWith(": cannot be read: no urn here"));
        assertThatThrownBy(() -> new WarcIndexer(false, w -> {})
                        .<String>indexAll(
                                files,
                                1,
                                c -> {
                                    throw new IllegalArgumentException("no");
                                },
                                made::add,
                                f -> {}))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("r1.warc.gz: record at offset ");
    }

    @Test
    void oneFileOnSeveralThreadsGivesTheSinkAndTheWarningsWhatOneThreadGivesInTheSameOrder()
            throws Exception {
        // 120 copies of a file of 4 captures in one gzipped WARC (more captures than a reader
        // hands over before taking the oldest back), one copy's revisit corrupt, and a make
        // that refuses the captures of every third copy: bad records of both kinds.
        byte[] one = Files.readAllBytes(warc("one.warc.gz", WarcCompression.GZIP));
        int revisit = Integer.parseInt(field(
                index(new WarcIndexer(false, w -> {}), dir.resolve("one.warc.gz"))
                        .get(1),
                "offset"));
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 120; i++) {
            byte[] copy = one.clone();
            if (i == 77) {
                copy[revisit + 20] ^= (byte) 0xff;
                copy[revisit + 21] ^= (byte) 0x5a;
            }
            all.write(copy);
        }
        Path big = dir.resolve("big.warc.gz");
        Files.write(big, all.toByteArray());
        java.util.function.Function<Capture, String> make = c -> {
            try {
                if (Long.parseLong(field(c, "offset")) / one.length % 3 == 0) {
                    throw new IllegalArgumentException("refused");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return c.line();
        };
        List<List<String>> runs = new ArrayList<>();
        for (int threads : new int[] {1, 2, 5}) {
            List<String> warnings = new ArrayList<>();
            List<String> made = new ArrayList<>();
            WarcIndexer ix = new WarcIndexer(true, warnings::add);
            ix.indexAll(List.of(big), threads, make, made::add, f -> {});
            assertThat(warnings).as("%d threads", threads).hasSizeGreaterThan(100);
            assertThat(ix.skipped()).isEqualTo(warnings.size());
            runs.add(made);
            runs.add(warnings);
            assertThatThrownBy(() -> new WarcIndexer(false, w -> {})
                            .indexAll(List.of(big), threads, make, s -> {}, f -> {}))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessage(runs.get(1).get(0)); // the first bad record, as reported
        }
        assertThat(runs.get(0)).hasSizeGreaterThan(200);
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat(runs.get(3)).isEqualTo(runs.get(1));
        assertThat(runs.get(4)).isEqualTo(runs.get(0));
        assertThat(runs.get(5)).isEqualTo(runs.get(1));
    }

    @Test
    void aBadFileAmongManyReadAtOnceStopsTheIndexNamingItOrIsSkipped() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(warc("n" + i + ".warc.gz", WarcCompression.GZIP));
        }
        Path cut = dir.resolve("n-cut.warc.gz");
        byte[] whole = Files.readAllBytes(files.get(0));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 20));
        files.add(2, cut);
        assertThatThrownBy(
                        () -> new WarcIndexer(false, w -> {}).indexAll(files, 2, c -> {}, f -> {}))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("n-cut.warc.gz: record at offset ")
                .hasMessageContaining("truncated");
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        WarcIndexer skipping = new WarcIndexer(true, warnings::add);
        List<Capture> cs = new ArrayList<>();
        skipping.indexAll(files, 2, cs::add, f -> {});
        assertThat(skipping.skipped()).isEqualTo(1);
        assertThat(cs).hasSize(4 * 4 + 3);
        assertThat(warnings).singleElement().asString().startsWith("n-cut.warc.gz: record at");
    }

    @Test
    void twoCapturesOfOneUrlInOneSecondStayTwoEntriesAndExportAsTwoLines() throws Exception {
        Path file = dir.resolve("twice.warc.gz");
        try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                WarcWriter w = new WarcWriter(ch, WarcCompression.GZIP)) {
            for (String body : List.of("<p>first</p>", "<p>second</p>")) {
                w.write(new WarcResponse.Builder(URI.create("http://example.com/a"))
                        .date(T1)
                        .body(new HttpResponse.Builder(200, "OK")
                                .body(MediaType.HTML, body.getBytes(StandardCharsets.UTF_8))
                                .build())
                        .build());
            }
        }
        List<Capture> cs = index(new WarcIndexer(false, w -> {}), file);
        assertThat(cs).hasSize(2);
        assertThat(cs.get(0).key()).isEqualTo(cs.get(1).key());
        ReplayTemplate replay = ReplayTemplate.defaults();
        try (ExternalSorter sorter = new ExternalSorter(dir, 1 << 20)) {
            for (Capture c : cs) {
                sorter.add(c.toEntry(replay));
            }
            List<Entry> entries = new ArrayList<>();
            sorter.sorted().forEachRemaining(entries::add);
            assertThat(sorter.duplicates()).isZero();
            assertThat(entries).hasSize(2);
            assertThat(entries)
                    .extracting(Entry::link)
                    .allMatch(l -> l.matches(
                            "\\Qhttp://localhost:8080/archive/20240305060708/http://example.com/a#\\E"
                                    + "[0-9a-f]{8}"));
            StringWriter out = new StringWriter();
            assertThat(CdxjExport.write(entries.iterator(), out, "tree")).isEqualTo(2);
            List<String> lines = new ArrayList<>(cs.stream().map(Capture::line).toList());
            lines.sort(Keys.ORDER);
            assertThat(out.toString()).isEqualTo(String.join("\n", lines) + "\n");
        }
    }

    @Test
    void aFileThatIsNoWarcIsOneBadRecord() throws Exception {
        Path junk = dir.resolve("junk.warc");
        Files.writeString(junk, "hello, world\n");
        assertThatThrownBy(() -> index(new WarcIndexer(false, w -> {}), junk))
                .isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("junk.warc: record at offset 0: ");
    }

    static String field(Capture c, String name) throws IOException {
        return Capture.mapper().readTree(c.json()).get(name).asText();
    }
}
