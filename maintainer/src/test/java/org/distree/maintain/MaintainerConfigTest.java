package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintainerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSafeForTheOpenWeb() {
        MaintainerConfig c = MaintainerConfig.of(dir, Map.of());
        assertThat(c.allowPrivate()).isFalse();
        assertThat(c.baseUrl()).isNull();
        assertThat(c.peers()).isEmpty();
        assertThat(c.acceptance()).isEqualTo(MaintainerConfig.Acceptance.ALL);
        assertThat(c.copyBudget()).isEqualTo(100_000);
    }

    @Test
    void intervalsGoDownToMilliseconds() {
        MaintainerConfig c = MaintainerConfig.of(dir, Map.of("sync-interval-ms", "5"));
        assertThat(c.interval(MaintainerConfig.Key.SYNC_INTERVAL_MS).toMillis()).isEqualTo(5);
    }

    @Test
    void theFileIsReadAndGivenSettingsWin() throws Exception {
        Files.writeString(
                dir.resolve(MaintainerConfig.FILE),
                "peers = https://b.example/, https://c.example/\ncopy-budget = 7\n");
        MaintainerConfig c = MaintainerConfig.load(dir, Map.of("copy-budget", "-1"));
        assertThat(c.peers()).hasSize(2);
        assertThat(c.copyBudget()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void badSettingsNameTheKeyAndTheValue() {
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("nope", "1")))
                .hasMessageContaining("unknown maintainer setting 'nope'");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("peers", "ftp://x/")))
                .hasMessageContaining("'peers' = 'ftp://x/'");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("sync-interval-ms", "0")))
                .hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("accept", "some")))
                .hasMessageContaining("all, allowlist or none");
    }
}
