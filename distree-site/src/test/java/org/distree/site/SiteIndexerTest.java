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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteIndexerTest {
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
        SiteIndexer indexer = Sites.indexer(site, analyzer).threads(threads);
        try (NodeStore store = NodeStore.open(out);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(tmp.resolve(name + "-sort")), buffer)) {
            SiteIndexer.Build b =
                    indexer.build(store, sorter, Budgets.BUILD_FILL, Sites.NOW, n -> {});
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
            assertThat(Sites.search(parts, e.getKey()))
                    .as("pages found for the part %s", e.getKey())
                    .containsAll(e.getValue());
        }
        for (Map.Entry<String, Set<String>> e : pagesByCompound.entrySet()) {
            List<String> found = Sites.search(parts, e.getKey());
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
            if (!Sites.search(tmp.resolve("plain"), e.getKey()).containsAll(e.getValue())) {
                missed++;
            }
        }
        assertThat(missed).as("parts the standard analyzer misses").isGreaterThan(0);
    }

    @Test
    void eachPageIsOneRecordAndItsWordsAreRecordEntriesGroupedByWord() throws Exception {
        Path site = Sites.bigSite(tmp);
        Path out = tmp.resolve("records");
        Sites.buildInto(tmp, site, out);
        Map<String, byte[]> files = Sites.published(out);

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
        String record = new String(
                files.get(Sites.recordOf(site, "docs/page106.html")), StandardCharsets.UTF_8);
        assertThat(record)
                .contains("<a href=\"https://example.org/docs/page106.html\">Page 106</a>")
                .contains("data-digest=\"sha256-");
        assertThat(Sites.found(out, "W123"))
                .allMatch(l -> l.startsWith("https://example.org/docs/"));
    }
}
