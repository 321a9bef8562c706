package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.distree.analysis.KeyAnalyzer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTextTest {
    /** Pages where the places jsoup puts spaces, or the characters it drops, decide the words. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>one</p>two<b>three</b><div>four</div><span>five</span>six",
                "a<br>b<br/>c<i>d</i>e<p>f</p><p>g",
                "<ul><li>alpha<li>beta</ul>gamma<table><tr><td>x<td>y</table>z",
                "tabs\tand\nnew\r\nlines\fand&nbsp;no-break&#160;spaces   and\u00A0more",
                "soft&shy;hyphen and zero&#8203;width and\u00ADagain <b>in\u200Bline</b>",
                "<pre>  keep\n   this\tpre\u00ADtext </pre>after<pre><b>bold&shy;pre</b></pre>",
                "<svg><![CDATA[ cdata\u00ADtext ]]></svg>next",
                "end\n<div>\n  block\n</div>\n<span>\n inline \n</span>tail",
                "caf\u00E9 na\u00EFve \uD835\uDC00bc \u0645\u0631\u062D\u0628\u0627 \u65E5\u672C\u8A9E",
                "a\n\u0301b c \u0301d e\u00A0\u0301f",
                "U.S.A. 3.14 1,000 can't wi-fi e-mail@example.org",
                "<textarea>free  text</textarea><select><option>opt1<option>opt2</select>x",
                "",
            })
    void makesTheKeysOfJsoupsText(String body) {
        Document doc = Jsoup.parse("<!DOCTYPE html><title>t</title><body>" + body);
        for (String name : new String[] {"standard", "english"}) {
            KeyAnalyzer analyzer = KeyAnalyzer.forName(name);
            assertThat(analyzer.keys(PageText.of(doc.body())))
                    .as("%s keys of %s", name, body)
                    .isEqualTo(analyzer.keys(doc.body().text()));
        }
    }
}
