package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines on real Jetty servers: B's root links A's leaves. A leaf of A that B links is cut
 * in pieces; its file keeps orphan copies of the new pieces, B's link check adopts them, and a
 * search from B finds the keys that moved. After the aging period A's rules job removes the
 * copies, B's link check drops its link to the copy and B's sync links A's new node itself.
 */
class OrphanCopiesIT {
    /**
     * Machines that copy nothing (accept=none), whose link check reads for itself: the link check
     * takes the sync's reading of the machines for its own only within its interval (PROTOCOL.md,
     * link-check), and these tests are about the link check's own reading.
     */
    static final Map<String, String> OWN_CHECKS =
            Map.of("accept", "none", "link-check-interval-ms", "1");

    @TempDir
    Path dir;

    static List<Entry> entries(String machine, int from, int to, int step, int comment) {
        List<Entry> out = new ArrayList<>();
        for (int i = from; i < to; i += step) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "k%05d", i),
                    "https://" + machine + ".example/p" + i,
                    "Page " + i,
                    "a comment that fills leaves ".repeat(comment) + i));
        }
        return out;
    }

    /** The entries a search of the keys of {@code range} from the machine's root finds. */
    static Set<Bound> found(Cluster c, Cluster.Machine m, Range range) {
        return found(search(c, m, range));
    }

    static SearchResult search(Cluster c, Cluster.Machine m, Range range) {
        return c.searcher.search(SearchRequest.range(
                        List.of(m.root()),
                        range.low().key(),
                        range.high() == null ? null : range.high().key())
                .withBudgets(20_000, 256L << 20, Duration.ofSeconds(60)));
    }

    /**
     * True when the search walked a part again from a machine's root other than the one
     * searched: the root of a machine whose node covered less than its link said, or another
     * machine's.
     */
    static boolean askedAnotherRoot(SearchResult r) {
        return r.visits().stream()
                .anyMatch(v ->
                        v.why().startsWith("own root for") || v.why().startsWith("other root for"));
    }

    static Set<Bound> found(SearchResult r) {
        Set<Bound> out = new HashSet<>();
        r.hits().forEach(h -> out.add(h.entry().position()));
        return out;
    }

    static List<ChildRef> remoteChildren(LocalTree tree) throws Exception {
        List<ChildRef> out = new ArrayList<>();
        for (String name : tree.store().nodeNames()) {
            tree.read(name).children().stream()
                    .filter(c -> !Links.isRelative(c.href()))
                    .forEach(out::add);
        }
        return out;
    }

    @Test
    void aLinkedLeafThatSplitsIsFollowedThroughItsOrphanCopyUntilTheCopyAgesOut() throws Exception {
        // B copies no entries (accept=none): it reaches A's keys only through links.
        try (Cluster c = new Cluster(
                dir,
                2,
                0,
                1,
                Map.of(
                        "accept",
                        "none",
                        "link-check-interval-ms",
                        "1",
                        "orphan-aging-ms",
                        String.valueOf(Duration.ofDays(7).toMillis())))) {
            Cluster.Machine a = c.machines.get(0);
            Cluster.Machine b = c.machines.get(1);
            // B's leaves hold few entries each (long comments): a search from B prefers A's
            // fuller nodes where B links them (the larger subtree).
            a.tree.insert(entries("a", 0, 1200, 2, 1));
            b.tree.insert(entries("b", 1, 160, 2, 30));
            assertThat(a.tree.root().height()).isEqualTo(1);
            assertThat(b.tree.root().height()).isEqualTo(1);

            b.maintainer.run(Maintainer.Job.SYNC);
            List<ChildRef> linked = remoteChildren(b.tree);
            assertThat(linked).as("B's root links A's leaves").isNotEmpty();
            ChildRef leafLink = linked.stream()
                    .filter(l -> l.range().low() != null && l.range().high() != null)
                    .findFirst()
                    .orElseThrow();
            String leaf = NodeStore.NODE_DIR + "/"
                    + leafLink.href().substring(leafLink.href().lastIndexOf('/') + 1);
            Range range = a.tree.read(leaf).range();

            // A's leaf that B links takes keys until it is cut in pieces.
            List<Entry> more = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                more.add(Entry.of(
                        range.low().key() + String.format(Locale.ROOT, "-x%03d", i),
                        "https://a.example/x" + i,
                        "",
                        "a new entry that makes the leaf split"));
            }
            a.tree.insert(more);
            NodeFile file = a.tree.store().read(leaf);
            assertThat(file.orphans())
                    .as("the cut leaf keeps copies of the new pieces")
                    .isNotEmpty();
            Node copy = file.orphans().get(0);
            Set<Bound> moved = new HashSet<>();
            copy.entries().forEach(e -> moved.add(e.position()));
            assertThat(moved).isNotEmpty();
            // Before B's link check its links do not reach them: the search finds them only by
            // walking that part again from A's root, the machine whose leaf covers less than
            // B's link says.
            SearchResult before = search(c, b, copy.range());
            assertThat(before.visits())
                    .as("before B's link check")
                    .anySatisfy(v -> assertThat(v.why()).startsWith("own root for"));
            assertThat(found(before)).as("before B's link check").containsAll(moved);

            // B's link check finds the copy in the file it links, and links the node the copy
            // links (the copy is frozen; that node lives on).
            String live = a.base.resolve(NodeStore.NODE_DIR + "/"
                            + copy.id().substring(LocalTree.MOVED.length()) + ".html")
                    .toString();
            b.maintainer.run(Maintainer.Job.LINK_CHECK);
            assertThat(remoteChildren(b.tree)).extracting(ChildRef::href).contains(live);
            SearchResult after = search(c, b, copy.range());
            assertThat(found(after)).as("after B's link check").containsAll(moved);
            assertThat(askedAnotherRoot(after)).as("after B's link check").isFalse();
            assertThat(c.lint(a).violations()).isEmpty();
            assertThat(c.lint(b).violations()).isEmpty();

            // The aging period ends: A's rules job removes the copies.
            Maintainer later = new Maintainer(
                    a.maintainer.config(),
                    a.tree,
                    a.transport,
                    Clock.offset(Clock.systemUTC(), Duration.ofDays(7).plusMinutes(1)));
            JobReport rules = later.run(Maintainer.Job.RULES);
            assertThat(rules.detail()).contains("dropped aged orphan copies").endsWith("clean");
            for (String name : a.tree.store().nodeNames()) {
                assertThat(a.tree.store().read(name).orphans()).as(name).isEmpty();
            }
            b.maintainer.run(Maintainer.Job.LINK_CHECK);
            b.maintainer.run(Maintainer.Job.SYNC);
            assertThat(remoteChildren(b.tree))
                    .extracting(ChildRef::href)
                    .contains(live)
                    .noneMatch(h -> h.contains("#"));
            assertThat(found(c, b, copy.range())).as("after the copy aged out").containsAll(moved);
            assertThat(c.lint(a).violations()).isEmpty();
            assertThat(c.lint(b).violations()).isEmpty();
        }
    }

    @Test
    void copiesThatLinkNoNodeAreLinkedByFragmentWhenTheyKeepTheRules() throws Exception {
        try (Cluster c = new Cluster(dir, 2, 0, 1, OWN_CHECKS)) {
            Cluster.Machine a = c.machines.get(0);
            Cluster.Machine b = c.machines.get(1);
            a.tree.insert(entries("a", 0, 1200, 2, 1));
            b.tree.insert(entries("b", 1, 160, 2, 30));
            b.maintainer.run(Maintainer.Job.SYNC);
            ChildRef leafLink = remoteChildren(b.tree).get(0);
            String leaf = NodeStore.NODE_DIR + "/"
                    + leafLink.href().substring(leafLink.href().lastIndexOf('/') + 1);
            // The leaf shrinks as another implementation might write it: its upper half moves
            // to a copy with no data-moved-to (within the rules), and a second copy is over
            // 10 KB. A's tree is not written after this.
            List<Node> cut = cutInTwo(a.tree.read(leaf));
            Node own = cut.get(0);
            Node theirs = cut.get(1);
            // Over 10 KB, and preferred to the other if it were acceptable (the same range, a
            // larger subtree).
            List<Entry> many = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                many.add(Entry.of(
                        theirs.range().low().key() + String.format(Locale.ROOT, "-z%03d", i),
                        "https://a.example/z" + i,
                        "",
                        "a comment that fills leaves ".repeat(2)));
            }
            Node big = Node.leaf(theirs.range(), many, theirs.updated()).withId("big");
            a.tree.store()
                    .begin()
                    .put(leaf, new NodeFile(own, List.of(theirs, big)))
                    .commit();

            b.maintainer.run(Maintainer.Job.LINK_CHECK);
            assertThat(remoteChildren(b.tree))
                    .extracting(ChildRef::href)
                    .contains(leafLink.href() + "#theirs")
                    .doesNotContain(leafLink.href() + "#big");
            assertThat(c.lint(b).violations()).isEmpty();
        }
    }

    /**
     * A leaf cut in two as another implementation might write it: its lower half, and its upper
     * half as an orphan copy {@code theirs} with no {@code data-moved-to}.
     */
    static List<Node> cutInTwo(Node was) {
        int half = was.entries().size() / 2;
        Bound mid = was.entries().get(half).position();
        Node own = was.withEntries(
                was.entries().subList(0, half), new Range(was.range().low(), mid), was.updated());
        Node theirs = was.withEntries(
                        was.entries().subList(half, was.entries().size()),
                        new Range(mid, was.range().high()),
                        was.updated())
                .withId("theirs");
        return List.of(own, theirs);
    }
}
