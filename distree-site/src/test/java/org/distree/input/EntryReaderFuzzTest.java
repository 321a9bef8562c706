package org.distree.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distree.model.Entry;

/**
 * Fuzz tests of the entry readers, the parsers of {@code distree build} and {@code distree add}
 * inputs and of {@code POST /entries} bodies (docs/RELIABILITY.md, "Fuzzing"). Without {@code
 * JAZZER_FUZZ} they run the inputs kept under {@code EntryReaderFuzzTestInputs/} as regression
 * tests.
 *
 * <p>What must hold for any bytes, in each format:
 *
 * <ul>
 *   <li>reading gives entries until the end or refuses a record with an {@link InputException}
 *       naming the input and a line at or after the last one read; no other exception, in
 *       bounded time (Jazzer's per-input timeout) and memory;
 *   <li>with {@code skipBad}, reading goes to the end, skipping bad records, and refuses only
 *       bytes that are not UTF-8 (the decoder cannot resume after them); it never loops;
 *   <li>the entries read, written back in the same format, read again to equal entries.
 * </ul>
 */
class EntryReaderFuzzTest {
    private static final String NAME = "fuzz-input";

    @DictionaryEntries({"#", "https://", "sha256-"})
    @FuzzTest(maxDuration = "10m")
    void tsvReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws IOException, InputException {
        List<Entry> read = readAll(bytes, InputFormat.TSV);
        if (read == null) {
            return;
        }
        StringBuilder tsv = new StringBuilder();
        for (Entry e : read) {
            tsv.append(e.key())
                    .append('\t')
                    .append(e.link())
                    .append('\t')
                    .append(e.title())
                    .append('\t')
                    .append(e.comment())
                    .append('\t')
                    .append(e.digest() == null ? "" : e.digest())
                    .append('\t')
                    .append(e.score() == 0 ? "" : Integer.toString(e.score()))
                    .append('\n');
        }
        assertThat(strictly(tsv.toString().getBytes(StandardCharsets.UTF_8), InputFormat.TSV))
                .isEqualTo(read);
    }

    @DictionaryEntries({
        "key,link,title,comment,digest,score",
        "\"",
        "\"\"",
        ",",
        "https://",
        "sha256-"
    })
    @FuzzTest(maxDuration = "10m")
    void csvReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws IOException, InputException {
        List<Entry> read = readAll(bytes, InputFormat.CSV);
        if (read == null) {
            return;
        }
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.builder()
                .addColumn("key")
                .addColumn("link")
                .addColumn("title")
                .addColumn("comment")
                .addColumn("digest")
                .addColumn("score")
                .build()
                .withHeader();
        List<Map<String, String>> rows = new ArrayList<>();
        for (Entry e : read) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("key", e.key());
            row.put("link", e.link());
            row.put("title", e.title());
            row.put("comment", e.comment());
            row.put("digest", e.digest() == null ? "" : e.digest());
            row.put("score", e.score() == 0 ? "" : Integer.toString(e.score()));
            rows.add(row);
        }
        StringWriter out = new StringWriter();
        mapper.writer(schema).writeValues(out).writeAll(rows).close();
        assertThat(strictly(out.toString().getBytes(StandardCharsets.UTF_8), InputFormat.CSV))
                .isEqualTo(read);
    }

    @DictionaryEntries({
        "{\"key\":\"",
        "\",\"link\":\"",
        "\"title\":",
        "\"comment\":",
        "\"digest\":",
        "\"score\":",
        "null",
        "[",
        "]",
        "}"
    })
    @FuzzTest(maxDuration = "10m")
    void jsonLinesReadOrAreRefusedAndRoundTrip(byte[] bytes) throws IOException, InputException {
        List<Entry> read = readAll(bytes, InputFormat.JSONL);
        if (read == null) {
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder jsonl = new StringBuilder();
        for (Entry e : read) {
            ObjectNode o = mapper.createObjectNode();
            o.put("key", e.key());
            o.put("link", e.link());
            o.put("title", e.title());
            o.put("comment", e.comment());
            o.put("digest", e.digest());
            if (e.score() != 0) {
                o.put("score", e.score());
            }
            jsonl.append(mapper.writeValueAsString(o)).append('\n');
        }
        assertThat(strictly(jsonl.toString().getBytes(StandardCharsets.UTF_8), InputFormat.JSONL))
                .isEqualTo(read);
    }

    /**
     * Reads every entry strictly and then skipping bad records, checking what must hold of
     * both; the entries read strictly, or null when a record was refused.
     */
    private static List<Entry> readAll(byte[] bytes, InputFormat format) throws IOException {
        List<Entry> skipping = new ArrayList<>();
        long skipped;
        try (EntryReader reader =
                new EntryReader(new ByteArrayInputStream(bytes), NAME, format, true)) {
            try {
                for (Entry e = reader.next(); e != null; e = reader.next()) {
                    skipping.add(e);
                }
            } catch (InputException e) {
                assertThat(e.getMessage()).endsWith("bytes are not UTF-8");
            }
            skipped = reader.skipped();
        }
        List<Entry> strict = new ArrayList<>();
        try (EntryReader reader =
                new EntryReader(new ByteArrayInputStream(bytes), NAME, format, false)) {
            for (Entry e = reader.next(); e != null; e = reader.next()) {
                strict.add(e);
            }
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo(NAME);
            assertThat(e.line()).isGreaterThan(strict.size());
            assertThat(e.getMessage()).startsWith(NAME + ":").doesNotContain("\n");
            // What the strict run read before the refusal, the skipping run read too.
            assertThat(skipping.size()).isGreaterThanOrEqualTo(strict.size());
            assertThat(skipping.subList(0, strict.size())).isEqualTo(strict);
            return null;
        }
        // Nothing refused strictly: nothing skipped either, and the same entries.
        assertThat(skipped).isZero();
        assertThat(skipping).isEqualTo(strict);
        return strict;
    }

    /** The entries of an input that must read without a refusal. */
    private static List<Entry> strictly(byte[] bytes, InputFormat format)
            throws IOException, InputException {
        List<Entry> out = new ArrayList<>();
        try (EntryReader reader =
                new EntryReader(new ByteArrayInputStream(bytes), NAME, format, false)) {
            for (Entry e = reader.next(); e != null; e = reader.next()) {
                out.add(e);
            }
        }
        return out;
    }
}
