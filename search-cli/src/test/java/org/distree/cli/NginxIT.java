package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.model.Entry;
import org.distree.testing.Nginx;
import org.distree.tree.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree built by {@code distree build}, served as static files by a real nginx. */
class NginxIT {
    @TempDir
    static Path dir;

    static Nginx nginx;
    static List<Entry> entries = new ArrayList<>();
    static Searcher searcher;

    @BeforeAll
    static void start() throws Exception {
        Nginx.require();
        Random random = new Random(42);
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            Entry e = Trees.entry(random);
            entries.add(e);
            tsv.append(e.key())
                    .append('\t')
                    .append(e.link())
                    .append('\t')
                    .append(e.key())
                    .append('\t')
                    .append(e.comment())
                    .append('\n');
        }
        Path in = dir.resolve("in.tsv");
        Files.writeString(in, tsv, StandardCharsets.UTF_8);
        assertThat(cli(
                        "build",
                        "--in",
                        in.toString(),
                        "--out",
                        dir.resolve("tree").toString()))
                .isZero();
        nginx = Nginx.serve(dir.resolve("tree"), dir.resolve("nginx"));
        searcher = new Searcher();
    }

    @AfterAll
    static void stop() throws Exception {
        if (searcher != null) {
            searcher.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    static int cli(String... args) {
        return Distree.execute(
                args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void everySampledKeyIsFoundAlongOnePath() {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            Entry e = entries.get(random.nextInt(entries.size()));
            SearchResult r =
                    searcher.search(SearchRequest.words(List.of(nginx.url("/")), List.of(e.key())));
            assertThat(r.hits()).extracting(h -> h.entry().link()).contains(e.link());
            assertThat(r.stats().failures()).isZero();
            // the entry page, then one node per level: no alternates were needed
            assertThat(r.stats().nodes()).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void overHttpFindsWhatTheLocalSearchFinds() {
        SearchRequest http = SearchRequest.prefix(List.of(nginx.url("/index.html")), "ab");
        SearchRequest local =
                SearchRequest.prefix(List.of(dir.resolve("tree/index.html").toUri()), "ab");
        List<Entry> overHttp =
                searcher.search(http).hits().stream().map(h -> h.entry()).toList();
        assertThat(overHttp)
                .isNotEmpty()
                .isEqualTo(searcher.search(local).hits().stream()
                        .map(h -> h.entry())
                        .toList());
    }

    @Test
    void commandLineSearchesAndLintsOverHttp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Entry e = entries.get(0);
        int code = Distree.execute(
                new String[] {
                    "search", "--root", nginx.url("/").toString(), e.key(), "--json", "--explain"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("\"link\":\"" + e.link() + "\"");
        assertThat(err.toString())
                .contains("walk (none analyzer")
                // the entry page holds the root's copy: the root is read there, no second request
                .contains(nginx.url("/") + "  root")
                .doesNotContain("root page pointer")
                .contains("nodes fetched from 1 host");
        StringWriter lintErr = new StringWriter();
        assertThat(Distree.execute(
                        new String[] {"lint", nginx.url("/index.html").toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(lintErr)))
                .isZero();
        assertThat(lintErr.toString()).contains("no rule broken");
    }
}
