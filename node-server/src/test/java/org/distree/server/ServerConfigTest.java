package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        assertThat(c.maxBodyBytes()).isEqualTo(1_048_576);
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
    void valuesAreReadOnceIntoTheirTypes() {
        Map<String, String> m = required();
        m.put("file-cache-bytes", "3g");
        m.put("max-body-bytes", "64k");
        m.put("fetch-timeout-ms", "3_000_000_000");
        m.put("token", " secret ");
        m.put("token-file", "/etc/distree/token");
        m.put("trust-forwarded", "TRUE");
        ServerConfig c = ServerConfig.of(m);
        assertThat(c.fileCacheBytes()).isEqualTo(3L << 30);
        assertThat(c.maxBodyBytes()).isEqualTo(65_536);
        assertThat(c.fetchTimeout().toMillis()).isEqualTo(3_000_000_000L);
        assertThat(c.token()).isEqualTo("secret");
        assertThat(c.tokenFile()).isEqualTo(Path.of("/etc/distree/token"));
        assertThat(c.trustForwarded()).isTrue();
        assertThat(c.threads()).isEqualTo(64);
        assertThat(c.searchTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.data()).isEqualTo(Path.of("/tmp/tree"));
    }

    @Test
    void byteCountsOverTwoGibibytesAreKeptWhereALongHoldsThem() {
        Map<String, String> big = required();
        big.put("file-cache-bytes", "5000000000");
        assertThat(ServerConfig.of(big).fileCacheBytes()).isEqualTo(5_000_000_000L);
        // Jetty takes the body and header limits as an int: more is refused, not cut.
        Map<String, String> body = required();
        body.put("max-body-bytes", "3g");
        assertThatThrownBy(() -> ServerConfig.of(body))
                .hasMessage("setting 'max-body-bytes' = '3g' must be at most 2,147,483,647");
        Map<String, String> header = required();
        header.put("max-header-bytes", "2147483648");
        assertThatThrownBy(() -> ServerConfig.of(header))
                .hasMessage("setting 'max-header-bytes' = '2147483648' must be at most"
                        + " 2,147,483,647");
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheLimit() {
        Map<String, String> words = required();
        words.put("rate-limit", "lots");
        assertThatThrownBy(() -> ServerConfig.of(words))
                .hasMessage("setting 'rate-limit' = 'lots' is not a whole number");
        Map<String, String> fast = required();
        fast.put("rate-limit", "2000000000");
        assertThatThrownBy(() -> ServerConfig.of(fast))
                .hasMessage("setting 'rate-limit' = '2000000000' must be 0 to 1,000,000,000");
        Map<String, String> threads = required();
        threads.put("threads", "4");
        assertThatThrownBy(() -> ServerConfig.of(threads))
                .hasMessage("setting 'threads' = '4' must be at least 8");
        Map<String, String> cache = required();
        cache.put("file-cache-bytes", "lots");
        assertThatThrownBy(() -> ServerConfig.of(cache))
                .hasMessageStartingWith("setting 'file-cache-bytes' = 'lots' is not a byte count");
        Map<String, String> age = required();
        age.put("cache-max-age", "-1");
        assertThatThrownBy(() -> ServerConfig.of(age))
                .hasMessage("setting 'cache-max-age' = '-1' must be at least 0");
        Map<String, String> query = required();
        query.put("base-url", "https://node.example.org/?a=b");
        assertThatThrownBy(() -> ServerConfig.of(query)).hasMessageContaining("no query");
        Map<String, String> emptyData = required();
        emptyData.put("data", " ");
        assertThatThrownBy(() -> ServerConfig.of(emptyData))
                .hasMessage("setting 'data' = '' is empty");
    }

    @Test
    void everyDefaultIsAValueOfItsType() {
        ServerConfig c = ServerConfig.of(required());
        assertThat(c.fileCacheBytes()).isEqualTo(64L << 20);
        assertThat(c.maxHeaderBytes()).isEqualTo(8192);
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.maintain()).isTrue();
        assertThat(c.token()).isNull();
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
