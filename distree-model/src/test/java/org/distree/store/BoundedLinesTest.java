package org.distree.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    /** A reader that gives at most {@code n} characters a read: lines and CR LF cut anywhere. */
    private static Reader trickle(String text, int n) {
        return new FilterReader(new StringReader(text)) {
            @Override
            public int read(char[] cbuf, int off, int len) throws IOException {
                return super.read(cbuf, off, Math.min(len, n));
            }
        };
    }

    private static List<String> lines(Reader in, int max, List<Long> lengths) throws IOException {
        List<String> out = new ArrayList<>();
        BoundedLines lines = new BoundedLines(in, max);
        String l;
        while ((l = lines.next()) != null) {
            out.add(l);
            lengths.add(lines.length());
        }
        return out;
    }

    @Test
    void linesEndAsBufferedReaderEndsThemWhereverTheReadsCut() throws IOException {
        Random random = new Random(5);
        String[] pieces = {"a", "bc", " ", "é", "\n", "\r", "\r\n", "\n\n", "\r\r"};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            List<String> expected = new ArrayList<>();
            BufferedReader r = new BufferedReader(new StringReader(text));
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                expected.add(l);
            }
            List<Long> lengths = new ArrayList<>();
            assertThat(lines(trickle(text, 1 + random.nextInt(4)), 100, lengths))
                    .as("%s", text.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(expected);
            assertThat(lengths)
                    .isEqualTo(expected.stream().map(l -> (long) l.length()).toList());
        }
    }

    @Test
    void aLineOverTheLimitIsKeptToOneCharacterMoreAndMeasuredWhole() throws IOException {
        String longLine = "x".repeat(200_000);
        List<Long> lengths = new ArrayList<>();
        List<String> got = lines(new StringReader("ab\r\n" + longLine + "\r\ncd"), 10, lengths);
        assertThat(got).containsExactly("ab", "x".repeat(11), "cd");
        assertThat(lengths).containsExactly(2L, 200_000L, 2L);
    }
}
