package org.distree.maintain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    enum Colour {
        RED,
        GREEN,
        BLUE
    }

    /** One key of each type. */
    enum Key implements Setting {
        NAME("name", null, Type.text()),
        ON("on", "false", Type.bool()),
        COUNT("count", "3", Type.integer(1, Integer.MAX_VALUE)),
        PORT("port", "80", Type.integer(0, 65535)),
        BUDGET("budget", "-1", Type.number(-1, Long.MAX_VALUE)),
        CACHE("cache", "64m", Type.bytes(0, Long.MAX_VALUE)),
        BODY("body", "1k", Type.bytes(1, Integer.MAX_VALUE)),
        WAIT("wait-ms", "100", Type.millis(0)),
        HOME("home", "https://a.example", Type.baseUrl().orNone()),
        PEERS("peers", "", Type.list(Type.httpUrl())),
        DIR("dir", "", Type.path().orNone()),
        COLOUR("colour", "red", Type.choice(Colour.class));

        private final String key;
        private final @Nullable String dflt;

        @SuppressWarnings("ImmutableEnumChecker") // Type is immutable; see MaintainerConfig.Key
        private final Type<?> type;

        Key(String key, @Nullable String dflt, Type<?> type) {
            this.key = key;
            this.dflt = dflt;
            this.type = type;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public @Nullable String defaultValue() {
            return dflt;
        }

        @Override
        public String description() {
            return "test key " + key;
        }

        @Override
        public Type<?> type() {
            return type;
        }
    }

    private static Settings<Key> parse(Map<String, String> given) {
        return Settings.parse(Key.class, "test setting", "the test", given);
    }

    private static Settings<Key> with(String key, String value) {
        return parse(Map.of("name", "x", key, value));
    }

    private static void refused(String key, String value, String message) {
        assertThatThrownBy(() -> with(key, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test setting '" + key + "' = '" + value.strip() + "' " + message);
    }

    @Test
    void defaultsAreReadByTheirTypes() {
        Settings<Key> s = parse(Map.of("name", " padded "));
        assertThat(s.get(Key.NAME, String.class)).isEqualTo("padded");
        assertThat(s.text(Key.NAME)).isEqualTo("padded");
        assertThat(s.get(Key.ON, Boolean.class)).isFalse();
        assertThat(s.get(Key.COUNT, Integer.class)).isEqualTo(3);
        assertThat(s.get(Key.BUDGET, Long.class)).isEqualTo(-1);
        assertThat(s.get(Key.CACHE, Long.class)).isEqualTo(64L << 20);
        assertThat(s.get(Key.BODY, Long.class)).isEqualTo(1024);
        assertThat(s.get(Key.WAIT, Duration.class)).isEqualTo(Duration.ofMillis(100));
        assertThat(s.get(Key.HOME, URI.class)).hasToString("https://a.example/");
        assertThat(s.list(Key.PEERS, URI.class)).isEmpty();
        assertThat(s.find(Key.DIR, Path.class)).isNull();
        assertThat(s.get(Key.COLOUR, Colour.class)).isEqualTo(Colour.RED);
    }

    @Test
    void valuesAreReadOnceWithTheirUnitsAndSeparators() {
        assertThat(with("count", "1_000").get(Key.COUNT, Integer.class)).isEqualTo(1000);
        assertThat(with("on", "TRUE").get(Key.ON, Boolean.class)).isTrue();
        assertThat(with("colour", "Blue").get(Key.COLOUR, Colour.class)).isEqualTo(Colour.BLUE);
        assertThat(with("budget", "3000000000").get(Key.BUDGET, Long.class))
                .isEqualTo(3_000_000_000L);
        assertThat(with("cache", "3g").get(Key.CACHE, Long.class)).isEqualTo(3L << 30);
        assertThat(with("cache", "3 GiB").get(Key.CACHE, Long.class)).isEqualTo(3L << 30);
        assertThat(with("cache", "5000000000").get(Key.CACHE, Long.class))
                .isEqualTo(5_000_000_000L);
        assertThat(with("cache", "12k").get(Key.CACHE, Long.class)).isEqualTo(12_288);
        assertThat(with("wait-ms", "4000000000").get(Key.WAIT, Duration.class).toMillis())
                .isEqualTo(4_000_000_000L);
        assertThat(with("peers", " https://b.example/ ,, http://c.example:8080/x ")
                        .list(Key.PEERS, URI.class))
                .containsExactly(
                        URI.create("https://b.example/"), URI.create("http://c.example:8080/x"));
        assertThat(with("home", "").find(Key.HOME, URI.class)).isNull();
        assertThat(with("dir", "/tmp/x").get(Key.DIR, Path.class)).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheLimit() {
        refused("count", "abc", "is not a whole number");
        refused("count", "1.5", "is not a whole number");
        refused("count", "0", "must be at least 1");
        refused("count", "3000000000", "must be at most 2,147,483,647");
        refused("count", "99999999999999999999999", "must be at most 2,147,483,647");
        refused("port", "70000", "must be 0 to 65,535");
        refused("port", "-1", "must be 0 to 65,535");
        refused("budget", "-2", "must be at least -1");
        refused("budget", "abc", "is not a whole number");
        refused("body", "3g", "must be at most 2,147,483,647");
        refused("body", "0", "must be at least 1");
        refused("cache", "-1", "must be at least 0");
        refused(
                "cache",
                "64 furlongs",
                "is not a byte count (a whole number, or one with k, m"
                        + " or g for KiB, MiB or GiB, such as 64m)");
        refused(
                "cache",
                "16777216t",
                "is not a byte count (a whole number, or one with k, m"
                        + " or g for KiB, MiB or GiB, such as 64m)");
        refused("cache", "9000000000g", "must be at most 9,223,372,036,854,775,807");
        refused("wait-ms", "-5", "must be at least 0");
        refused("on", "yes", "must be true or false");
        refused("colour", "mauve", "must be red, green or blue");
        refused(
                "home",
                "ftp://x/",
                "is not an http or https URL with a host and no query, such as"
                        + " https://node.example.org/");
        refused(
                "home",
                "https://x.example/?q=1",
                "is not an http or https URL with a host and no query, such as"
                        + " https://node.example.org/");
        refused(
                "peers",
                "https://b.example/, ftp://x/",
                "holds 'ftp://x/', which is not an http or https URL with a host");
        refused(
                "peers",
                "https://b.example/ x",
                "holds 'https://b.example/ x', which is not a URL (Illegal character in path)");
    }

    @Test
    void unknownAndMissingKeysAreRefused() {
        assertThatThrownBy(() -> parse(Map.of("name", "x", "colur", "red")))
                .hasMessage("unknown test setting 'colur' (see the test for the keys)");
        assertThatThrownBy(() -> parse(Map.of()))
                .hasMessage("test setting 'name' is required (--name)");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "dir", "")).get(Key.DIR, Path.class))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aValueIsOnlyReadAsItsOwnType() {
        Settings<Key> s = parse(Map.of("name", "x"));
        assertThatThrownBy(() -> s.get(Key.COUNT, Long.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'count' is read as Integer, not as Long");
    }

    @Test
    void aPropertiesFileIsReadAsUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "# comment\nname = caf\u00e9\ncount=7\n");
        assertThat(Settings.readFile(file))
                .containsOnly(Map.entry("name", "caf\u00e9"), Map.entry("count", "7"));
    }
}
