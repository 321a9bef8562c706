package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.ModelArbitraries;
import org.distree.model.Range;
import org.distree.query.Query;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkBuilderTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private BulkBuilder.Result build(Path into, List<Entry> sorted) throws Exception {
        try (NodeStore store = NodeStore.open(into, false)) {
            return new BulkBuilder(store, Budgets.BUILD_FILL, null, T, n -> {})
                    .build(sorted.iterator());
        }
    }

    @Test
    void leavesOfVeryDifferentSizesKeepTheSixteenXRule() throws Exception {
        List<Entry> all = LocalTreeTest.fatThenTiny(400, 1000);

        BulkBuilder.Result result = build(dir, all);

        assertThat(Trees.lint(dir).violations()).isEmpty();
        assertThat(Trees.ruleBreaks(dir)).isEmpty();
        assertThat(result.height()).isGreaterThanOrEqualTo(2);
        assertThat(Trees.all(dir)).containsExactlyElementsOf(all);
        // The files it says it wrote are the files of the tree, the entry page last.
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(dir)) {
            onDisk = files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.startsWith(".distree/"))
                    .sorted()
                    .toList();
        }
        assertThat(result.files())
                .hasSize(result.nodes() + 1)
                .endsWith("index.html")
                .containsExactlyInAnyOrderElementsOf(onDisk);
    }

    /** Every file of a tree under {@code root} (the store's own folder aside), by name. */
    private static java.util.Map<String, byte[]> files(Path root) throws Exception {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (!name.startsWith(".distree/")) {
                    out.put(name, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    @Test
    void theFilesAreTheSameByteForByteOnOneThreadOrMany() throws Exception {
        java.util.Random random = new java.util.Random(18);
        List<Entry> all = new java.util.ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            all.add(Entry.of(
                    Trees.word(random), "https://example.org/" + i, "Page " + i, "words " + i));
        }
        all.sort(null);
        java.util.Map<Integer, java.util.Map<String, byte[]>> byThreads = new java.util.HashMap<>();
        for (int threads : new int[] {1, 3, 16}) {
            Path into = dir.resolve("t" + threads);
            try (NodeStore store = NodeStore.open(into, false)) {
                BulkBuilder builder =
                        new BulkBuilder(store, Budgets.BUILD_FILL, "standard", T, n -> {}, threads);
                assertThat(builder.threads()).isEqualTo(threads);
                builder.build(all.iterator());
            }
            byThreads.put(threads, files(into));
        }

        java.util.Map<String, byte[]> one = byThreads.get(1);
        assertThat(one).hasSizeGreaterThan(100);
        for (int threads : new int[] {3, 16}) {
            java.util.Map<String, byte[]> many = byThreads.get(threads);
            assertThat(many.keySet()).isEqualTo(one.keySet());
            for (String name : one.keySet()) {
                assertThat(many.get(name))
                        .as("%s on %d threads", name, threads)
                        .isEqualTo(one.get(name));
            }
        }
        assertThat(Trees.lint(dir.resolve("t16")).violations()).isEmpty();
    }

    @Test
    void noEntriesBuildAnEmptyLeafRoot() throws Exception {
        BulkBuilder.Result result = build(dir, List.of());

        assertThat(result.height()).isZero();
        assertThat(result.nodes()).isEqualTo(1);
        assertThat(Trees.lint(dir).violations()).isEmpty();
        assertThat(Trees.all(dir)).isEmpty();
    }

    @Test
    void aStoreThatHoldsATreeIsRefused() throws Exception {
        build(dir, List.of(Entry.of("k", "https://example.org/", "", "")));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(dir, List.of()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("already holds a tree");
    }

    /** Entries, then repeats of some of them (same key and link, another comment). */
    record Input(List<Entry> entries, List<Integer> repeats) {
        List<Entry> all() {
            List<Entry> out = new ArrayList<>(entries);
            for (int i = 0; i < repeats.size() && !entries.isEmpty(); i++) {
                Entry e = entries.get(repeats.get(i) % entries.size());
                out.add(
                        Math.min(out.size(), repeats.get(i) % (out.size() + 1)),
                        Entry.of(e.key(), e.link(), "repeat " + i, "later copy " + i));
            }
            return out;
        }

        @Override
        public String toString() {
            return entries.size() + " entries, " + repeats.size() + " repeats";
        }
    }

    @Provide
    Arbitrary<Input> inputs() {
        return ModelArbitraries.keys().list().ofMinSize(1).ofMaxSize(8).flatMap(pool -> {
            Arbitrary<String> key = Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.of(pool)), Tuple.of(4, ModelArbitraries.keys()));
            Arbitrary<Entry> plain = ModelArbitraries.entries(key);
            Arbitrary<Entry> fat = Combinators.combine(
                            key,
                            ModelArbitraries.links(),
                            ModelArbitraries.text(60, 140)
                                    .filter(c -> Keys.utf8Length(c) <= Entry.MAX_COMMENT_BYTES))
                    .as((k, l, c) -> Entry.of(k, l, "", c));
            Arbitrary<List<Entry>> entries = Arbitraries.frequencyOf(
                    Tuple.of(1, plain.list().ofMaxSize(20)),
                    Tuple.of(
                            3,
                            plain.list()
                                    .ofMinSize(200)
                                    .ofMaxSize(2500)
                                    .withSizeDistribution(RandomDistribution.uniform())),
                    Tuple.of(
                            2,
                            fat.list()
                                    .ofMinSize(300)
                                    .ofMaxSize(1500)
                                    .withSizeDistribution(RandomDistribution.uniform())));
            return Combinators.combine(
                            entries,
                            Arbitraries.integers().between(0, 1_000_000).list().ofMaxSize(300))
                    .as(Input::new);
        });
    }

    @Property(tries = 10, edgeCases = EdgeCasesMode.NONE)
    void anyMultisetBuildsACleanTreeOfTheFirstOfEachEntry(@ForAll("inputs") Input input)
            throws Exception {
        List<Entry> all = input.all();
        Path into = Files.createTempDirectory("distree-bulk");
        Path runs = Files.createTempDirectory("distree-runs");
        try {
            BulkBuilder.Result result;
            try (ExternalSorter sorter = new ExternalSorter(runs, 1);
                    NodeStore store = NodeStore.open(into, false)) {
                for (Entry e : all) {
                    sorter.add(e);
                }
                result = new BulkBuilder(store, Budgets.BUILD_FILL, "standard", T, n -> {})
                        .build(sorter.sorted());
                Statistics.label("spilled").collect(sorter.spilledRuns() > 1);
            }
            List<Entry> expected = ExternalSorterTest.firstOfEach(all);

            assertThat(Trees.all(into)).containsExactlyElementsOf(expected);
            assertThat(Trees.ruleBreaks(into)).isEmpty();
            assertThat(Trees.lint(into).violations()).isEmpty();
            assertThat(result.entries()).isEqualTo(expected.size());
            if (!expected.isEmpty()) {
                String key = expected.get(expected.size() / 2).key();
                assertThat(Trees.search(into, Query.exact(key)))
                        .containsExactlyElementsOf(expected.stream()
                                .filter(e -> e.key().equals(key))
                                .toList());
            }
            try (NodeStore store = NodeStore.open(into, false)) {
                assertThat(store.read(store.rootName()).node().analyzer()).isEqualTo("standard");
                assertThat(store.read(store.rootName()).node().range()).isEqualTo(Range.ALL);
            }
            Statistics.label("height").collect(result.height());
        } finally {
            Trees.deleteTree(into);
            Trees.deleteTree(runs);
        }
    }
}
