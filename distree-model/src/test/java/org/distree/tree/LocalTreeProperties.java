package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.ModelArbitraries;
import org.distree.query.Query;
import org.distree.store.NodeStore;

/**
 * Properties of {@link LocalTree} over random histories of inserts and deletes, checked after
 * every step: the tree holds exactly the entries inserted and not deleted, every file is within
 * 10 KB, every non-root node keeps the 16x rule, heights fall along every link, and the linter
 * finds nothing.
 */
class LocalTreeProperties {
    /** One step of a history. */
    sealed interface Op permits Insert, Delete, DeleteKey, DeleteShare {}

    /** Inserts a batch (or one entry). */
    record Insert(List<Entry> entries) implements Op {
        @Override
        public String toString() {
            return "Insert(" + entries.size() + ": "
                    + (entries.size() > 2 ? entries.subList(0, 2) + "…" : entries) + ")";
        }
    }

    /** Deletes the present entries at these picks (modulo their count) and some absent ones. */
    record Delete(List<Integer> picks, List<Entry> absent) implements Op {}

    /** Deletes every entry of the key of one present entry. */
    record DeleteKey(int pick) implements Op {}

    /** Deletes about this percentage of the present entries, spread over the key space. */
    record DeleteShare(int percent) implements Op {}

    @Property(tries = 25)
    void anyInsertsAndDeletesKeepEveryEntryAndEveryRule(@ForAll("histories") List<Op> ops)
            throws Exception {
        run(ops);
    }

    @Property(tries = 4)
    void tallTreesKeepEveryEntryAndEveryRuleAsTheyGrowAndShrink(
            @ForAll("tallHistories") List<Op> ops) throws Exception {
        run(ops);
    }

