package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maintainer's memory of the machines on the ring, across a save and a load. */
class StateTest {
    @TempDir
    Path dir;

    @Test
    void membersSurviveASaveAndKeepTheirPlacesUntilARootSaysOthers() throws Exception {
        State s = State.load(dir, 16);
        s.heardOf("http://a.test", 1_000);
        s.heardOf("http://b.test", 1_000);
        s.seen("http://a.test", "http://a.test/n/3.html", "ck pd", 2_000);
        // Heard of again: a machine known is not reset.
        s.heardOf("http://a.test", 3_000);
        // A root read without places keeps the places known.
        s.seen("http://a.test", "http://a.test/n/4.html", null, 4_000);
        s.save();

        State t = State.load(dir, 16);
        assertThat(t.members()).containsOnlyKeys("http://a.test", "http://b.test");
        State.Member a = t.members().get("http://a.test");
        assertThat(a.root()).isEqualTo("http://a.test/n/4.html");
        assertThat(a.places()).isEqualTo("ck pd");
        assertThat(a.seenMillis()).isEqualTo(4_000);
        State.Member b = t.members().get("http://b.test");
        assertThat(b.root()).isNull();
        assertThat(b.places()).isNull();

        t.forgetMembers(2_000);
        assertThat(t.members()).containsOnlyKeys("http://a.test");
    }

    @Test
    void theMachinesReadLeastRecentlyGoFirstPastTheLimit() {
        State s = State.load(dir, 16);
        for (int i = 0; i < State.MAX_MEMBERS + 5; i++) {
            s.heardOf("http://m" + i + ".test", i);
        }
        assertThat(s.members()).hasSize(State.MAX_MEMBERS);
        assertThat(s.members()).doesNotContainKey("http://m0.test").containsKey("http://m5.test");
    }

    @Test
    void aStateFileThatCannotBeReadStartsAfresh() throws Exception {
        Path f = dir.resolve(".distree/maintainer/state.json");
        Files.createDirectories(f.getParent());
        Files.write(f, "{\"members\": [1, 2".getBytes(StandardCharsets.UTF_8));
        State s = State.load(dir, 16);
        assertThat(s.members()).isEmpty();
        assertThat(s.neighbors()).isEmpty();
    }
}
