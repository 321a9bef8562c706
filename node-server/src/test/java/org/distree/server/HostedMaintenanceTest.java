package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.distree.maintain.MaintainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostedMaintenanceTest {
    @TempDir
    Path data;

    private ServerConfig daemon() {
        return ServerConfig.of(Map.of(
                "data",
                data.toString(),
                "base-url",
                "https://node.example.org",
                "allow-private",
                "true",
                "fetch-timeout-ms",
                "2500"));
    }

    @Test
    void sharedKeysComeFromTheDaemonAndTheRestFromTheFile() throws Exception {
        Files.writeString(
                data.resolve(MaintainerConfig.FILE),
                "peers=https://b.example/\nsync-interval-ms=1000\nallow-private=true\n");
        MaintainerConfig c = HostedMaintenance.config(daemon());
        assertThat(c.baseUrl()).hasToString("https://node.example.org/");
        assertThat(c.allowPrivate()).isTrue();
        assertThat(c.fetchTimeout().toMillis()).isEqualTo(2500);
        assertThat(c.peers()).hasSize(1);
        assertThat(c.interval(MaintainerConfig.Key.SYNC_INTERVAL_MS).toMillis()).isEqualTo(1000);
    }

    @Test
    void aSharedKeyTheFileSetsOtherwiseStopsTheStart() throws Exception {
        Files.writeString(data.resolve(MaintainerConfig.FILE), "fetch-timeout-ms=9000\n");
        assertThatThrownBy(() -> HostedMaintenance.config(daemon()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fetch-timeout-ms' = '9000'")
                .hasMessageContaining("daemon's '2500'");
    }

    @Test
    void anUnknownKeyInTheFileStopsTheStart() throws Exception {
        Files.writeString(data.resolve(MaintainerConfig.FILE), "peer=https://b.example/\n");
        assertThatThrownBy(() -> HostedMaintenance.config(daemon()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown maintainer setting 'peer'");
    }
}
