package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.distree.analysis.KeyAnalyzer;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.distree.tree.ExternalSorter;
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
        Path out = tmp.resolve(name);
        SiteIndexer indexer = new SiteIndexer(
                        site,
                        null,
                        new PageReader("https://example.org/", 1 << 20, 100),
                        KeyAnalyzer.forName("standard"),
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
            assertThat(b.counts().pages()).isEqualTo(91);
            assertThat(b.counts().skipped()).isEqualTo(1);
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
}
