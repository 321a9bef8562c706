package org.distree.server.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedTokenIsKeptReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve(".distree/token");
        Token t = Token.loadOrCreate(file);
        String secret = Files.readString(file).strip();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(t.matches("Bearer " + secret)).isTrue();
        assertThat(t.matches("bearer " + secret)).isTrue();
        assertThat(Token.loadOrCreate(file).matches("Bearer " + secret)).isTrue();
    }

    @Test
    void otherCredentialsDoNotMatch() {
        Token t = Token.of("a-token-of-decent-length");
        assertThat(t.matches(null)).isFalse();
        assertThat(t.matches("a-token-of-decent-length")).isFalse();
        assertThat(t.matches("Basic a-token-of-decent-length")).isFalse();
        assertThat(t.matches("Bearer a-token-of-decent-lengtH")).isFalse();
        assertThat(t.matches("Bearer a-token-of-decent-length-and-more")).isFalse();
        assertThat(t.matches("Bearer ")).isFalse();
    }

    @Test
    void shortOrSpacedTokensAreRefused() {
        assertThatThrownBy(() -> Token.of("short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> Token.of("has a space in it ok"))
                .hasMessageContaining("without spaces");
    }
}
