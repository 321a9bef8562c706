package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores built by {@code index-site} (issue 19), read back through the real search over the
 * tree it writes: where a word stands, how often for the page's length, how rare it is.
 */
class RelevanceTest {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path tmp;

    /** {@code n} filler words, none of them a word the tests look up. */
    static String filler(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("f").append(i % 97).append(i % 11 == 0 ? ". " : " ");
        }
        return sb.toString();
    }

    static void page(Path site, String path, String title, String body) throws Exception {
        Files.writeString(
                site.resolve(path),
                "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><p>" + body
                        + "</p></body></html>",
                StandardCharsets.UTF_8);
    }

    /** A site where {@code vacuum} stands on four pages, in different places and amounts. */
    Path site() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        page(
                site,
                "a-long.html",
                "Maintenance",
                filler(400) + " vacuum vacuum vacuum " + filler(100));
        page(site, "b-once.html", "Other", filler(300) + " vacuum " + filler(100) + " common");
        page(site, "c-short.html", "Notes", "vacuum it. vacuum often. vacuum well. " + filler(20));
        page(site, "d-vacuum.html", "VACUUM", "Reclaims storage. " + filler(150));
        for (int i = 0; i < 20; i++) {
            page(
                    site,
                    "filler" + i + ".html",
                    "Filler " + i,
                    filler(50 + 10 * i) + " common rare" + i);
        }
        return site;
    }

    SiteIndexer indexer(Path site) {
        return Sites.indexer(site, KeyAnalyzer.STANDARD_PARTS);
    }

    Path build(Path site) throws Exception {
        Path out = tmp.resolve("out");
        try (NodeStore store = NodeStore.open(out);
                ExternalSorter sorter =
                        new ExternalSorter(Files.createDirectories(tmp.resolve("sort")), 1 << 20)) {
            indexer(site).build(store, sorter, Budgets.BUILD_FILL, NOW, n -> {});
        }
        return out;
    }

    /** The pages (file names) a search finds for {@code words}, best first, with their scores. */
    static Map<String, Long> ranked(Path out, String... words) {
        try (Searcher searcher = new Searcher()) {
            SearchResult r = searcher.search(SearchRequest.words(
                            List.of(out.resolve(NodeStore.INDEX).toUri()), List.of(words))
                    .withLimit(0));
            assertThat(r.skipped()).isEmpty();
            Map<String, Long> out2 = new LinkedHashMap<>();
            for (SearchResult.Hit h : r.hits()) {
                String link = h.entry().link();
                out2.put(link.substring(link.lastIndexOf('/') + 1), h.score());
            }
            return out2;
        }
    }

    @Test
    void aPageTitledForItsWordRanksFirstThenByHowOftenForItsLength() throws Exception {
        Path out = build(site());

        Map<String, Long> vacuum = ranked(out, "vacuum");

        // The title (and the file name) first; then three times in 26 words, three in 500,
        // once in 400.
        assertThat(vacuum.keySet())
                .containsExactly("d-vacuum.html", "c-short.html", "a-long.html", "b-once.html");
        assertThat(List.copyOf(vacuum.values()))
                .allMatch(s -> s > 0)
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
        String leaves = leafText(out);
        assertThat(leaves)
                .containsPattern("data-records data-scores=\"[1-9][0-9]*( [1-9][0-9]*)*\">");
    }

    @Test
    void aRareWordScoresAboveACommonOneOnTheSamePage() throws Exception {
        Path out = build(site());

        // Both once in the body of filler7.html; "common" is on 21 of 24 pages, "rare7" on one.
        assertThat(ranked(out, "rare7").get("filler7.html"))
                .isGreaterThan(2 * ranked(out, "common").get("filler7.html"));
        // Several words: the page with both first, whatever the scores of pages with one.
        assertThat(ranked(out, "vacuum", "common").keySet().iterator().next())
                .isEqualTo("b-once.html");
    }

    @Test
    void anUpdateScoresAChangedPageAgainAndLeavesTheOthers() throws Exception {
        Path site = site();
        Path out = build(site);
        Map<String, Long> before = ranked(out, "vacuum");
        Map<String, Long> commonBefore = ranked(out, "common");

        // b-once.html now says vacuum in its title and many times in a short body.
        page(site, "b-once.html", "Vacuum now", "vacuum vacuum vacuum vacuum common");
        SiteIndexer.Update u;
        try (LocalTree tree = LocalTree.open(out)) {
            u = indexer(site).update(tree, Files.createDirectories(tmp.resolve("sort2")), 1 << 20);
        }

        assertThat(u.counts().changed()).isEqualTo(1);
        Map<String, Long> after = ranked(out, "vacuum");
        assertThat(after.keySet().iterator().next()).isEqualTo("b-once.html");
        assertThat(after.get("b-once.html")).isGreaterThan(before.get("b-once.html"));
        // The other pages keep their scores (the site's figures are those of the last run).
        for (String p : List.of("a-long.html", "c-short.html", "d-vacuum.html")) {
            assertThat(after.get(p)).as(p).isEqualTo(before.get(p));
        }
        Map<String, Long> commonAfter = ranked(out, "common");
        assertThat(commonAfter.get("b-once.html")).isNotEqualTo(commonBefore.get("b-once.html"));
        assertThat(commonAfter.get("filler3.html")).isEqualTo(commonBefore.get("filler3.html"));
    }

    @Test
    void aWordAppendedToAPageRewritesOnlyThatWordsEntryEvenWhenTheLengthCrossesABucket()
            throws Exception {
        Path site = site();
        // A page whose length (the title's token, edword and n filler words) is at the top of
        // one of Lucene's length buckets: one more word takes it into the next.
        int n = 200;
        while (Relevance.norm(n + 2) == Relevance.norm(n + 3)) {
            n++;
        }
        page(site, "edited.html", "Edited", "edword " + filler(n));
        Path out = build(site);
        Map<String, Long> before = ranked(out, "edword");

        page(site, "edited.html", "Edited", "edword " + filler(n) + " appendedword");
        SiteIndexer.Update u;
        try (LocalTree tree = LocalTree.open(out)) {
            u = indexer(site).update(tree, Files.createDirectories(tmp.resolve("sort4")), 1 << 20);
        }

        assertThat(u.entriesAdded()).isEqualTo(1);
        assertThat(u.entriesRemoved()).isZero();
        assertThat(ranked(out, "appendedword")).containsOnlyKeys("edited.html");
        assertThat(ranked(out, "edword")).isEqualTo(before);

        // Edits that add up to more than an eighth of the length score the page again: a
        // longer page, a lower score for its one edword.
        page(
                site,
                "edited.html",
                "Edited",
                "edword " + filler(n) + " appendedword " + filler(n / 4));
        try (LocalTree tree = LocalTree.open(out)) {
            u = indexer(site).update(tree, Files.createDirectories(tmp.resolve("sort5")), 1 << 20);
        }
        assertThat(u.entriesAdded()).isGreaterThan(50);
        assertThat(ranked(out, "edword").get("edited.html")).isLessThan(before.get("edited.html"));
    }

    @Test
    void aTreeMadeBeforeScoresIsBuiltAgain() throws Exception {
        Path site = site();
        Path out = build(site);
        Path manifest = out.resolve(".distree").resolve(PageManifest.NAME);
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("# distree-site-pages 4 next ");
        // A page's line: link, digest, record, length, title length, then keys, a weight after
        // U+001F.
        assertThat(lines.get(1))
                .matches("https://example.org/\\S+\t\\S+\t[0-9a-z]+\t\\d+\t\\d+\t.*");
        // The manifest of a tree made before scores (version 2), or before titles were scored
        // by their length (version 3), says so: rebuilt, not updated.
        for (String version : List.of("2", "3")) {
            lines.set(0, lines.get(0).replaceFirst("pages \\d next", "pages " + version + " next"));
            Files.write(manifest, lines, StandardCharsets.UTF_8);
            try (LocalTree tree = LocalTree.open(out)) {
                assertThat(indexer(site)
                                .update(
                                        tree,
                                        Files.createDirectories(tmp.resolve("sort3" + version)),
                                        1 << 20)
                                .outdated())
                        .as(version)
                        .isTrue();
            }
        }
    }

    @Test
    void aTitleThatIsTheWordAndLittleElseRanksAboveOneThatHoldsItInASentence() throws Exception {
        Path site = site();
        // Both name the word once in the title, once in the path and twice in the body; the
        // class's own page is longer (its body alone would rank it second), the "uses" page's
        // title is a sentence around the word.
        page(
                site,
                "Integrator.html",
                "Integrator (Math API)",
                "integrator integrator " + filler(300));
        Files.createDirectories(site.resolve("use"));
        page(
                site,
                "use/Integrator.html",
                "Uses of Class org.example.math.ode.Integrator (Math API)",
                "integrator integrator " + filler(200));
        Path out = build(site);

        try (Searcher searcher = new Searcher()) {
            SearchResult r = searcher.search(SearchRequest.words(
                            List.of(out.resolve(NodeStore.INDEX).toUri()), List.of("integrator"))
                    .withLimit(0));
            assertThat(r.hits())
                    .extracting(h -> h.entry().link())
                    .containsExactly(
                            "https://example.org/Integrator.html",
                            "https://example.org/use/Integrator.html");
            assertThat(r.hits().get(0).score()).isGreaterThan(r.hits().get(1).score());
        }
    }

    @Test
    void weightsPackEachFieldsCountAndCapIt() {
        int w = Relevance.weight(5, 2, 1, 3);
        assertThat(List.of(
                        Relevance.count(w, 0),
                        Relevance.count(w, 1),
                        Relevance.count(w, 2),
                        Relevance.count(w, 3)))
                .containsExactly(5, 2, 1, 3);
        int capped = Relevance.weight(5000, 99, 99, 99);
        assertThat(List.of(
                        Relevance.count(capped, 0),
                        Relevance.count(capped, 1),
                        Relevance.count(capped, 2),
                        Relevance.count(capped, 3)))
                .containsExactly(1023, 7, 15, 3);
        assertThat(capped).isLessThanOrEqualTo(org.distree.model.Entry.MAX_SCORE);
        assertThat(Relevance.pathWords("docs/sql-createtable.html"))
                .isEqualTo("docs/sql-createtable");
        assertThat(Relevance.pathWords("v1.2/readme")).isEqualTo("v1.2/readme");
    }

    /** The text of every leaf node file of the tree. */
    static String leafText(Path out) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(out.resolve("n"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String s = Files.readString(f, StandardCharsets.UTF_8);
                if (s.contains("height=\"0\"")) {
                    sb.append(s);
                }
            }
        }
        return sb.toString();
    }
}