    private static void run(List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("distree-prop");
        TreeMap<Bound, Entry> model = new TreeMap<>();
        int tallest = 0;
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            for (Op op : ops) {
                apply(tree, model, op);
                check(dir, tree, model, op);
                tallest = Math.max(tallest, tree.root().height());
            }
        } finally {
            Trees.deleteTree(dir);
        }
        Statistics.label("tallest root").collect(tallest);
    }

    private static void check(Path dir, LocalTree tree, TreeMap<Bound, Entry> model, Op op)
            throws Exception {
        String after = "after " + op;
        assertThat(Trees.all(dir)).as(after).containsExactlyElementsOf(model.values());
        assertThat(Trees.ruleBreaks(dir)).as(after).isEmpty();
        assertThat(Trees.lint(tree).violations()).as(after).isEmpty();
        if (model.isEmpty()) {
            return;
        }
        // The key with most entries (it may span leaves) and a key from the middle.
        String heavy = model.values().stream()
                .collect(Collectors.groupingBy(Entry::key, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String middle = new ArrayList<>(model.values()).get(model.size() / 2).key();
        for (String key : List.of(heavy, middle)) {
            assertThat(Trees.search(dir, Query.exact(key))).as("%s: exact '%s'", after, key)
                    .containsExactlyElementsOf(model.values().stream()
                            .filter(e -> e.key().equals(key)).toList());
            String prefix = key.substring(0, key.offsetByCodePoints(0, 1));
            assertThat(Trees.search(dir, Query.prefix(prefix))).as("%s: prefix '%s'", after, prefix)
                    .containsExactlyElementsOf(model.values().stream()
                            .filter(e -> e.key().startsWith(prefix)).toList());
        }
    }

    private static void apply(LocalTree tree, TreeMap<Bound, Entry> model, Op op)
            throws Exception {
        List<Entry> present = new ArrayList<>(model.values());
        List<Bound> positions = new ArrayList<>();
        if (op instanceof Insert insert) {
            tree.insert(insert.entries());
            for (Entry e : insert.entries()) {
                model.put(e.position(), e);
            }
            return;
        } else if (op instanceof Delete delete) {
            for (int pick : delete.picks()) {
                if (!present.isEmpty()) {
                    positions.add(present.get(pick % present.size()).position());
                }
            }
            for (Entry e : delete.absent()) {
                if (!model.containsKey(e.position())) {
                    positions.add(e.position());
                }
            }
        } else if (op instanceof DeleteKey deleteKey) {
            if (!present.isEmpty()) {
                String key = present.get(deleteKey.pick() % present.size()).key();
                present.stream().filter(e -> e.key().equals(key)).map(Entry::position)
                        .forEach(positions::add);
            }
        } else if (op instanceof DeleteShare share) {
            for (int i = 0; i < present.size(); i++) {
                if (Math.floorMod(i * 7919, 100) < share.percent()) {
                    positions.add(present.get(i).position());
                }
            }
        }
        tree.delete(positions);
        for (Bound b : positions) {
            model.remove(b);
        }
    }

    /** Entries whose keys come from {@code pool} now and then, so that keys repeat. */
    private static Arbitrary<Entry> entries(List<String> pool) {
        return ModelArbitraries.entries(Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(pool)),
                Tuple.of(3, ModelArbitraries.keys())));
    }

    /** Entries with long comments: a dozen fill a leaf, so trees grow tall quickly. */
    private static Arbitrary<Entry> fatEntries(List<String> pool) {
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(pool)),
                Tuple.of(6, ModelArbitraries.keys()));
        return Combinators.combine(key, ModelArbitraries.links(),
                        ModelArbitraries.text(60, 140)
                                .filter(c -> Keys.utf8Length(c) <= Entry.MAX_COMMENT_BYTES))
                .as((k, l, c) -> Entry.of(k, l, "", c));
    }

    private static Arbitrary<Op> steps(List<String> pool) {
        Arbitrary<Entry> entry = entries(pool);
        Arbitrary<Op> batch = Arbitraries.frequencyOf(
                        Tuple.of(3, entry.list().ofMinSize(1).ofMaxSize(150)),
                        Tuple.of(1, entry.list().ofMinSize(150).ofMaxSize(800)
                                .withSizeDistribution(RandomDistribution.uniform())))
                .map(Insert::new);
        Arbitrary<Op> fat = fatEntries(pool).list().ofMinSize(100).ofMaxSize(500)
                .withSizeDistribution(RandomDistribution.uniform()).map(Insert::new);
        Arbitrary<Op> single = entry.map(e -> new Insert(List.of(e)));
        // Many entries of one key, so that the key spans leaves and bounds get a link part.
        Arbitrary<Op> heavy = Combinators.combine(Arbitraries.of(pool),
                        ModelArbitraries.links().list().ofMinSize(40).ofMaxSize(300)
                                .withSizeDistribution(RandomDistribution.uniform()),
                        ModelArbitraries.comments())
                .as((k, links, comment) -> new Insert(links.stream()
                        .map(l -> Entry.of(k, l, "", comment)).toList()));
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Op> delete = Combinators.combine(pick.list().ofMinSize(1).ofMaxSize(200),
                entry.list().ofMaxSize(3)).as(Delete::new);
        Arbitrary<Op> deleteOne = pick.map(p -> new Delete(List.of(p), List.of()));
        Arbitrary<Op> deleteKey = pick.map(DeleteKey::new);
        Arbitrary<Op> deleteShare = Arbitraries.integers().between(30, 100).map(DeleteShare::new);
        return Arbitraries.frequencyOf(
                Tuple.of(5, batch), Tuple.of(2, fat), Tuple.of(3, single), Tuple.of(2, heavy),
                Tuple.of(2, delete), Tuple.of(2, deleteOne), Tuple.of(1, deleteKey),
                Tuple.of(1, deleteShare));
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        return ModelArbitraries.keys().list().ofMinSize(2).ofMaxSize(10)
                .flatMap(pool -> steps(pool).list().ofMinSize(1).ofMaxSize(14));
    }

    /** A load of 1,500 to 3,000 long entries (height 2 or more), then steps, then shrinking. */
    @Provide
    Arbitrary<List<Op>> tallHistories() {
        return ModelArbitraries.keys().list().ofMinSize(2).ofMaxSize(10).flatMap(pool ->
                Combinators.combine(
                        fatEntries(pool).list().ofMinSize(1500).ofMaxSize(3000)
                                .withSizeDistribution(RandomDistribution.uniform()),
                        steps(pool).list().ofMinSize(2).ofMaxSize(8),
                        Arbitraries.integers().between(60, 100).list().ofMinSize(1)
                                .ofMaxSize(3))
                .as((load, middle, shares) -> {
                    List<Op> ops = new ArrayList<>();
                    ops.add(new Insert(load));
                    ops.addAll(middle);
                    shares.forEach(p -> ops.add(new DeleteShare(p)));
                    return ops;
                }));
    }
}
