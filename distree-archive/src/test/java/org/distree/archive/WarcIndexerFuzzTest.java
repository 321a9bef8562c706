package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz test of the WARC and ARC reader path of {@code distree index-warc}: {@code
 * WarcRecordReader}, the record choice, the HTTP header of responses and revisits (and of ARC
 * records), and the capture made of each record (docs/RELIABILITY.md, "Fuzzing"). Without {@code
 * JAZZER_FUZZ} it runs the inputs kept under {@code WarcIndexerFuzzTestInputs/} (real wget
 * captures and ARC files, plain, gzipped and cut short, among them) as regression tests.
 *
 * <p>What must hold for any file: indexing it gives captures or stops at a bad record with an
 * {@link ArchiveException} naming the file and the record's offset; with {@code skipBad} it
 * never stops, and it gives at least the captures of the strict run; no other exception, in
 * bounded time (Jazzer's per-input timeout: skipping must always move forward) and memory.
 * Each capture's CDXJ line reads back ({@link CdxjReader#parse}) to the same capture.
 */
class WarcIndexerFuzzTest {
    @TempDir
    static Path dir;

    @DictionaryEntries({
        "WARC/1.0",
        "WARC/1.1",
        "WARC-Type: response",
        "WARC-Type: revisit",
        "WARC-Type: resource",
        "WARC-Target-URI: ",
        "WARC-Date: 2026-12-04T23:07:07Z",
        "WARC-Record-ID: <urn:uuid:73de4593-de9a-491c-bdcc-0f5f5c79ea5a>",
        "Content-Type: application/http; msgtype=response",
        "Content-Length: ",
        "WARC-Payload-Digest: sha1:",
        "HTTP/1.1 200 OK",
        "filedesc://",
        // No newline in an entry: libFuzzer's dictionary file is one entry a line.
        "1 0 Distree",
        "URL IP-address Archive-date Content-type Archive-length",
        " 127.0.0.1 20260102030405 text/html ",
        "http://example.com/ ",
    })
    @FuzzTest(maxDuration = "10m")
    void warcIndexesOrStopsAtABadRecord(byte[] bytes) throws IOException, ArchiveException {
        Path file = dir.resolve("fuzz.warc");
        Files.write(file, bytes);

        List<Capture> skipping = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        new WarcIndexer(true, warnings::add).index(file, skipping::add);

        List<Capture> strict = new ArrayList<>();
        try {
            new WarcIndexer(false, w -> {}).index(file, strict::add);
            assertThat(warnings).isEmpty();
            assertThat(skipping).isEqualTo(strict);
        } catch (ArchiveException e) {
            assertThat(e.file()).isEqualTo("fuzz.warc");
            assertThat(e.where()).startsWith("record at offset ");
            assertThat(warnings).isNotEmpty();
            // What the strict run read before the refusal, the skipping run read too.
            assertThat(skipping.size()).isGreaterThanOrEqualTo(strict.size());
            assertThat(skipping.subList(0, strict.size())).isEqualTo(strict);
        }
        for (Capture c : skipping) {
            assertThat(CdxjReader.parse(c.line())).isEqualTo(c);
        }
    }
}
