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

        for (int threads : new int[] {2, 4}) {
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
}
