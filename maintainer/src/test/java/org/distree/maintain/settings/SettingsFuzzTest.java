package org.distree.maintain.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.distree.maintain.MaintainerConfig;

/**
 * Fuzz test of settings files ({@code maintainer.properties}, and the daemon's, read the same
 * way): the properties reader and the check of every value by its type (docs/RELIABILITY.md,
 * "Fuzzing"). Without {@code JAZZER_FUZZ} it runs the inputs kept under {@code
 * SettingsFuzzTestInputs/} as regression tests.
 *
 * <p>What must hold for any bytes: reading gives the settings, or an {@link IOException} naming
 * the file (bytes that are not UTF-8, a bad escape); checking them gives the settings, or an
 * {@link IllegalArgumentException} naming the key; each a message of one line; no other
 * exception, in bounded time (Jazzer's per-input timeout) and memory. Settings read, written
 * back as a properties file and read again, are the same.
 */
class SettingsFuzzTest {
    private static final String NAME = "maintainer.properties";

    @DictionaryEntries({
        "base-url=",
        "peers=",
        "accept=allowlist",
        "accept-hosts=",
        "copy-budget=",
        "redundancy=",
        "https://",
        "1_000",
        "64m",
        "-1",
        "9223372036854775808",
        ":",
        "#"
    })
    @FuzzTest(maxDuration = "10m")
    void settingsFileReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws IOException {
        Map<String, String> given;
        try {
            given = Settings.read(new ByteArrayInputStream(bytes), NAME);
        } catch (IOException e) {
            assertThat(e.getMessage()).startsWith(NAME + ": ").doesNotContain("\n");
            return;
        }
        Settings<MaintainerConfig.Key> settings;
        try {
            settings = Settings.parse(MaintainerConfig.Key.class, "setting", "docs", given);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("setting").doesNotContain("\n");
            return;
        }
        Properties written = new Properties();
        Map<String, String> texts = new LinkedHashMap<>();
        for (MaintainerConfig.Key k : EnumSet.allOf(MaintainerConfig.Key.class)) {
            written.setProperty(k.key(), settings.text(k));
            texts.put(k.key(), settings.text(k));
        }
        StringWriter out = new StringWriter();
        written.store(out, null);
        Map<String, String> again = Settings.read(
                new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)), NAME);
        assertThat(again).isEqualTo(texts);
        Settings<MaintainerConfig.Key> reparsed =
                Settings.parse(MaintainerConfig.Key.class, "setting", "docs", again);
        for (MaintainerConfig.Key k : EnumSet.allOf(MaintainerConfig.Key.class)) {
            assertThat(reparsed.text(k)).isEqualTo(settings.text(k));
        }
    }
}
