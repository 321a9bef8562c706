package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.maintain.transport.Transport;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.query.NodeSource;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring's walk over real trees on disk, served by a transport that answers conditional
 * requests by ETag as a web server does: it reads one machine's own files only, and of them only
 * what meets the ranges held; it never follows a link to another machine.
 */
class RingWalkTest {
    @TempDir
    Path dir;

    /** Serves trees by host, with an ETag per file (SHA-256 of its bytes). */
    static final class Served implements Transport {
        final Map<String, LocalTree> trees = new HashMap<>();
        final List<URI> asked = new ArrayList<>();
        final AtomicInteger notModified = new AtomicInteger();
        /** Files served in place of the tree's, by URL. */
        final Map<URI, byte[]> overrides = new HashMap<>();

        private byte[] bytes(URI url) throws IOException {
            byte[] over = overrides.get(url);
            if (over != null) {
                return over;
            }
            LocalTree tree = trees.get(url.getHost());
            if (tree == null) {
                throw new NodeFetchException(url.toString(), 0, "connection refused", true);
            }
            try {
                return tree.store().readBytes(url.getPath().substring(1));
            } catch (NoSuchFileException e) {
                throw new NodeFetchException(url.toString(), 404, "not found");
            }
        }

        @Override
        public synchronized NodeSource.Fetched fetch(URI url)
                throws IOException, NodeFormatException {
            asked.add(url);
            byte[] b = bytes(url);
            return new NodeSource.Fetched(url, NodeReader.read(b, url.toString()), b.length);
        }

        @Override
        public synchronized Revalidated fetchIfChanged(URI url, Validators known)
                throws IOException, NodeFormatException {
            asked.add(url);
            byte[] b = bytes(url);
            String etag = etag(b);
            if (etag.equals(known.etag())) {
                notModified.incrementAndGet();
                return new Revalidated(null, known);
            }
            return new Revalidated(
                    new NodeSource.Fetched(url, NodeReader.read(b, url.toString()), b.length),
                    new Validators(etag, null));
        }

        @Override
        public void submit(URI origin, List<URI> nodes) throws IOException {
            throw new IOException("not in this test");
        }

        @Override
        public void close() {}
    }

