package org.distree.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each expected value is what node 20 gives for the same input. */
class JsStringsTest {
    private static String utf8(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return JsStrings.utf8(b, 0, b.length);
    }

    @Test
    void utf8AsTextDecoderReplacesEachMaximalBadSubsequence() {
        assertThat(utf8(0xC3, 0x28)).isEqualTo("\uFFFD(");
        assertThat(utf8(0xE2, 0x82)).isEqualTo("\uFFFD");
        assertThat(utf8(0xF0, 0x9F, 0x98)).isEqualTo("\uFFFD");
        assertThat(utf8(0xED, 0xA0, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(utf8(0xC0, 0xAF)).isEqualTo("\uFFFD\uFFFD");
        assertThat(utf8(0xF4, 0x90, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
        assertThat(utf8(0x61, 0xE2, 0x82, 0x41)).isEqualTo("a\uFFFDA");
        assertThat(utf8(0xEF, 0xBB, 0xBF, 0x61, 0xEF, 0xBB, 0xBF)).isEqualTo("a\uFEFF");
    }

    @Test
    void decodeUriKeepsReservedEscapesAndRefusesBadOnes() {
        assertThat(JsStrings.decodeUri("%C3%A9%2F%41")).isEqualTo("\u00e9%2FA");
        assertThat(JsStrings.decodeUri("%F0%9F%98%80x")).isEqualTo("\uD83D\uDE00x");
        for (String bad : new String[] {"%E0%A4", "%ZZ", "%C0%AF", "%ED%A0%80", "a%"}) {
            assertThatThrownBy(() -> JsStrings.decodeUri(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void numbersAsJavaScriptPrintsThem() {
        assertThat(JsStrings.number(5e-7)).isEqualTo("5e-7");
        assertThat(JsStrings.number(1e-6)).isEqualTo("0.000001");
        assertThat(JsStrings.number(123.456)).isEqualTo("123.456");
        assertThat(JsStrings.number(1e21)).isEqualTo("1e+21");
        assertThat(JsStrings.number(999999999999999900000.0)).isEqualTo("999999999999999900000");
        assertThat(JsStrings.number(9007199254740994.0)).isEqualTo("9007199254740994");
        assertThat(JsStrings.number(0.000001234)).isEqualTo("0.000001234");
        assertThat(JsStrings.number(4.35)).isEqualTo("4.35");
        assertThat(JsStrings.number(-0.0)).isEqualTo("0");
        assertThat(JsStrings.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void jsonStringEscapesAsJsonStringifyDoes() {
        assertThat(JsStrings.jsonString("a\"b\\c\n\u001f\u007f\uD83D"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\u001f\u007f\\ud83d\"");
    }
}
