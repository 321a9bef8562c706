package org.distree.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;

/** The score field of build input, in each format: read, refused with its line, or absent. */
class EntryReaderTest {
    private static List<Entry> read(String text, InputFormat format, boolean skipBad)
            throws Exception {
        List<Entry> out = new ArrayList<>();
        try (EntryReader r = new EntryReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "in",
                format,
                skipBad)) {
            Entry e;
            while ((e = r.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void aLineOverTheLimitIsABadRecordReadToItsEnd() throws Exception {
        String huge = "k\thttps://e.org/" + "x".repeat(3 * EntryReader.MAX_LINE_CHARS);
        for (InputFormat format : new InputFormat[] {InputFormat.TSV, InputFormat.JSONL}) {
            String good = format == InputFormat.TSV
                    ? "k\thttps://e.org/ok"
                    : "{\"key\":\"k\",\"link\":\"https://e.org/ok\"}";
            String text = huge + "\n" + good + "\n";
            assertThat(read(text, format, true))
                    .as("%s", format)
                    .singleElement()
                    .extracting(Entry::link)
                    .isEqualTo("https://e.org/ok");
            assertThatThrownBy(() -> read(text, format, false))
                    .isInstanceOf(InputException.class)
                    .hasMessage("in:1: the line is 3,145,744 characters, over the 1,048,576"
                            + " limit");
        }
    }

    @Test
    void aScoreIsTheSixthTsvFieldAndMayBeLeftOut() throws Exception {
        List<Entry> read = read("""
                apple\thttps://e.org/a\tApples\tred\tsha256-x\t4200
                apple\thttps://e.org/b
                apple\thttps://e.org/c\t\t\t\t
                apple\thttps://e.org/d\t\t\t\t1000000
                """, InputFormat.TSV, false);

        assertThat(read).extracting(Entry::score).containsExactly(4200, 0, 0, 1_000_000);
        assertThat(read).noneMatch(Entry::isRecord);
        assertThat(read.get(0).digest()).isEqualTo("sha256-x");
    }

    @Test
    void csvAndJsonLinesNameTheScore() throws Exception {
        assertThat(read(
                        "key,link,score\napple,https://e.org/a,12\napple,https://e.org/b,\n",
                        InputFormat.CSV,
                        false))
                .extracting(Entry::score)
                .containsExactly(12, 0);
        assertThat(read("""
                        {"key":"apple","link":"https://e.org/a","score":12}
                        {"key":"apple","link":"https://e.org/b"}
                        """, InputFormat.JSONL, false))
                .extracting(Entry::score)
                .containsExactly(12, 0);
    }

    @Test
    void aBadScoreIsRefusedNamingItsLineOrSkipped() throws Exception {
        for (String bad : List.of("-1", "7.5", "1000001", "12345678901", "ten", " 5")) {
            String tsv = "a\thttps://e.org/a\n" + "b\thttps://e.org/b\t\t\t\t" + bad + "\n"
                    + "c\thttps://e.org/c\t\t\t\t3\n";
            assertThatThrownBy(() -> read(tsv, InputFormat.TSV, false))
                    .as(bad)
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith("in:2: the score '")
                    .hasMessageContaining("is not a whole number from 0 to 1000000");
            assertThat(read(tsv, InputFormat.TSV, true))
                    .extracting(Entry::key)
                    .containsExactly("a", "c");
        }
        assertThatThrownBy(
                        () -> read("a\thttps://e.org/a\t\t\t\t1\textra\n", InputFormat.TSV, false))
                .hasMessage("in:1: more than 6 tab-separated fields"
                        + " (key, link, title, comment, digest, score)");
        for (String bad : List.of("\"12\"", "1.5", "-3", "1e9")) {
            assertThatThrownBy(() -> read(
                            "{\"key\":\"a\",\"link\":\"https://e.org/a\",\"score\":" + bad + "}\n",
                            InputFormat.JSONL,
                            false))
                    .as(bad)
                    .isInstanceOf(InputException.class)
                    .hasMessageStartingWith("in:1: ");
        }
    }
}
