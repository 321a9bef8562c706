package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.distree.input.InputFormat;
import org.distree.model.Entry;

/**
 * Fuzz test of {@code POST /entries} bodies: the Content-Type that picks the format, the JSON
 * array that becomes JSON Lines, and the entry reader over the result, as {@link Entries} runs
 * them before anything is stored (docs/RELIABILITY.md, "Fuzzing"). Without {@code JAZZER_FUZZ}
 * it runs the inputs kept under {@code EntriesBodyFuzzTestInputs/} as regression tests.
 *
 * <p>An input is the Content-Type header, a line feed, then the body. What must hold for any
 * header and body: the handler's parsing gives between 1 and {@value #MAX_ENTRIES} entries, or a
 * {@link Bodies.BodyException} with 400, 413 or 415 and a one-line reason; no other exception
 * (which would be a 500), in bounded time (Jazzer's per-input timeout) and memory.
 */
class EntriesBodyFuzzTest {
    private static final int MAX_ENTRIES = 20;

    @DictionaryEntries({
        "text/tab-separated-values",
        "application/json",
        "application/x-ndjson",
        "; charset=utf-8",
        "[{\"key\":\"",
        "\",\"link\":\"",
        "\"}]",
        "},{",
        "https://"
    })
    @FuzzTest(maxDuration = "10m")
    void entriesBodyParsesOrIsRefusedWithA4xx(byte[] input) {
        int nl = 0;
        while (nl < input.length && input[nl] != '\n') {
            nl++;
        }
        String type = new String(input, 0, nl, StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(input, Math.min(nl + 1, input.length), input.length);
        try {
            InputFormat format = Entries.format(type);
            List<Entry> entries = Entries.parse(body, format, MAX_ENTRIES);
            assertThat(entries).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_ENTRIES);
        } catch (Bodies.BodyException e) {
            assertThat(e.status).isIn(400, 413, 415);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }
}
