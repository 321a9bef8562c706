package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.distree.maintain.internal.LocalNodes;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.distree.tree.Trees;

/**
 * Any interleaving of inserts (which split leaves, leaving orphan copies, and grow roots),
 * deletes of own entries, submissions, syncs, link checks and rule runs (also after the orphan
 * copies' aging period) on three machines, over an in-memory network with machines going down
 * and up, loses no entry and keeps every rule, with an unlimited and with a small copy budget.
 */
class MaintenanceInterleavingTest {
    enum Kind {
        INSERT,
        DELETE,
        SYNC,
        SUBMIT,
        LINK_CHECK,
        RULES,
        AGED_RULES,
        DOWN,
        UP
    }

    record Step(Kind kind, int machine, int count) {}

    @Provide
    Arbitrary<Step> step() {
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(1, 120))
                .as(Step::new);
    }

    @Property(tries = 1000)
    void anyInterleavingLosesNoEntryAndKeepsEveryRule(
            @ForAll @Size(max = 14) List<@net.jqwik.api.From("step") Step> steps,
            @ForAll boolean smallBudget,
            @ForAll long seed)
            throws Exception {
        Path dir = Files.createTempDirectory("distree-prop");
        MemoryNet net = new MemoryNet();
        List<LocalTree> trees = new ArrayList<>();
        List<Maintainer> maintainers = new ArrayList<>();
        List<Maintainer> aged = new ArrayList<>();
        List<Set<Bound>> own = new ArrayList<>();
        Random random = new Random(seed);
        try {
            for (int i = 0; i < 3; i++) {
                Path data = dir.resolve("m" + i);
                LocalTree tree = LocalTree.open(NodeStore.open(data, false), Clock.systemUTC());
                trees.add(tree);
                net.hosts.put(
                        Links.origin(URI.create("http://m" + i + ".test:80/")),
                        new MemoryNet.Host(data, tree));
                MaintainerConfig config = MaintainerConfig.of(
                        data,
                        Map.of(
                                "base-url",
                                "http://m" + i + ".test:80/",
                                "peers",
                                "http://m" + ((i + 1) % 3) + ".test:80/index.html",
                                "per-host-interval-ms",
                                "0",
                                "dead-after-ms",
                                "0",
                                "copy-budget",
                                smallBudget ? "20" : "-1"));
                maintainers.add(new Maintainer(config, tree, net.transport(), Clock.systemUTC()));
                aged.add(new Maintainer(
                        config,
                        tree,
                        net.transport(),
                        Clock.offset(Clock.systemUTC(), config.orphanAging().plusMinutes(1))));
                own.add(new HashSet<>());
                // A leaf that already holds entries when the steps start: the first insert
                // into it cuts a file others may link, which then keeps orphan copies.
                List<Entry> first = new ArrayList<>();
                for (int k = 0; k < 50; k++) {
                    Entry e = Trees.entry(random);
                    first.add(Entry.of(e.key(), e.link() + "/m" + i, "", e.comment()));
                }
                tree.insert(first);
                first.forEach(e -> own.get(own.size() - 1).add(e.position()));
            }
            for (Step s : steps) {
                Maintainer m = maintainers.get(s.machine());
                switch (s.kind()) {
                    case INSERT -> {
                        List<Entry> batch = new ArrayList<>();
                        for (int k = 0; k < s.count(); k++) {
                            Entry e = Trees.entry(random);
                            batch.add(Entry.of(
                                    e.key(), e.link() + "/m" + s.machine(), "", e.comment()));
                        }
                        trees.get(s.machine()).insert(batch);
                        batch.forEach(e -> own.get(s.machine()).add(e.position()));
                    }
                    case DELETE -> {
                        List<Bound> mine = new ArrayList<>(own.get(s.machine()));
                        java.util.Collections.shuffle(mine, random);
                        List<Bound> gone = mine.subList(0, Math.min(mine.size(), s.count() / 4));
                        trees.get(s.machine()).delete(gone);
                        own.get(s.machine()).removeAll(new ArrayList<>(gone));
                    }
                    case SYNC -> m.run(Maintainer.Job.SYNC);
                    case SUBMIT -> m.run(Maintainer.Job.SUBMIT);
                    case LINK_CHECK -> m.run(Maintainer.Job.LINK_CHECK);
                    case RULES -> m.run(Maintainer.Job.RULES);
                    case AGED_RULES -> {
                        boolean copies = false;
                        for (String name : trees.get(s.machine()).store().nodeNames()) {
                            copies |= !trees.get(s.machine())
                                    .store()
                                    .read(name)
                                    .orphans()
                                    .isEmpty();
                        }
                        Statistics.label("orphan copies to age out").collect(copies);
                        aged.get(s.machine()).run(Maintainer.Job.RULES);
                        for (String name : trees.get(s.machine()).store().nodeNames()) {
                            assertThat(trees.get(s.machine()).store().read(name).orphans())
                                    .as("copies after the aging period")
                                    .isEmpty();
                        }
                    }
                    case DOWN -> net.down.put("http://m" + s.machine() + ".test:80", true);
                    case UP -> net.down.remove("http://m" + s.machine() + ".test:80");
                }
            }
            for (int i = 0; i < 3; i++) {
                LocalTree tree = trees.get(i);
                Set<Bound> held = new HashSet<>();
                for (LocalNodes.Local l : LocalNodes.list(tree)) {
                    l.node().entries().forEach(e -> held.add(e.position()));
                }
                assertThat(held).as("machine %d keeps its own entries", i).containsAll(own.get(i));
                assertThat(Trees.lint(tree).violations())
                        .as("lint of machine %d", i)
                        .isEmpty();
                for (String name : tree.store().nodeNames()) {
                    assertThat(tree.store().read(name).orphans())
                            .as("copies in %s", name)
                            .hasSizeLessThanOrEqualTo(LocalTree.MAX_ORPHANS);
                }
            }
        } finally {
            for (LocalTree t : trees) {
                t.close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
