package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static Map<String, String> required() {
        Map<String, String> m = new HashMap<>();
        m.put("data", "/tmp/tree");
        m.put("base-url", "https://node.example.org");
        return m;
    }

    @Test
    void defaultsApplyAndTheBaseUrlEndsInASlash() {
        ServerConfig c = ServerConfig.of(required());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.baseUrl().toString()).isEqualTo("https://node.example.org/");
        assertThat(c.tokenFile()).isEqualTo(Path.of("/tmp/tree/.distree/token"));
        assertThat(c.allowPrivate()).isFalse();
        assertThat(c.positive(ServerConfig.Key.MAX_BODY_BYTES)).isEqualTo(1_048_576);
    }

    @Test
    void unknownMissingAndInvalidSettingsAreNamed() {
        Map<String, String> m = required();
        m.put("colour", "blue");
        assertThatThrownBy(() -> ServerConfig.of(m)).hasMessageContaining("'colour'");
        Map<String, String> noData = required();
        noData.remove("data");
        assertThatThrownBy(() -> ServerConfig.of(noData))
                .hasMessageContaining("'data'")
                .hasMessageContaining("required");
        Map<String, String> badPort = required();
        badPort.put("port", "70000");
        assertThatThrownBy(() -> ServerConfig.of(badPort)).hasMessageContaining("'port'");
        Map<String, String> badUrl = required();
        badUrl.put("base-url", "ftp://x/");
        assertThatThrownBy(() -> ServerConfig.of(badUrl)).hasMessageContaining("'base-url'");
        Map<String, String> badBool = required();
        badBool.put("allow-private", "yes");
        assertThatThrownBy(() -> ServerConfig.of(badBool)).hasMessageContaining("'allow-private'");
        Map<String, String> zero = required();
        zero.put("max-entries", "0");
        assertThatThrownBy(() -> ServerConfig.of(zero)).hasMessageContaining("'max-entries'");
    }

    @Test
    void everyKeyIsDocumentedInServeMd() throws Exception {
        Path doc = Path.of("..", "docs", "SERVE.md");
        String text = Files.readString(doc);
        for (ServerConfig.Key k : ServerConfig.Key.values()) {
            assertThat(text).as(k.key()).contains("| `" + k.key() + "` |");
        }
    }
}
