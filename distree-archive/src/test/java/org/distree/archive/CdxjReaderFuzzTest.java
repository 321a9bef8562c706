package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Entry;

/**
 * Fuzz test of the CDXJ reader of {@code distree build --format cdxj} (docs/RELIABILITY.md,
 * "Fuzzing"). Without {@code JAZZER_FUZZ} it runs the inputs kept under {@code
 * CdxjReaderFuzzTestInputs/} (real warcio output among them) as regression tests.
 *
 * <p>What must hold for any bytes: reading gives captures until the end, or refuses a line with
 * an {@link ArchiveException} naming the input and the line; with {@code skipBad} it passes bad
 * lines over and refuses only bytes that are not UTF-8 (the decoder cannot resume after them);
 * no other exception, in bounded time (Jazzer's per-input timeout) and memory. A capture read
 * round-trips twice: its CDXJ line reads back to the same capture, and so does the entry made of
 * it ({@link Capture#fromEntry}).
 */
class CdxjReaderFuzzTest {
    private static final String NAME = "fuzz.cdxj";

    @DictionaryEntries({
        "com,example)/ 20261204230707 {\"url\":\"http://example.com/\"",
        ",\"digest\":\"",
        ",\"mime\":\"text/html\"",
        "}",
        "!meta ",
    })
    @FuzzTest(maxDuration = "10m")
    void cdxjReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws IOException {
        ReplayTemplate replay = ReplayTemplate.defaults();
        List<Entry> skipping = new ArrayList<>();
        try (CdxjReader reader = new CdxjReader(new ByteArrayInputStream(bytes), NAME, true)) {
            for (Capture.Indexed m = reader.nextIndexed(replay);
                    m != null;
                    m = reader.nextIndexed(replay)) {
                skipping.add(LongCaptureTest.resolved(m));
            }
        } catch (ArchiveException e) {
            assertThat(e.reason()).isEqualTo("bytes are not UTF-8");
        }
        for (Entry e : skipping) {
            assertThat(Capture.fromEntry(e)).as("the capture of %s", e).isNotNull();
        }
        List<Capture> captures = new ArrayList<>();
        try (CdxjReader reader = new CdxjReader(new ByteArrayInputStream(bytes), NAME, false)) {
            for (Capture c = reader.next(); c != null; c = reader.next()) {
                captures.add(c);
            }
        } catch (ArchiveException e) {
            assertThat(e.file()).isEqualTo(NAME);
            assertThat(e.where()).startsWith("line ");
            assertThat(e.getMessage()).doesNotContain("\n");
        }
        for (Capture c : captures) {
            assertThat(CdxjReader.parse(c.line())).isEqualTo(c);
            Entry entry;
            try {
                entry = LongCaptureTest.resolved(c.indexed(replay));
            } catch (IllegalArgumentException tooLong) {
                continue; // over a page record's limits: a bad line for nextIndexed
            }
            assertThat(Capture.fromEntry(entry)).isEqualTo(c);
        }
    }
}
