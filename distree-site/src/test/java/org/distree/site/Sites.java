package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.distree.analysis.KeyAnalyzer;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;

/**
 * Helpers for the tests of {@link SiteIndexer} and {@link SiteUpdate}: a generated site, a
 * first build of it, the files a tree publishes, and searches of a tree.
 */
final class Sites {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private Sites() {}

    static SiteIndexer indexer(Path site, String analyzer) {
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
    static Map<String, byte[]> published(Path dir) throws Exception {
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

    /** A site of 600 pages of 150 to 400 words from a vocabulary of 20,000. */
    static Path bigSite(Path tmp) throws Exception {
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

    static void buildInto(Path tmp, Path site, Path out) throws Exception {
        try (NodeStore store = NodeStore.open(out);
                ExternalSorter sorter = new ExternalSorter(
                        Files.createDirectories(tmp.resolve("sort-" + System.nanoTime())),
                        1 << 20)) {
            indexer(site, "standard-parts").build(store, sorter, Budgets.BUILD_FILL, NOW, n -> {});
        }
    }

    /** The record file of the page at {@code path}: its number in the site's list, base 36. */
    static String recordOf(Path site, String path) throws Exception {
        int i = indexer(site, "standard-parts").pages().indexOf(path);
        assertThat(i).as(path).isNotNegative();
        return "p/" + Integer.toString(i, 36) + ".html";
    }

    /**
     * The pages that a search for {@code query} finds in the tree under {@code dir}, best first,
     * through the crawler's search over the files, as {@code distree search} runs it.
     */
    static List<String> search(Path dir, String query) {
        try (Searcher searcher = new Searcher()) {
            SearchResult r = searcher.search(SearchRequest.words(
                    List.of(dir.resolve(NodeStore.INDEX).toUri()), List.of(query)));
            assertThat(r.skipped()).as("skipped for %s", query).isEmpty();
            return r.hits().stream().map(h -> h.entry().link()).toList();
        }
    }

    /** The links to pages a search of the tree finds for {@code word}, in any order. */
    static Set<String> found(Path out, String word) {
        return new TreeSet<>(search(out, word));
    }
}
