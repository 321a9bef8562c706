package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {
    /** The smallest run buffer the sorter takes: 64 KiB, a few hundred entries. */
    private static final long TINY = 1;

    @TempDir
    Path dir;

    private static List<Entry> drain(Iterator<Entry> it) {
        List<Entry> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /** The distinct entries of {@code input} by (key, link), the first of each kept, sorted. */
    static List<Entry> firstOfEach(List<Entry> input) {
        Map<Bound, Entry> first = new LinkedHashMap<>();
        for (Entry e : input) {
            first.putIfAbsent(e.position(), e);
        }
        return first.values().stream().sorted().toList();
    }

    /** Entries in random order; every key comes twice, the second time with another comment. */
    private static List<Entry> shuffledWithRepeats(int n, long seed) {
        Random random = new Random(seed);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String w = Trees.word(random) + (random.nextBoolean() ? "日本" : "");
            String link = "https://example.org/" + w + "/" + random.nextInt(3);
            out.add(Entry.of(w, link, "", "first " + i));
            out.add(Entry.of(w, link, "", "second " + i));
        }
        java.util.Collections.shuffle(out, random);
        return out;
    }

    @Test
    void spillsRunsAndMergesThemInKeyOrderKeepingTheFirstOfEachDuplicate() throws Exception {
        List<Entry> input = shuffledWithRepeats(3000, 1);

        try (ExternalSorter sorter = new ExternalSorter(dir, TINY)) {
            for (Entry e : input) {
                sorter.add(e);
            }
            List<Entry> out = drain(sorter.sorted());

            assertThat(sorter.spilledRuns()).isGreaterThan(3);
            assertThat(out).containsExactlyElementsOf(firstOfEach(input));
            assertThat(sorter.added()).isEqualTo(input.size());
            assertThat(sorter.duplicates()).isEqualTo(input.size() - out.size());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("runs are deleted on close").isEmpty();
        }
    }

    @Test
    void aLargeBufferIsSortedOnEveryProcessorStablyKeepingTheFirstOfEachDuplicate()
            throws Exception {
        // Over the 32,768 entries sorted on one thread, with keys that share their first 8
        // bytes (compared beyond the number that holds them) and keys shorter than 8.
        List<Entry> input = new ArrayList<>(shuffledWithRepeats(40_000, 7));
        Random random = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            String w = "prefixed" + (random.nextBoolean() ? "" : Trees.word(random));
            input.add(Entry.of(w, "https://example.org/" + random.nextInt(50), "", "n" + i));
        }
        java.util.Collections.shuffle(input, random);

        try (ExternalSorter sorter = new ExternalSorter(dir, 1L << 30)) {
            for (Entry e : input) {
                sorter.add(e);
            }
            List<Entry> out = drain(sorter.sorted());

            assertThat(sorter.spilledRuns()).isZero();
            assertThat(sorter.lastOrder()).isEqualTo("sorted");
            assertThat(out).containsExactlyElementsOf(firstOfEach(input));
            assertThat(sorter.duplicates()).isEqualTo(input.size() - out.size());
        }
    }

    @Test
    void entriesEachWithItsOwnLinkArePackedAsItemsFromTheFirstCheckEvenWithFewKeys()
            throws Exception {
        // 1,000 keys for 70,000 entries: numbers would hold the keys in little memory, but
        // every entry's own target would be an object; items pack them (and ranking would
        // not pay: more targets than a quarter of the entries).
        List<Entry> input = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            input.add(Entry.of("k" + (i * 7919 % 1_000), "https://example.org/" + i, "", ""));
        }
        try (ExternalSorter sorter = new ExternalSorter(dir, 1L << 30);
                ExternalSorter site = new ExternalSorter(dir, 1L << 30)) {
            for (int i = 0; i < input.size(); i++) {
                sorter.add(input.get(i));
                // A site: 70 pages of 1,000 words each.
                site.add(Entry.of("k" + i % 1_000, "https://example.org/p" + i / 1_000, "", ""));
                if (i == (1 << 16) - 2) {
                    assertThat(sorter.holdsNumbers())
                            .as("before the first check")
                            .isTrue();
                }
            }

            assertThat(sorter.holdsNumbers()).isFalse();
            assertThat(site.holdsNumbers()).isTrue();
            assertThat(drain(sorter.sorted())).containsExactlyElementsOf(firstOfEach(input));
            assertThat(drain(site.sorted())).hasSize(input.size());
            assertThat(site.lastOrder()).isEqualTo("ranked");
        }
    }

    @Test
    void recordEntriesKeepTheirScoresInMemoryAndThroughSpilledRuns() throws Exception {
        Random random = new Random(7);
        List<Entry> input = new ArrayList<>();
        for (int page = 0; page < 300; page++) {
            for (int w = 0; w < 20; w++) {
                // Scores of 0 (none) to the limit, one per (word, page).
                int score = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Entry.MAX_SCORE);
                input.add(Entry.record(
                        "w" + random.nextInt(50),
                        "../p/" + page + ".html",
                        Integer.toString(page, 36),
                        score));
            }
        }
        for (long buffer : new long[] {TINY, ExternalSorter.DEFAULT_BUFFER_BYTES}) {
            try (ExternalSorter sorter = new ExternalSorter(dir, buffer)) {
                for (Entry e : input) {
                    sorter.add(e);
                }
                List<Entry> out = drain(sorter.sorted());

                assertThat(sorter.spilledRuns() > 0).isEqualTo(buffer == TINY);
                assertThat(out).containsExactlyElementsOf(firstOfEach(input));
                assertThat(out).extracting(Entry::score).contains(0).anyMatch(s -> s > 1000);
            }
        }
    }

    @Test
    void aSmallInputIsSortedInMemory() throws Exception {
        List<Entry> input = shuffledWithRepeats(50, 2);

        try (ExternalSorter sorter = new ExternalSorter(dir, ExternalSorter.DEFAULT_BUFFER_BYTES)) {
            for (Entry e : input) {
                sorter.add(e);
            }
            List<Entry> out = drain(sorter.sorted());

            assertThat(sorter.spilledRuns()).isZero();
            assertThat(out).containsExactlyElementsOf(firstOfEach(input));
            assertThat(sorter.duplicates()).isEqualTo(input.size() - out.size());
        }
    }

    @Test
    void keysSortInCodePointOrderAcrossRuns() throws Exception {
        String above = new String(Character.toChars(0x1D400));
        List<Entry> input = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            input.add(Entry.of(
                    (i % 2 == 0 ? above : "\uFF21") + i,
                    "https://example.org/" + i,
                    "",
                    "x".repeat(100)));
        }

        try (ExternalSorter sorter = new ExternalSorter(dir, TINY)) {
            for (Entry e : input) {
                sorter.add(e);
            }
            List<Entry> out = drain(sorter.sorted());

            assertThat(sorter.spilledRuns()).isGreaterThan(1);
            assertThat(out.get(0).key()).startsWith("\uFF21");
            assertThat(out.get(out.size() - 1).key()).startsWith(above);
            assertThat(out).isSortedAccordingTo(Entry::compareTo).hasSize(2000);
        }
    }

    /** Pages in turn, each with its words (some repeated) under one link, title and comment. */
    private static List<Entry> pages(int pages, long seed) {
        Random random = new Random(seed);
        List<Entry> out = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            String link = "https://example.org/" + (p % 3 == 0 ? "日本/" : "") + p;
            String title = p % 5 == 0 ? "" : "Page " + p;
            String digest = p % 4 == 0 ? null : "sha256-" + p;
            for (int w = 0; w < 60; w++) {
                out.add(new Entry(
                        Trees.word(random), link, title, "About page " + p, digest, Map.of()));
            }
            if (p % 2 == 0) { // another page with the same tail, later on
                out.add(Entry.of("again", "https://example.org/" + (p / 2), "", "x"));
            }
        }
        return out;
    }

    @Test
    void entriesOfAPageShareTheirTailInMemoryAndSortAsAnyOthers() throws Exception {
        List<Entry> input = pages(200, 3);
        for (long buffer : new long[] {TINY, ExternalSorter.DEFAULT_BUFFER_BYTES}) {
            try (ExternalSorter sorter = new ExternalSorter(dir, buffer)) {
                for (Entry e : input) {
                    sorter.add(e);
                }
                List<Entry> out = drain(sorter.sorted());

                if (buffer == TINY) {
                    assertThat(sorter.spilledRuns()).isGreaterThan(1);
                } else {
                    assertThat(sorter.spilledRuns()).isZero();
                }
                assertThat(out)
                        .as("buffer %d", buffer)
                        .containsExactlyElementsOf(firstOfEach(input));
                assertThat(out)
                        .extracting(Entry::title, Entry::comment, Entry::digest)
                        .containsExactlyElementsOf(firstOfEach(input).stream()
                                .map(e -> org.assertj.core.groups.Tuple.tuple(
                                        e.title(), e.comment(), e.digest()))
                                .toList());
                assertThat(sorter.duplicates()).isEqualTo(input.size() - out.size());
            }
        }
    }

    @Test
    void wordsOfPagesAddedInKeyOrderComeOutAsIfSortedKeepingTheFirstOfEachDuplicate()
            throws Exception {
        for (int wordsPerPage : new int[] {1, 3, 40, 300}) {
            Random random = new Random(wordsPerPage);
            List<Entry> oneByOne = new ArrayList<>();
            try (ExternalSorter inMemory =
                            new ExternalSorter(dir, ExternalSorter.DEFAULT_BUFFER_BYTES);
                    ExternalSorter spilled = new ExternalSorter(dir, TINY)) {
                for (int p = 0; p < 300; p++) {
                    // Links repeat: a later page with the same link and key is a duplicate.
                    Entry like = new Entry(
                            "unused",
                            "https://example.org/" + (p % 120),
                            "T" + p,
                            "page " + p,
                            "sha256-" + p,
                            Map.of());
                    java.util.TreeSet<String> words =
                            new java.util.TreeSet<>(org.distree.model.Keys.ORDER);
                    for (int w = 0; w < 1 + random.nextInt(wordsPerPage); w++) {
                        words.add(Trees.word(random) + (w % 7 == 0 ? "日本" : ""));
                    }
                    for (String w : words) {
                        oneByOne.add(new Entry(
                                w,
                                like.link(),
                                like.title(),
                                like.comment(),
                                like.digest(),
                                Map.of()));
                    }
                    inMemory.addAll(like, words);
                    spilled.addAll(like, words);
                }
                List<Entry> expected = firstOfEach(oneByOne);
                List<Entry> fromMemory = drain(inMemory.sorted());
                List<Entry> fromRuns = drain(spilled.sorted());

                if (wordsPerPage >= 40) { // over 64 KiB of entries
                    assertThat(spilled.spilledRuns()).isGreaterThan(1);
                }
                assertThat(fromMemory)
                        .as("%d words a page", wordsPerPage)
                        .containsExactlyElementsOf(expected)
                        .extracting(Entry::comment)
                        .containsExactlyElementsOf(
                                expected.stream().map(Entry::comment).toList());
                assertThat(fromRuns)
                        .extracting(Entry::comment)
                        .containsExactlyElementsOf(
                                expected.stream().map(Entry::comment).toList());
                assertThat(inMemory.added()).isEqualTo(oneByOne.size());
                assertThat(inMemory.duplicates()).isEqualTo(oneByOne.size() - expected.size());
            }
        }
    }

    @Test
    void wordsOfManyPagesFromASmallVocabularyAreRankedAsIfSorted() throws Exception {
        for (int vocabulary : new int[] {30, 200, 5_000}) {
            Random random = new Random(vocabulary);
            List<String> words = new ArrayList<>();
            for (int w = 0; w < vocabulary; w++) {
                words.add(Trees.word(random) + (w % 7 == 0 ? "日本" : "") + w);
            }
            List<Entry> oneByOne = new ArrayList<>();
            try (ExternalSorter inMemory =
                            new ExternalSorter(dir, ExternalSorter.DEFAULT_BUFFER_BYTES);
                    ExternalSorter spilled = new ExternalSorter(dir, 1 << 20)) {
                for (int p = 0; p < 400; p++) {
                    // Links neither in the order added (p % 97 in decimal sorts 0, 1, 10, 11...)
                    // nor distinct: a later page with the same link and key is a duplicate.
                    Entry like = new Entry(
                            "unused",
                            "https://example.org/" + (p * 31 % 97),
                            "T" + p,
                            "page " + p,
                            "sha256-" + p,
                            Map.of());
                    java.util.Set<String> pageWords =
                            new java.util.TreeSet<>(org.distree.model.Keys.ORDER);
                    for (int w = 0; w < 1 + random.nextInt(40); w++) {
                        pageWords.add(words.get(random.nextInt(vocabulary)));
                    }
                    for (String w : pageWords) {
                        oneByOne.add(like.withKey(w));
                    }
                    // Unsorted words too: ranking does not need a page's words in order.
                    List<String> shuffled = new ArrayList<>(pageWords);
                    java.util.Collections.shuffle(shuffled, random);
                    inMemory.addAll(like, shuffled);
                    spilled.addAll(like, shuffled);
                }
                List<Entry> expected = firstOfEach(oneByOne);
                List<Entry> fromMemory = drain(inMemory.sorted());
                List<Entry> fromRuns = drain(spilled.sorted());

                assertThat(inMemory.lastOrder())
                        .as("%d words", vocabulary)
                        .isEqualTo(vocabulary < 5_000 ? "ranked" : "sorted");
                assertThat(fromMemory)
                        .as("%d words", vocabulary)
                        .containsExactlyElementsOf(expected)
                        .extracting(Entry::comment)
                        .containsExactlyElementsOf(
                                expected.stream().map(Entry::comment).toList());
                assertThat(fromRuns)
                        .extracting(Entry::comment)
                        .containsExactlyElementsOf(
                                expected.stream().map(Entry::comment).toList());
                assertThat(inMemory.duplicates()).isEqualTo(oneByOne.size() - expected.size());
            }
        }
    }

    /**
     * An API reference's first pages are its indexes of every name: 1 word in 3.3 distinct over
     * the first 70,000 entries, then pages that repeat a small vocabulary. Numbered, the 370,000
     * entries fit a 10 MiB buffer (about 7 MB); as items (about 55 bytes an entry) they would
     * not. Until 2026-12-05 the buffer turned into items when 1 key in 4 was distinct at 65,536
     * entries, and spilled.
     */
    @Test
    void aSiteWhoseFirstPagesHoldManyDistinctWordsStaysNumberedAndInMemory() throws Exception {
        Random random = new Random(14);
        List<String> vocabulary = new ArrayList<>();
        for (int w = 0; w < 5_000; w++) {
            vocabulary.add("v" + w);
        }
        List<Entry> oneByOne = new ArrayList<>();
        try (ExternalSorter sorter = new ExternalSorter(dir, 10L << 20)) {
            for (int p = 0; p < 320; p++) {
                Entry like = new Entry(
                        "unused", "https://example.org/" + p, "T" + p, "", "sha256-" + p, Map.of());
                List<String> words = new ArrayList<>();
                if (p < 20) {
                    for (int j = 0; j < 3_500; j++) {
                        words.add("w" + (p * 3_500 + j) % 21_000);
                    }
                } else {
                    java.util.Collections.shuffle(vocabulary, random);
                    words.addAll(vocabulary.subList(0, 1_000));
                }
                for (String w : words) {
                    oneByOne.add(like.withKey(w));
                }
                sorter.addAll(like, words);
            }
            List<Entry> sorted = drain(sorter.sorted());

            assertThat(sorter.spilledRuns()).isZero();
            assertThat(sorter.lastOrder()).isEqualTo("ranked");
            assertThat(sorted).containsExactlyElementsOf(firstOfEach(oneByOne));
        }
    }

    @Test
    void noEntryIsAddedAndNothingSortedAgainOnceSorted() throws Exception {
        try (ExternalSorter sorter = new ExternalSorter(dir, TINY)) {
            sorter.add(Entry.of("a", "https://example.org/a", "", ""));
            assertThat(drain(sorter.sorted())).hasSize(1);

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> sorter.add(Entry.of("b", "https://example.org/b", "", "")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("entries added after sorted()");
            org.assertj.core.api.Assertions.assertThatThrownBy(sorter::sorted)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("sorted() called twice");
        }
    }

    @Test
    void addAllRefusesAnInvalidKey() throws Exception {
        try (ExternalSorter sorter = new ExternalSorter(dir, TINY)) {
            Entry like = Entry.of("a", "https://example.org/", "", "");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> sorter.addAll(like, List.of("ok", "")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void noInputGivesNoOutput() throws Exception {
        try (ExternalSorter sorter = new ExternalSorter(dir, TINY)) {
            assertThat(sorter.sorted().hasNext()).isFalse();
            assertThat(sorter.duplicates()).isZero();
        }
    }
}
