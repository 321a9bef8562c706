package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void countsAndTimesOverTwoToTheThirtyOneAreNotCut() {
        MaintainerConfig c = MaintainerConfig.of(
                dir, Map.of("copy-budget", "3000000000", "dead-after-ms", "4_000_000_000"));
        assertThat(c.copyBudget()).isEqualTo(3_000_000_000L);
        assertThat(c.deadAfter().toMillis()).isEqualTo(4_000_000_000L);
        // A count the code holds in an int is refused past it, where it was cut to a negative.
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("redundancy", "4294967299")))
                .hasMessage("maintainer setting 'redundancy' = '4294967299' must be at most"
                        + " 2,147,483,647");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("max-neighbors", "3000000000")))
                .hasMessageContaining("must be at most 2,147,483,647");
    }

    @Test
    void everyValueIsReadOnce() {
        MaintainerConfig c = MaintainerConfig.of(
                dir,
                Map.of(
                        "base-url", "https://a.example",
                        "accept", "AllowList",
                        "accept-hosts", "B.example, c.example:8080,",
                        "per-host-interval-ms", "0",
                        "max-fetches-per-round", "7",
                        "allow-private", "true"));
        assertThat(c.baseUrl()).hasToString("https://a.example/");
        assertThat(c.acceptance()).isEqualTo(MaintainerConfig.Acceptance.ALLOWLIST);
        assertThat(c.acceptHosts()).containsExactly("b.example", "c.example:8080");
        assertThat(c.perHostInterval()).isZero();
        assertThat(c.maxFetches()).isEqualTo(7);
        assertThat(c.allowPrivate()).isTrue();
        assertThat(c.orphanAging()).isEqualTo(Duration.ofDays(7));
        assertThat(c.data()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void badValuesSayWhatIsWrong() {
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("copy-budget", "abc")))
                .hasMessage("maintainer setting 'copy-budget' = 'abc' is not a whole number");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("copy-budget", "-2")))
                .hasMessage("maintainer setting 'copy-budget' = '-2' must be at least -1");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("dead-after-ms", "-1")))
                .hasMessage("maintainer setting 'dead-after-ms' = '-1' must be at least 0");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("allow-private", "yes")))
                .hasMessage("maintainer setting 'allow-private' = 'yes' must be true or false");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("base-url", "https://a/?q")))
                .hasMessageContaining("'base-url' = 'https://a/?q'")
                .hasMessageContaining("no query");
        assertThatThrownBy(() -> MaintainerConfig.of(dir, Map.of("peers", "https://b/, c")))
                .hasMessage("maintainer setting 'peers' = 'https://b/, c' holds 'c', which is"
                        + " not an http or https URL with a host");
    }

    @Test
    void onlyTheIntervalKeysAreIntervals() {
        MaintainerConfig c = MaintainerConfig.of(dir, Map.of("rules-interval-ms", "9"));
        assertThat(c.interval(MaintainerConfig.Key.RULES_INTERVAL_MS)).hasMillis(9);
        assertThatThrownBy(() -> c.interval(MaintainerConfig.Key.FETCH_TIMEOUT_MS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