    static String etag(byte[] b) {
        try {
            return "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(b)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Entry> words(String machine, int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.of(
                    String.format(Locale.ROOT, "word%04d", i),
                    "https://e.org/" + machine + "/" + i,
                    "Page " + i,
                    "a comment long enough to fill the leaves of the tree sooner"));
        }
        return out;
    }

    static Fetches fetches(Transport t) {
        return new Fetches(
                t, new Fetches.HostClock(Duration.ZERO), 1000, new AtomicLong(), new AtomicLong());
    }

    static final URI ROOT = URI.create("http://b.test/" + NodeStore.INDEX);

    @Test
    void readsOneMachinesOwnFilesWhereTheyMeetTheRangesHeldAndHearsOfTheOthers() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 600));
            // b's root also links a node of c.test, which the walk must not read.
            ChildRef remote = new ChildRef(
                    "http://c.test/n/1.html",
                    new Range(Bound.of("word0300"), Bound.of("word0310")),
                    0,
                    10,
                    Instant.now(),
                    Status.OK,
                    Map.of());
            b.setRouting(List.of(remote), List.of());
            b.setRootAttribute(
                    org.distree.model.Node.PLACES,
                    Ring.encode(List.of(Bound.of("word0100"), Bound.of("word0400"))));
            Served net = new Served();
            net.trees.put("b.test", b);
            List<Range> held = List.of(new Range(Bound.of("word0100"), Bound.of("word0150")));

            RingWalk.Cache cache = new RingWalk.Cache(100);
            RingWalk.Result r = RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, held);

            // Of c.test, heard of here for the first time, only the root is asked for (it is
            // not served here).
            assertThat(net.asked)
                    .filteredOn(u -> u.getHost().equals("c.test"))
                    .containsExactly(URI.create("http://c.test/" + NodeStore.INDEX));
            assertThat(r.heard()).containsExactly("http://c.test");
            assertThat(r.roots()).containsOnlyKeys("http://b.test");
            assertThat(Ring.decode(r.places().get("http://b.test")))
                    .containsExactly(Bound.of("word0100"), Bound.of("word0400"));
            List<Node> leaves = r.seen().stream()
                    .map(RemoteWalk.Seen::node)
                    .filter(Node::isLeaf)
                    .toList();
            assertThat(leaves).isNotEmpty().allMatch(n -> Ring.meets(held, n.range()));
            // Every leaf of b is known by its item, read or not: routing candidates.
            long bLeaves = b.store().nodeNames().stream()
                    .filter(n -> {
                        try {
                            return b.read(n).isLeaf();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .count();
            assertThat(bLeaves).isGreaterThan(leaves.size());
            assertThat(r.linked())
                    .hasSize((int) bLeaves)
                    .allMatch(l -> l.url().getHost().equals("b.test"));

            // Again with the same cache: the entry page is read whole (it names the root), the
            // root answers 304, and the files below are not asked for: the items that link them
            // carry the sums of the copies kept.
            int before = net.notModified.get();
            int askedBefore = net.asked.size();
            Fetches again = fetches(net);
            RingWalk.Result second = RingWalk.walk(again, cache, List.of(ROOT), u -> false, held);
            assertThat(second.seen()).hasSameSizeAs(r.seen());
            assertThat(second.linked()).hasSameSizeAs(r.linked());
            assertThat(net.notModified.get() - before).isEqualTo(1);
            assertThat(net.asked.subList(askedBefore, net.asked.size()))
                    .filteredOn(u -> u.getHost().equals("b.test"))
                    .hasSize(2);
            assertThat(cache.unasked()).isEqualTo(second.seen().size() - 1);
            assertThat(again.bytes()).isLessThan(1000);

            // One entry more, in a leaf the walk reads: only the files on its path are asked for
            // again, and the walk sees the entry.
            Entry added = Entry.of("word0120a", "https://e.org/b/new", "New", "added");
            b.insert(List.of(added));
            int askedThird = net.asked.size();
            RingWalk.Result third =
                    RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, held);
            assertThat(third.seen())
                    .anyMatch(s -> s.node().isLeaf() && s.node().entries().contains(added));
            assertThat(net.asked.subList(askedThird, net.asked.size()))
                    .filteredOn(u -> u.getHost().equals("b.test"))
                    .hasSizeBetween(3, 1 + b.root().height() + 1);

            // With no ranges known yet (a first run), the whole tree is read.
            RingWalk.Result all = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(100), List.of(ROOT), u -> false, null);
            assertThat(all.seen().stream().filter(s -> s.node().isLeaf())).hasSize((int) bLeaves);
        }
    }

    /**
     * A file keeps orphan copies of the pieces that moved out of it (for readers in the middle
     * of a walk); a copy's items link the children it had then, which the tree renames as it
     * goes on. The walk reads the copies but takes routing candidates only from the nodes its
     * machine's tree links now: in a simulated dense ring, copies' items put links to files long
     * gone into every machine's routing, and a range search from most roots missed 1% to 4% of
     * the entries.
     */
    @Test
    void routingCandidatesComeFromTheTreeAsItIsNotFromOrphanCopies() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            List<Entry> all = words("b", 600);
            b.insert(all);
            Node root = b.root();
            assertThat(root.isLeaf()).isFalse();
            // The root's file as it would be after a cut: with a copy of a moved piece whose
            // item links a leaf the tree has since renamed.
            ChildRef gone = new ChildRef(
                    "gone.html",
                    root.children().get(0).range(),
                    0,
                    40,
                    Instant.now(),
                    Status.OK,
                    Map.of());
            Node copy = Node.internal(1, gone.range(), 40, List.of(gone), Instant.now())
                    .withId("moved-1");
            Served net = withCopy(b, copy);

            RingWalk.Result r = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(1000), List.of(ROOT), u -> false, null);

            assertThat(r.seen()).anyMatch(s -> "moved-1".equals(s.node().id()));
            assertThat(r.linked())
                    .isNotEmpty()
                    .noneMatch(l -> l.url().getPath().endsWith("/gone.html"));
        }
    }

    /**
     * An orphan copy links the children its node had when it moved: some renamed since (gone),
     * some the tree still links. Each was asked every run, from the copy's item, whose sum is
     * not the file's (at a steady ring of 50 dense machines, 125 requests a machine a run, 40
     * of them {@code 404}s). The tree's links are read first, with their sums; a copy's child
     * only when no tree read links it, and a gone one not again for a while.
     */
    @Test
    void anOrphanCopysChildrenAreAskedOnlyWhereTheTreeDoesNotLinkThemAndNotAgainWhenGone()
            throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 600));
            Node root = b.root();
            ChildRef kept = root.children().get(0);
            assertThat(kept.sum()).as("the tree's item carries the child's sum").isNotNull();
            ChildRef gone = new ChildRef(
                    "gone.html", kept.range(), 0, 40, Instant.now(), Status.OK, Map.of());
            ChildRef stale = new ChildRef(
                    kept.href(), kept.range(), 0, 40, Instant.now(), Status.OK, Map.of());
            Node copy = Node.internal(1, kept.range(), 80, List.of(stale, gone), Instant.now())
                    .withId("moved-1");
            Served net = withCopy(b, copy);
            URI rootFile = URI.create("http://b.test/" + b.rootName());
            URI goneFile = rootFile.resolve("gone.html");
            URI keptFile = rootFile.resolve(kept.href());
            RingWalk.Cache cache = new RingWalk.Cache(1000);

            RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, null);
            assertThat(net.asked).containsOnlyOnce(goneFile, keptFile);

            net.asked.clear();
            RingWalk.Result second =
                    RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, null);
            assertThat(net.asked)
                    .as("the kept child's sum is the tree's; the gone one is not asked again")
                    .doesNotContain(goneFile, keptFile)
                    .contains(rootFile);
            assertThat(second.seen()).anyMatch(s -> "moved-1".equals(s.node().id()));
        }
    }

    /**
     * Serves machine b's tree with its root's file holding {@code copy} as an orphan copy, as
     * the file is after a cut.
     */
    private static Served withCopy(LocalTree b, Node copy) throws java.io.IOException {
        Served net = new Served();
        net.trees.put("b.test", b);
        net.overrides.put(
                URI.create("http://b.test/" + b.rootName()),
                org.distree.html.NodeWriter.write(
                        new org.distree.model.NodeFile(b.root(), List.of(copy))));
        return net;
    }

    /** A remote leaf item on {@code host}, over {@code [low, high)}. */
    private static ChildRef remoteLeaf(String host, String low, String high) {
        return new ChildRef(
                "http://" + host + "/n/1.html",
                new Range(
                        low.isEmpty() ? null : Bound.of(low),
                        high.isEmpty() ? null : Bound.of(high)),
                0,
                10,
                Instant.now(),
                Status.OK,
                Map.of());
    }

    @Test
    void routingIsReadOnlyOfMachinesThatSeeAnotherRingAndChangedSinceLastRead() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 20));
            List<ChildRef> far = List.of(
                    remoteLeaf("c.test", "", "word0300"), remoteLeaf("d.test", "word0300", ""));
            Node routing = Node.internal(1, Range.ALL, 20, far, Instant.now());
            b.setRouting(List.of(), List.of(routing));
            b.setRootAttribute(Node.RING, "00000000000000aa");
            Served net = new Served();
            net.trees.put("b.test", b);
            List<Range> held = List.of(new Range(Bound.of("word0000"), Bound.of("word0010")));
            RingWalk.Cache cache = new RingWalk.Cache(100);

            // The same ring: b's routing names no machine this one does not know.
            RingWalk.Result same = RingWalk.walk(
                    fetches(net),
                    cache,
                    List.of(ROOT),
                    u -> false,
                    held,
                    new RingWalk.Explore("00000000000000aa", 2, 1));
            assertThat(same.seen()).noneMatch(s -> s.node().routing());
            assertThat(same.heard()).isEmpty();

            // Another ring: b's routing is read, and names c and d.
            RingWalk.Explore other = new RingWalk.Explore("00000000000000bb", 2, 1);
            RingWalk.Result read =
                    RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, held, other);
            assertThat(read.seen()).anyMatch(s -> s.node().routing());
            assertThat(read.heard()).contains("http://c.test", "http://d.test");

            // Again, b unchanged: nothing new to learn, its routing is not read again.
            RingWalk.Result again =
                    RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, held, other);
            assertThat(again.seen()).noneMatch(s -> s.node().routing());

            // b's root changes (its ring): read once more.
            b.setRootAttribute(Node.RING, "00000000000000cc");
            RingWalk.Result changed =
                    RingWalk.walk(fetches(net), cache, List.of(ROOT), u -> false, held, other);
            assertThat(changed.seen()).anyMatch(s -> s.node().routing());

            // No more than `most` machines' routing a run.
            b.setRootAttribute(Node.RING, "00000000000000dd");
            RingWalk.Result none = RingWalk.walk(
                    fetches(net),
                    cache,
                    List.of(ROOT),
                    u -> false,
                    held,
                    new RingWalk.Explore("00000000000000bb", 0, 1));
            assertThat(none.seen()).noneMatch(s -> s.node().routing());
        }
    }

    @Test
    void aMachineFirstHeardOfInTheRunHasItsRootReadInIt() throws Exception {
        try (LocalTree b =
                        LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC());
                LocalTree c = LocalTree.open(
                        NodeStore.open(dir.resolve("c"), false), Clock.systemUTC())) {
            b.insert(words("b", 20));
            c.insert(words("c", 20));
            c.setRootAttribute(
                    org.distree.model.Node.PLACES, Ring.encode(List.of(Bound.of("word0005"))));
            // b links c's only leaf (its root): the walk from b alone hears of c.
            b.setRouting(
                    List.of(ChildRef.local(
                            "http://c.test/n/" + c.rootName().substring(2),
                            c.root(),
                            Instant.now())),
                    List.of());
            Served net = new Served();
            net.trees.put("b.test", b);
            net.trees.put("c.test", c);

            RingWalk.Result r = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(100), List.of(ROOT), u -> false, null);

            assertThat(r.roots()).containsOnlyKeys("http://b.test", "http://c.test");
            assertThat(Ring.decode(r.places().get("http://c.test")))
                    .containsExactly(Bound.of("word0005"));
            assertThat(r.heard()).containsExactly("http://c.test");
            // Read once, from its root page; the link in b's root is not followed.
            assertThat(net.asked)
                    .filteredOn(u -> u.getHost().equals("c.test"))
                    .contains(URI.create("http://c.test/" + NodeStore.INDEX))
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void machinesFirstHeardOfDoNotMakeTheWalkIncompleteWhenTheBudgetEndsOnThem() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 20));
            // b's root names 50 machines that do not answer (a liar's list, or dead ones).
            List<ChildRef> named = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                named.add(new ChildRef(
                        "http://x" + i + ".test/n/1.html",
                        new Range(
                                Bound.of(String.format(Locale.ROOT, "word%04d", i)),
                                Bound.of(String.format(Locale.ROOT, "word%04d", i + 1))),
                        0,
                        1,
                        Instant.now(),
                        Status.OK,
                        Map.of()));
            }
            b.setRouting(named, List.of());
            Served net = new Served();
            net.trees.put("b.test", b);
            // Enough for b's entry page and files, and 5 of the 50.
            int budget = b.store().nodeNames().size() + 1 + 5;
            Fetches few = new Fetches(
                    net,
                    new Fetches.HostClock(Duration.ZERO),
                    budget,
                    new AtomicLong(),
                    new AtomicLong());

            RingWalk.Result r =
                    RingWalk.walk(few, new RingWalk.Cache(100), List.of(ROOT), u -> false, null);

            assertThat(r.complete()).isTrue();
            assertThat(r.roots()).containsOnlyKeys("http://b.test");
            assertThat(r.heard()).hasSize(50);
            assertThat(net.asked).filteredOn(u -> u.getHost().startsWith("x")).hasSize(5);

            // Starting from those 50 as known machines, the same budget leaves the walk
            // incomplete: b's own files are not all read.
            List<URI> starts = new ArrayList<>();
            named.forEach(c -> starts.add(
                    URI.create(Links.origin(URI.create(c.href())) + "/" + NodeStore.INDEX)));
            starts.add(ROOT);
            Fetches again = new Fetches(
                    net,
                    new Fetches.HostClock(Duration.ZERO),
                    budget,
                    new AtomicLong(),
                    new AtomicLong());
            assertThat(RingWalk.walk(again, new RingWalk.Cache(100), starts, u -> false, null)
                            .complete())
                    .isFalse();
        }
    }

    @Test
    void aMachineThatIsDownIsSkippedAndTheCacheForgetsNothingItCouldNotRead() throws Exception {
        Served net = new Served();
        RingWalk.Cache cache = new RingWalk.Cache(4);
        RingWalk.Result r = RingWalk.walk(
                fetches(net),
                cache,
                List.of(URI.create("http://down.test/" + NodeStore.INDEX)),
                u -> false,
                null);
        assertThat(r.seen()).isEmpty();
        assertThat(r.roots()).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(net.asked).containsExactly(URI.create("http://down.test/" + NodeStore.INDEX));
    }

    /**
     * The root recorded for a machine moved: its leaf root grew a level, and the old file is a
     * leaf now (PartitionIT: a machine read while its root was a leaf fell off the others' rings
     * for good, and their searches missed its entries). The walk reads the machine's entry page
     * and records its root again; a start that is still the root costs no such read.
     */
    @Test
    void aStartThatIsNoLongerItsMachinesRootHasTheEntryPageRead() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 5));
            b.setRootAttribute(Node.PLACES, Ring.encode(List.of(Bound.of("word0003"))));
            URI recorded = URI.create("http://b.test/" + b.rootName());
            b.insert(words("b", 400));
            assertThat(b.root().height()).as("the root grew").isPositive();
            URI now = URI.create("http://b.test/" + b.rootName());
            assertThat(now).isNotEqualTo(recorded);
            Served net = new Served();
            net.trees.put("b.test", b);

            RingWalk.Result r = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(100), List.of(recorded), u -> false, null);

            assertThat(r.roots()).containsEntry("http://b.test", now);
            assertThat(Ring.decode(r.places().get("http://b.test")))
                    .containsExactly(Bound.of("word0003"));
            assertThat(net.asked)
                    .containsSubsequence(recorded, URI.create("http://b.test/" + NodeStore.INDEX))
                    .doesNotHaveDuplicates();

            net.asked.clear();
            RingWalk.Result again = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(100), List.of(now), u -> false, null);
            assertThat(again.roots()).containsEntry("http://b.test", now);
            assertThat(net.asked).doesNotContain(URI.create("http://b.test/" + NodeStore.INDEX));
        }
    }

    @Test
    void aStartThatIsGoneHasTheEntryPageRead() throws Exception {
        try (LocalTree b =
                LocalTree.open(NodeStore.open(dir.resolve("b"), false), Clock.systemUTC())) {
            b.insert(words("b", 20));
            Served net = new Served();
            net.trees.put("b.test", b);
            URI gone = URI.create("http://b.test/n/gone.html");

            RingWalk.Result r = RingWalk.walk(
                    fetches(net), new RingWalk.Cache(100), List.of(gone), u -> false, null);

            assertThat(r.roots())
                    .containsEntry("http://b.test", URI.create("http://b.test/" + b.rootName()));
        }
    }
}
