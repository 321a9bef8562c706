package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void textIsEscapedForElementsAndQuotedAttributes() {
        assertThat(Html.text("<script>\"'&")).isEqualTo("&lt;script&gt;&quot;&apos;&amp;");
    }

    @Test
    void onlyHttpAndHttpsLinksBecomeLinks() {
        assertThat(Html.href("https://a.example/?q=1&r=\"2\"")).isNull();
        assertThat(Html.href("https://a.example/?q=1&r=2"))
                .isEqualTo("https://a.example/?q=1&amp;r=2");
        assertThat(Html.href("javascript:alert(1)")).isNull();
        assertThat(Html.href(" JavaScript:alert(1)")).isNull();
        assertThat(Html.href("data:text/html,<script>")).isNull();
        assertThat(Html.href("//evil.example/")).isNull();
        assertThat(Html.link("javascript:x()", "<b>t</b>")).isEqualTo("&lt;b&gt;t&lt;/b&gt;");
        assertThat(Html.link("https://a.example/", "t"))
                .isEqualTo("<a href=\"https://a.example/\" rel=\"nofollow noopener\">t</a>");
    }
}
