package org.distree.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Base32Test {
    @Test
    void isRfc4648WithoutPadding() {
        // RFC 4648, section 10, less the padding.
        assertThat(Base32.encode(new byte[0])).isEmpty();
        assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode(new byte[20])).hasSize(32).matches("A{32}");
    }
}
