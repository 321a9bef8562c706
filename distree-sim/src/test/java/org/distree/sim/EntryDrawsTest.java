package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;

class EntryDrawsTest {
    @Test
    void aSeedGivesTheSameEntriesMachineByMachine() {
        Config config = Config.of(3, 50, -1, 7);
        EntryDraws a = new EntryDraws(config);
        EntryDraws b = new EntryDraws(config);
        List<Entry> first = a.next(0);
        assertThat(first).hasSize(50).isEqualTo(b.next(0));
        assertThat(a.next(1)).isEqualTo(b.next(1)).isNotEqualTo(first);
        assertThat(new EntryDraws(Config.of(3, 50, -1, 8)).next(0)).isNotEqualTo(first);
        for (Entry e : first) {
            assertThat(e.key()).matches("[a-z]{2,12}");
            assertThat(e.link()).startsWith("https://example.org/").endsWith("/m0");
            assertThat(e.comment().length()).isGreaterThanOrEqualTo(39);
        }
    }

    @Test
    void zipfKeysComeFromAVocabularyAsLargeAsTheEntries() {
        EntryDraws draws = new EntryDraws(Config.of(4, 100, -1, 5).withZipf(1.0));
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            for (Entry e : draws.next(i)) {
                keys.add(e.key());
                assertThat(e.link()).endsWith("/m" + i);
            }
        }
        // By Zipf's law a few keys take many entries: far fewer distinct keys than entries.
        assertThat(keys.size()).isBetween(2, 300);
    }
}
