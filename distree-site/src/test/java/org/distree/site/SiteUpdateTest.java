package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Updates of a built site: what they rewrite, and how their changes are applied. */
class SiteUpdateTest {
    @TempDir
    Path tmp;

    /** The names of files added, changed or deleted between two snapshots. */
    private static Set<String> changed(Map<String, byte[]> before, Map<String, byte[]> after) {
        Set<String> out = new TreeSet<>();
        for (String name : after.keySet()) {
            if (!before.containsKey(name)
                    || !java.util.Arrays.equals(before.get(name), after.get(name))) {
                out.add(name);
            }
        }
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private SiteIndexer.Update update(Path site, Path out) throws Exception {
        Path sort = Files.createDirectories(tmp.resolve("sort-" + System.nanoTime()));
        try (org.distree.tree.LocalTree tree = org.distree.tree.LocalTree.open(out)) {
            return Sites.indexer(site, "standard-parts").update(tree, sort, 1 << 20);
        }
    }

    @Test
    void changesAppliedInSmallBatchesLeaveTheSameEntriesAsOneTransaction() throws Exception {
        java.util.List<org.distree.model.Entry> start = new java.util.ArrayList<>();
        java.util.List<org.distree.model.Entry> adds = new java.util.ArrayList<>();
        java.util.List<org.distree.model.Bound> removes = new java.util.ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 2000; i++) {
            org.distree.model.Entry e = org.distree.model.Entry.of(
                    String.format(Locale.ROOT, "w%04d", random.nextInt(5000)),
                    "https://e.org/p" + i,
                    "Page " + i,
                    "a snippet of page " + i);
            start.add(e);
            if (i % 3 == 0) {
                removes.add(e.position());
            }
        }
        for (int i = 0; i < 700; i++) {
            adds.add(org.distree.model.Entry.of(
                    String.format(Locale.ROOT, "w%04d", random.nextInt(5000)),
                    "https://e.org/new" + i,
                    "New " + i,
                    "another snippet " + i));
        }
        adds.sort(java.util.Comparator.comparing(org.distree.model.Entry::position));
        removes.sort(null);
        java.util.Set<org.distree.model.Entry> expected = new java.util.TreeSet<>(start);
        expected.removeIf(e -> removes.contains(e.position()));
        expected.addAll(adds);
        for (int batch : new int[] {7, 20_000}) {
            Path dir = tmp.resolve("batch-" + batch);
            java.util.Set<org.distree.model.Entry> found = new java.util.TreeSet<>();
            try (org.distree.tree.LocalTree tree = org.distree.tree.LocalTree.open(dir)) {
                tree.insert(start);
                SiteUpdate.applyInBatches(tree, adds, removes, batch);
                for (String name : tree.store().nodeNames()) {
                    found.addAll(tree.store().read(name).node().entries());
                }
                assertThat(org.distree.rules.Linter.lintFolder(
                                        new org.distree.query.FileSource(),
                                        dir,
                                        tree.store().nodeNames())
                                .violations())
                        .as("batch " + batch)
                        .isEmpty();
            }
            assertThat(found).as("batch " + batch).containsExactlyElementsOf(expected);
        }
    }

    /**
     * Issue 14: one word appended to three pages rewrites the leaves of that word, the nodes
     * above them and the three pages' records, not every leaf of the pages' words.
     */
    @Test
    void oneWordAppendedToThreePagesRewritesOnlyItsLeavesAndTheThreeRecords() throws Exception {
        Path site = Sites.bigSite(tmp);
        Path out = tmp.resolve("inc");
        Sites.buildInto(tmp, site, out);
        Map<String, byte[]> before = Sites.published(out);
        int nodes =
                (int) before.keySet().stream().filter(n -> n.startsWith("n/")).count();
        assertThat(nodes).isGreaterThan(100);
        List<String> records = List.of(
                Sites.recordOf(site, "docs/page5.html"),
                Sites.recordOf(site, "docs/page300.html"),
                Sites.recordOf(site, "docs/page599.html"));
        for (int p : new int[] {5, 300, 599}) {
            Path page = site.resolve("docs/page" + p + ".html");
            Files.writeString(
                    page,
                    Files.readString(page, StandardCharsets.UTF_8)
                            .replace("</body>", "<p>benchmarkword</p></body>"),
                    StandardCharsets.UTF_8);
        }

        SiteIndexer.Update u = update(site, out);

        Map<String, byte[]> after = Sites.published(out);
        Set<String> changed = changed(before, after);
        assertThat(u.counts().changed()).isEqualTo(3);
        assertThat(u.entriesAdded()).isEqualTo(3);
        assertThat(u.entriesRemoved()).isZero();
        assertThat(changed.stream().filter(n -> n.startsWith("p/")))
                .containsExactlyInAnyOrderElementsOf(records);
        // The leaf that holds the new word and the nodes above it (the entry page names the
        // root, whose size changed): at most the height plus one.
        assertThat(changed.stream().filter(n -> n.startsWith("n/")).count()).isBetween(1L, 4L);
        assertThat(changed.size()).isLessThanOrEqualTo(20);
        assertThat(Sites.found(out, "benchmarkword"))
                .containsExactly(
                        "https://example.org/docs/page300.html",
                        "https://example.org/docs/page5.html",
                        "https://example.org/docs/page599.html");

        // A second run with nothing changed changes nothing.
        update(site, out);
        assertThat(changed(after, Sites.published(out))).isEmpty();
    }

