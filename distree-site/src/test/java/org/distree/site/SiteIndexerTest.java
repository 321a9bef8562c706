package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteIndexerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final String[] WORDS = {
        "vacuum",
        "index",
        "table",
        "Tablespace",
        "café",
        "naïve",
        "日本語",
        "x&y",
        "a<b",
        "\"quoted\"",
        "pg_stat_wal",
        "www.gnu.org",
        "run",
        "running",
        "Σίσυφος",
        "emoji😀",
        "tab",
        "über"
    };

    @TempDir
    Path tmp;

    /** Pages of random words, long and short, one with no words and one skipped. */
    private Path site() throws Exception {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("sub"));
        Random random = new Random(6);
        for (int p = 0; p < 90; p++) {
            StringBuilder body = new StringBuilder();
            int words = p % 10 == 0 ? 2000 : 1 + random.nextInt(300);
            for (int w = 0; w < words; w++) {
                body.append(
                                random.nextInt(4) == 0
                                        ? WORDS[random.nextInt(WORDS.length)]
                                        : "w" + random.nextInt(5000))
                        .append(w % 17 == 0 ? ".\n" : " ");
            }
            String title = p % 7 == 0 ? "" : "<title>Page " + p + " &amp; more</title>";
            Files.writeString(
                    site.resolve((p % 3 == 0 ? "sub/" : "") + "p" + p + ".html"),
                    "<!DOCTYPE html><html><head>" + title + "</head><body><h1>Heading " + p
                            + "</h1><p>" + body + "</p></body></html>",
                    StandardCharsets.UTF_8);
        }
        Files.writeString(site.resolve("empty.html"), "<html><body></body></html>");
        Files.write(site.resolve("binary.html"), new byte[] {1, 0, 2});
        return site;
    }

    private Map<String, byte[]> build(Path site, String name, int threads, long buffer)
            throws Exception {
        return build(site, name, threads, buffer, "standard", 91, 1);
    }

    private Map<String, byte[]> build(
            Path site,
            String name,
            int threads,
            long buffer,
            String analyzer,
            int pages,
            int skipped)
            throws Exception {
        Path out = tmp.resolve(name);
        SiteIndexer indexer = new SiteIndexer(
                        site,
                        null,
                        new PageReader("https://example.org/", 1 << 20, 100),
                        KeyAnalyzer.forName(analyzer),
                        500_000,
                        new SiteIndexer.Listener() {
                            @Override
                            public void progress(int done, int total) {}

                            @Override
                            public void skipped(PageSkippedException e) {}
                        })
                .threads(threads);
        try (NodeStore store = NodeStore.open(out);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(tmp.resolve(name + "-sort")), buffer)) {
            SiteIndexer.Build b = indexer.build(store, sorter, Budgets.BUILD_FILL, NOW, n -> {});
            assertThat(b.counts().pages()).isEqualTo(pages);
            assertThat(b.counts().skipped()).isEqualTo(skipped);
            if (buffer < 1 << 20) {
                assertThat(sorter.spilledRuns()).as("runs").isGreaterThan(1);
            }
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = out.relativize(p).toString();
                if (!rel.startsWith(".distree/") || rel.endsWith(PageManifest.NAME)) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    @Test
    void pagesReadOnManyThreadsAndSortsThatSpillMakeTheSameBytesAsOneThreadInMemory()
            throws Exception {
        Path site = site();
        Map<String, byte[]> one = build(site, "one", 1, ExternalSorter.DEFAULT_BUFFER_BYTES);
        assertThat(one).containsKey(".distree/" + PageManifest.NAME).hasSizeGreaterThan(10);

        for (int threads : new int[] {2, 16}) {
            for (long buffer : new long[] {ExternalSorter.DEFAULT_BUFFER_BYTES, 1}) {
                Map<String, byte[]> other =
                        build(site, "t" + threads + "-" + buffer, threads, buffer);
                assertThat(other.keySet()).isEqualTo(one.keySet());
                for (String name : one.keySet()) {
                    assertThat(other.get(name))
                            .as("%s, %d threads, buffer %d", name, threads, buffer)
                            .isEqualTo(one.get(name));
                }
            }
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
                SiteIndexer.applyInBatches(tree, adds, removes, batch);
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

    /** Pieces of compounds: Latin, digits, an apostrophe, other scripts. */
    private static final String[] PIECES = {
        "Key",
        "Pair",
        "getPublic",
        "pg",
        "stat",
        "wal",
        "receiver",
        "java",
        "util",
        "concurrent",
        "x86",
        "64",
        "v1",
        "2",
        "O'Neil",
        "über",
        "Σίσυφος",
        "ключ",
        "日本",
        "naïve",
        "utf8",
        "ΑΒΓ",
        "row",
        "lock"
    };

    private static final String[] JOINED_BY = {"-", ".", "_", "::", "/", "#", "@", ":"};

    /** A compound of 2 to 4 pieces, each joined to the next by a joiner. */
    private static String compound(Random random) {
        StringBuilder c = new StringBuilder(PIECES[random.nextInt(PIECES.length)]);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            c.append(JOINED_BY[random.nextInt(JOINED_BY.length)])
                    .append(PIECES[random.nextInt(PIECES.length)]);
        }
        return c.toString();
    }

    /** The oracle's words: split at every code point that is not a letter or digit. */
    private static Set<String> oracleWords(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("[\\p{L}\\p{Nd}]+").matcher(text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * The pages that a search for {@code query} finds in the tree under {@code dir}, best first,
     * through the crawler's search over the files, as {@code distree search} runs it.
     */
    private static List<String> search(Path dir, String query) {
        try (Searcher searcher = new Searcher()) {
            SearchResult r = searcher.search(SearchRequest.words(
                    List.of(dir.resolve(NodeStore.INDEX).toUri()), List.of(query)));
            assertThat(r.skipped()).as("skipped for %s", query).isEmpty();
            return r.hits().stream().map(h -> h.entry().link()).toList();
        }
    }

    /**
     * An oracle independent of the analyzer, on a generated site whose pages hold compounds
     * ({@code Key.getPublic}, {@code pg_stat-wal}, {@code java::util#64}, ...) among plain
     * words: a page holds a word when its visible text, split at every character that is not a
     * letter or digit, holds it. Every such part of every compound finds every page holding it;
     * every compound typed as written finds its pages, above pages holding only its parts.
     * The {@code standard} analyzer, which keeps some compounds whole only, misses parts.
     */
    @Test
    void everyPartAndEveryWholeOfACompoundFindsThePagesHoldingIt() throws Exception {
        Path site = tmp.resolve("compounds");
        Files.createDirectories(site);
        Random random = new Random(14);
        Map<String, Set<String>> pagesByWord = new TreeMap<>();
        Map<String, Set<String>> pagesByCompound = new TreeMap<>();
        Map<String, String> visibleText = new TreeMap<>();
        for (int p = 0; p < 40; p++) {
            String link = "https://example.org/c" + p + ".html";
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                String c = compound(random);
                pagesByCompound
                        .computeIfAbsent(c.toLowerCase(Locale.ROOT), k -> new TreeSet<>())
                        .add(link);
                // Written as visible text is: in code, in a call, at the end of a sentence.
                text.append(
                        switch (w % 4) {
                            case 0 -> "<code>" + c + "</code> ";
                            case 1 -> c + "() ";
                            case 2 -> "see " + c + ". ";
                            default ->
                                "(" + c + ", " + PIECES[random.nextInt(PIECES.length)] + ") ";
                        });
            }
            String html = "<!DOCTYPE html><html><head><title>Compounds " + p
                    + "</title></head><body><p>" + text + "</p></body></html>";
            Files.writeString(site.resolve("c" + p + ".html"), html, StandardCharsets.UTF_8);
            String visible = Jsoup.parse(html).text();
            visibleText.put(link, visible.toLowerCase(Locale.ROOT));
            for (String word : oracleWords(visible)) {
                pagesByWord.computeIfAbsent(word, k -> new TreeSet<>()).add(link);
            }
        }
        build(site, "parts", 2, ExternalSorter.DEFAULT_BUFFER_BYTES, "standard-parts", 40, 0);
        build(site, "plain", 2, ExternalSorter.DEFAULT_BUFFER_BYTES, "standard", 40, 0);
        Path parts = tmp.resolve("parts");

        assertThat(pagesByWord).containsKeys("getpublic", "receiver", "64", "über", "σίσυφος");
        for (Map.Entry<String, Set<String>> e : pagesByWord.entrySet()) {
            assertThat(search(parts, e.getKey()))
                    .as("pages found for the part %s", e.getKey())
                    .containsAll(e.getValue());
        }
        for (Map.Entry<String, Set<String>> e : pagesByCompound.entrySet()) {
            List<String> found = search(parts, e.getKey());
            assertThat(found).as("pages found for %s", e.getKey()).containsAll(e.getValue());
            // Above the last page that holds the compound, only pages whose text has it too
            // (whole, or inside a longer compound) and none that hold only its parts.
            int last = 0;
            for (int i = 0; i < found.size(); i++) {
                last = e.getValue().contains(found.get(i)) ? i : last;
            }
            for (String page : found.subList(0, last)) {
                assertThat(visibleText.get(page))
                        .as("%s, found above a page holding %s", page, e.getKey())
                        .contains(e.getKey());
            }
        }
        int missed = 0;
        for (Map.Entry<String, Set<String>> e : pagesByWord.entrySet()) {
            if (!search(tmp.resolve("plain"), e.getKey()).containsAll(e.getValue())) {
                missed++;
            }
        }
        assertThat(missed).as("parts the standard analyzer misses").isGreaterThan(0);
    }

    private SiteIndexer indexer(Path site, String analyzer) {
        return new SiteIndexer(
                site,
                null,
                new PageReader("https://example.org/", 1 << 20, 100),
                KeyAnalyzer.forName(analyzer),
                500_000,
                new SiteIndexer.Listener() {
                    @Override
                    public void progress(int done, int total) {}

                    @Override
                    public void skipped(PageSkippedException e) {}
                });
    }

    /** Every published file under {@code dir} (not {@code .distree/}) and its bytes. */
    private static Map<String, byte[]> published(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith(".distree")) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

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

    /** A site of 600 pages of 150 to 400 words from a vocabulary of 20,000. */
    private Path bigSite() throws Exception {
        Path site = tmp.resolve("big");
        Files.createDirectories(site.resolve("docs"));
        Random random = new Random(20);
        for (int p = 0; p < 600; p++) {
            StringBuilder body = new StringBuilder();
            for (int w = 150 + random.nextInt(250); w > 0; w--) {
                body.append("w").append(random.nextInt(20_000)).append(w % 13 == 0 ? ". " : " ");
            }
            Files.writeString(
                    site.resolve("docs/page" + p + ".html"),
                    "<!DOCTYPE html><html><head><title>Page " + p + "</title></head><body><p>"
                            + body + "</p></body></html>",
                    StandardCharsets.UTF_8);
        }
        return site;
    }

    private SiteIndexer.Update update(Path site, Path out) throws Exception {
        Path sort = Files.createDirectories(tmp.resolve("sort-" + System.nanoTime()));
        try (org.distree.tree.LocalTree tree = org.distree.tree.LocalTree.open(out)) {
            return indexer(site, "standard-parts").update(tree, sort, 1 << 20);
        }
    }

    private void buildInto(Path site, Path out) throws Exception {
        try (NodeStore store = NodeStore.open(out);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(tmp.resolve("sort-" + System.nanoTime())),
                        1 << 20)) {
            indexer(site, "standard-parts").build(store, sorter, Budgets.BUILD_FILL, NOW, n -> {});
        }
    }

    /** The record file of the page at {@code path}: its number in the site's list, base 36. */
    private String recordOf(Path site, String path) throws Exception {
        int i = indexer(site, "standard-parts").pages().indexOf(path);
        assertThat(i).as(path).isNotNegative();
        return "p/" + Integer.toString(i, 36) + ".html";
    }

    /** The links to pages a search of the tree finds for {@code word}, in any order. */
    private static Set<String> found(Path out, String word) {
        return new TreeSet<>(search(out, word));
    }

    @Test
    void eachPageIsOneRecordAndItsWordsAreRecordEntriesGroupedByWord() throws Exception {
        Path site = bigSite();
        Path out = tmp.resolve("records");
        buildInto(site, out);
        Map<String, byte[]> files = published(out);

        assertThat(files.keySet().stream().filter(n -> n.startsWith("p/"))).hasSize(600);
        try (NodeStore store = NodeStore.open(out)) {
            long lists = 0;
            for (String name : store.nodeNames()) {
                org.distree.model.Node n = store.read(name).node();
                assertThat(n.entries()).allMatch(org.distree.model.Entry::isRecord);
                String html = new String(files.get(name), StandardCharsets.UTF_8);
                lists += html.split("data-records>", -1).length - 1;
                assertThat(n.version()).isEqualTo(n.isLeaf() ? 2 : 1);
                assertThat(html).doesNotContain("https://example.org/");
            }
            // One item a word a leaf, not one a (word, page): fewer items than entries.
            assertThat(lists)
                    .isLessThan(org.distree.rules.Linter.lintFolder(
                                            new org.distree.query.FileSource(),
                                            out,
                                            store.nodeNames())
                                    .stats()
                                    .entries()
                            / 2);
            assertThat(org.distree.rules.Linter.lintFolder(
                                    new org.distree.query.FileSource(), out, store.nodeNames())
                            .violations())
                    .isEmpty();
        }
        String record =
                new String(files.get(recordOf(site, "docs/page106.html")), StandardCharsets.UTF_8);
        assertThat(record)
                .contains("<a href=\"https://example.org/docs/page106.html\">Page 106</a>")
                .contains("data-digest=\"sha256-");
        assertThat(found(out, "W123")).allMatch(l -> l.startsWith("https://example.org/docs/"));
    }

    /**
     * Issue 14: one word appended to three pages rewrites the leaves of that word, the nodes
     * above them and the three pages' records, not every leaf of the pages' words.
     */
    @Test
    void oneWordAppendedToThreePagesRewritesOnlyItsLeavesAndTheThreeRecords() throws Exception {
        Path site = bigSite();
        Path out = tmp.resolve("inc");
        buildInto(site, out);
        Map<String, byte[]> before = published(out);
        int nodes =
                (int) before.keySet().stream().filter(n -> n.startsWith("n/")).count();
        assertThat(nodes).isGreaterThan(100);
        List<String> records = List.of(
                recordOf(site, "docs/page5.html"),
                recordOf(site, "docs/page300.html"),
                recordOf(site, "docs/page599.html"));
        for (int p : new int[] {5, 300, 599}) {
            Path page = site.resolve("docs/page" + p + ".html");
            Files.writeString(
                    page,
                    Files.readString(page, StandardCharsets.UTF_8)
                            .replace("</body>", "<p>benchmarkword</p></body>"),
                    StandardCharsets.UTF_8);
        }

        SiteIndexer.Update u = update(site, out);

        Map<String, byte[]> after = published(out);
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
        assertThat(found(out, "benchmarkword"))
                .containsExactly(
                        "https://example.org/docs/page300.html",
                        "https://example.org/docs/page5.html",
                        "https://example.org/docs/page599.html");

        // A second run with nothing changed changes nothing.
        update(site, out);
        assertThat(changed(after, published(out))).isEmpty();
    }

    @Test
    void aNewTitleRewritesOnlyThePagesRecord() throws Exception {
        Path site = bigSite();
        Path out = tmp.resolve("title");
        buildInto(site, out);
        Map<String, byte[]> before = published(out);
        String record = recordOf(site, "docs/page42.html");
        Path page = site.resolve("docs/page42.html");
        Files.writeString(
                page,
                Files.readString(page, StandardCharsets.UTF_8)
                        .replace("<title>Page 42</title>", "<title>Page forty-two</title>")
                        .replace("<p>", "<p>page 42 "),
                StandardCharsets.UTF_8);

        update(site, out);

        // "page" and "42" are words of every page already; "forty" and "two" are new.
        Set<String> changed = changed(before, published(out));
        assertThat(changed.stream().filter(n -> n.startsWith("p/"))).containsExactly(record);
        assertThat(new String(published(out).get(record), StandardCharsets.UTF_8))
                .contains(">Page forty-two</a>");
        assertThat(search(out, "forty")).containsExactly("https://example.org/docs/page42.html");
    }

    @Test
    void newAndRemovedPagesGetAndLoseTheirRecordsAndALostManifestIsRebuiltFromTheTree()
            throws Exception {
        Path site = bigSite();
        Path out = tmp.resolve("newpages");
        buildInto(site, out);
        String gone = recordOf(site, "docs/page107.html");
        String third = recordOf(site, "docs/page3.html");
        Files.delete(site.resolve("docs/page107.html"));
        Files.writeString(
                site.resolve("docs/zz-new.html"),
                "<html><head><title>New</title></head><body><p>freshword w1</p></body></html>",
                StandardCharsets.UTF_8);

        SiteIndexer.Update u = update(site, out);

        assertThat(u.counts().added()).isEqualTo(1);
        assertThat(u.counts().removed()).isEqualTo(1);
        Map<String, byte[]> files = published(out);
        // The new page is number 600, the next after the 600 of the first build.
        assertThat(files).doesNotContainKey(gone).containsKey("p/go.html");
        assertThat(found(out, "freshword")).containsExactly("https://example.org/docs/zz-new.html");
        assertThat(found(out, "w1"))
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
        Map<String, byte[]> before = published(out);
        u = update(site, out);
        assertThat(u.outdated()).isFalse();
        assertThat(u.counts().changed()).isEqualTo(1);
        assertThat(u.counts().unchanged()).isEqualTo(599);
        assertThat(changed(before, published(out)).stream().filter(n -> n.startsWith("p/")))
                .containsExactly(third);
        assertThat(found(out, "laterword")).containsExactly("https://example.org/docs/page3.html");
        try (NodeStore store = NodeStore.open(out)) {
            assertThat(PageManifest.load(store)).isNotNull();
            assertThat(PageManifest.load(store).next()).isEqualTo(601);
        }
    }

    @Test
    void aTreeMadeBeforePageRecordsIsNotUpdated() throws Exception {
        Path site = bigSite();
        Path out = tmp.resolve("old");
        buildInto(site, out);
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
