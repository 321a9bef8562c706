package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HtmlOutTest {
    /** Characters of every kind the writer treats apart: escapes, ASCII, two, three, four bytes. */
    private static final String[] PIECES = {
        "&", "\"", "<", ">", "'", "a", "Z", "/", " ", "é", "ÿ", "…", "€", "\uFFFD", "𝐀", "\ud800",
        "\udc00"
    };

    @Test
    void aCountingOutMeasuresExactlyWhatAWritingOutWrites() {
        Random random = new Random(21);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder sb = new StringBuilder();
            // Mostly ASCII with an escape here and there, as real text is, and now and then a
            // character of more bytes (or a lone surrogate) anywhere, first and last included.
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(
                        random.nextInt(4) == 0
                                ? PIECES[random.nextInt(PIECES.length)]
                                : String.valueOf((char) (' ' + random.nextInt(95))));
            }
            String s = sb.toString();
            HtmlOut counted = new HtmlOut(null).text(s).attrValue(s).raw(s);
            HtmlOut written = new HtmlOut(new byte[4]).text(s).attrValue(s).raw(s);

            assertThat(counted.bytes).as("%s", s).isEqualTo(written.toBytes().length);
        }
    }
}