    @Test
    void aNewTitleRewritesOnlyThePagesRecord() throws Exception {
        Path site = Sites.bigSite(tmp);
        Path out = tmp.resolve("title");
        Sites.buildInto(tmp, site, out);
        Map<String, byte[]> before = Sites.published(out);
        String record = Sites.recordOf(site, "docs/page42.html");
        Path page = site.resolve("docs/page42.html");
        Files.writeString(
                page,
                Files.readString(page, StandardCharsets.UTF_8)
                        .replace("<title>Page 42</title>", "<title>Page forty-two</title>")
                        .replace("<p>", "<p>page 42 "),
                StandardCharsets.UTF_8);

        update(site, out);

        // "page" and "42" are words of every page already; "forty" and "two" are new.
        Set<String> changed = changed(before, Sites.published(out));
        assertThat(changed.stream().filter(n -> n.startsWith("p/"))).containsExactly(record);
        assertThat(new String(Sites.published(out).get(record), StandardCharsets.UTF_8))
                .contains(">Page forty-two</a>");
        assertThat(Sites.search(out, "forty"))
                .containsExactly("https://example.org/docs/page42.html");
    }

    @Test
    void newAndRemovedPagesGetAndLoseTheirRecordsAndALostManifestIsRebuiltFromTheTree()
            throws Exception {
        Path site = Sites.bigSite(tmp);
        Path out = tmp.resolve("newpages");
        Sites.buildInto(tmp, site, out);
        String gone = Sites.recordOf(site, "docs/page107.html");
        String third = Sites.recordOf(site, "docs/page3.html");
        Files.delete(site.resolve("docs/page107.html"));
        Files.writeString(
                site.resolve("docs/zz-new.html"),
                "<html><head><title>New</title></head><body><p>freshword w1</p></body></html>",
                StandardCharsets.UTF_8);

        SiteIndexer.Update u = update(site, out);

        assertThat(u.counts().added()).isEqualTo(1);
        assertThat(u.counts().removed()).isEqualTo(1);
        Map<String, byte[]> files = Sites.published(out);
        // The new page is number 600, the next after the 600 of the first build.
        assertThat(files).doesNotContainKey(gone).containsKey("p/go.html");
        assertThat(Sites.found(out, "freshword"))
                .containsExactly("https://example.org/docs/zz-new.html");
        assertThat(Sites.found(out, "w1"))
                .contains("https://example.org/docs/zz-new.html")
                .doesNotContain("https://example.org/docs/page107.html");

        // Without the manifest, the update reads the pages' keys from the tree and its records.
        Files.delete(out.resolve(".distree").resolve(PageManifest.NAME));
        Path page = site.resolve("docs/page3.html");
        Files.writeString(
                page,
                Files.readString(page, StandardCharsets.UTF_8)
                        .replace("</body>", "<p>laterword</p></body>"),
                StandardCharsets.UTF_8);
        Map<String, byte[]> before = Sites.published(out);
        u = update(site, out);
        assertThat(u.outdated()).isFalse();
        assertThat(u.counts().changed()).isEqualTo(1);
        assertThat(u.counts().unchanged()).isEqualTo(599);
        assertThat(changed(before, Sites.published(out)).stream().filter(n -> n.startsWith("p/")))
                .containsExactly(third);
        assertThat(Sites.found(out, "laterword"))
                .containsExactly("https://example.org/docs/page3.html");
        try (NodeStore store = NodeStore.open(out)) {
            assertThat(PageManifest.load(store)).isNotNull();
            assertThat(PageManifest.load(store).next()).isEqualTo(601);
        }
    }

    @Test
    void aTreeMadeBeforePageRecordsIsNotUpdated() throws Exception {
        Path site = Sites.bigSite(tmp);
        Path out = tmp.resolve("old");
        Sites.buildInto(tmp, site, out);
        Path manifest = out.resolve(".distree").resolve(PageManifest.NAME);
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        Files.write(manifest, lines.subList(1, lines.size()), StandardCharsets.UTF_8);

        assertThat(update(site, out).outdated()).isTrue();

        // A tree whose leaves hold entries that are not record entries: built again too.
        Files.delete(manifest);
        try (org.distree.tree.LocalTree tree = org.distree.tree.LocalTree.open(out)) {
            tree.insert(List.of(org.distree.model.Entry.of(
                    "w1", "https://example.org/by-hand", "By hand", "")));
        }
        assertThat(update(site, out).outdated()).isTrue();
    }
}
