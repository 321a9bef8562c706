package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.distree.tree.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSiteCommandTest {
    @TempDir
    Path tmp;

    private Path site() throws Exception {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("birds"));
        for (int i = 0; i < 60; i++) {
            page(
                    site,
                    "p" + i + ".html",
                    "Page " + i,
                    "common word" + i + " filler" + (i % 7) + " text number" + i + " shared");
        }
        page(site, "birds/penguin.html", "Penguins", "Penguins waddle on antarctic ice.");
        page(site, "birds/owl.html", "Owls", "Owls hunt running mice at night.");
        return site;
    }

    private static void page(Path site, String path, String title, String body) throws Exception {
        Files.writeString(
                site.resolve(path),
                "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><p>" + body
                        + "</p></body></html>",
                StandardCharsets.UTF_8);
    }

    private static Cli index(Path site, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "index-site",
                site.toString(),
                "--base-url",
                "https://example.org/",
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void indexesASiteThatTheCliSearchFindsByAWordFromABody() throws Exception {
        Path out = tmp.resolve("tree");
        Cli run = index(site(), out);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("indexed 62 pages into");
        Cli search = Cli.run("search", out.toString(), "antarctic", "--json");
        assertThat(search.out())
                .contains("\"link\":\"https://example.org/birds/penguin.html\"")
                .contains("\"title\":\"Penguins\"")
                .contains("\"digest\":\"sha256-");
        assertThat(Cli.run("search", out.toString(), "shared").err()).contains("60 results");
        assertThat(Files.readString(out.resolve("index.html")))
                .contains("<meta name=\"distree-analyzer\" content=\"standard-parts\">")
                .contains("href=\"search.html\"");
        assertThat(out.resolve("search.html")).exists();
        assertThat(out.resolve("distree-search.js")).exists();
        assertThat(Trees.lint(out).violations()).isEmpty();
    }

    @Test
    void aFirstBuildListsEveryPublishedFileAsNew() throws Exception {
        // The first build takes the list from the builder, not from a walk of the folder.
        Path out = tmp.resolve("fresh");
        Path list = tmp.resolve("changed.txt");
        Cli run = index(site(), out, "--changed", list.toString());
        assertThat(run.code()).as(run.err()).isZero();
        List<String> published;
        try (Stream<Path> files = Files.walk(out)) {
            published = files.filter(Files::isRegularFile)
                    .map(p -> out.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.startsWith(".distree/"))
                    .sorted()
                    .map(name -> "A " + name)
                    .toList();
        }
        assertThat(published).hasSizeGreaterThan(5).contains("A index.html", "A search.html");
        assertThat(Files.readAllLines(list)).isEqualTo(published);
        assertThat(run.err())
                .contains(published.size() + " files changed (" + published.size()
                        + " new, 0 rewritten, 0 deleted)");
    }

    @Test
    void aRerunRewritesOnlyTheFilesWhoseBytesChangedAndSaysHowMany() throws Exception {
        Path site = site();
        Path out = tmp.resolve("tree");
        assertThat(index(site, out).code()).isZero();

        Cli same = index(site, out);
        assertThat(same.err()).contains("62 unchanged").contains("0 files changed");

        Map<String, byte[]> before = files(out);
        page(site, "birds/owl.html", "Owls", "Owls glide silently at night.");
        Files.delete(site.resolve("p3.html"));
        page(site, "birds/kiwi.html", "Kiwis", "Kiwis cannot fly.");
        Path list = tmp.resolve("changed.txt");
        Cli changed = index(site, out, "--changed", list.toString());
        assertThat(changed.code()).as(changed.err()).isZero();
        assertThat(changed.err()).contains("(1 new, 1 changed, 1 removed, 60 unchanged)");

        Map<String, byte[]> after = files(out);
        TreeSet<String> reallyChanged = new TreeSet<>();
        for (String name : new TreeSet<>(after.keySet())) {
            if (!before.containsKey(name)) {
                reallyChanged.add("A " + name);
            } else if (!java.util.Arrays.equals(before.get(name), after.get(name))) {
                reallyChanged.add("M " + name);
            }
        }
        before.keySet().stream()
                .filter(n -> !after.containsKey(n))
                .forEach(n -> reallyChanged.add("D " + n));
        assertThat(new TreeSet<>(Files.readAllLines(list))).isEqualTo(reallyChanged);
        assertThat(changed.err()).contains(reallyChanged.size() + " files changed");
        assertThat(reallyChanged.size()).isLessThan(after.size());

        assertThat(Cli.run("search", out.toString(), "mice").code()).isEqualTo(1);
        assertThat(Cli.run("search", out.toString(), "glide").out()).contains("owl.html");
        assertThat(Cli.run("search", out.toString(), "kiwis").out()).contains("kiwi.html");
        assertThat(Cli.run("search", out.toString(), "number3").code()).isEqualTo(1);
        assertThat(Cli.run("search", out.toString(), "shared").err()).contains("59 results");
        assertThat(Files.readString(out.resolve("index.html"))).contains("search.html");
        assertThat(Trees.lint(out).violations()).isEmpty();
    }

    @Test
    void anUpdateWithoutItsManifestScansTheTreeAndOneWithEntriesAddedByHandRebuilds()
            throws Exception {
        Path site = site();
        Path out = tmp.resolve("tree");
        assertThat(index(site, out).code()).isZero();
        assertThat(index(site, out, "-v").err()).contains("old pages from the manifest");
        Files.delete(out.resolve(".distree").resolve("site-pages.tsv"));
        page(site, "birds/owl.html", "Owls", "Owls glide silently at night.");
        Cli run = index(site, out, "-v");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("old pages from the tree scan")
                .contains("(0 new, 1 changed, 0 removed, 61 unchanged)");
        assertThat(Cli.run("search", out.toString(), "glide").out()).contains("owl.html");
        assertThat(Cli.run("search", out.toString(), "mice").code()).isEqualTo(1);

        // An entry that is not a page's: the tree no longer mirrors the site, and is rebuilt.
        assertThat(Cli.run("add", out.toString(), "zebra", "https://elsewhere.example/z", "Zebras")
                        .code())
                .isZero();
        page(site, "birds/owl.html", "Owls", "Owls hoot at night.");
        run = index(site, out);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("holds entries added by hand: rebuilding it");
        assertThat(Cli.run("search", out.toString(), "zebra").code()).isEqualTo(1);
        assertThat(Cli.run("search", out.toString(), "hoot").out()).contains("owl.html");
        assertThat(Trees.lint(out).violations()).isEmpty();
    }

    /**
     * Issue 14's update target, through the command as a user runs it: one word appended to
     * three pages of a generated 500-page site changes at most 20 published files, listed by
     * {@code --changed}: the three pages' records and the few nodes on the word's path.
     */
    @Test
    void oneWordAppendedToThreePagesChangesAtMostTwentyFiles() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("many"));
        java.util.Random random = new java.util.Random(14);
        for (int p = 0; p < 500; p++) {
            StringBuilder body = new StringBuilder();
            for (int w = 100 + random.nextInt(300); w > 0; w--) {
                body.append("word").append(random.nextInt(30_000)).append(' ');
            }
            page(site, "doc" + p + ".html", "Doc " + p, body.toString());
        }
        Path out = tmp.resolve("tree");
        assertThat(index(site, out).code()).isZero();
        long nodes;
        try (Stream<Path> files = Files.list(out.resolve("n"))) {
            nodes = files.count();
        }
        assertThat(nodes).isGreaterThan(150);
        for (String p : List.of("doc3.html", "doc250.html", "doc499.html")) {
            Path f = site.resolve(p);
            Files.writeString(
                    f,
                    Files.readString(f).replace("</body>", "<p>appendedword</p></body>"),
                    StandardCharsets.UTF_8);
        }
        Path list = tmp.resolve("changed.txt");
        Cli run = index(site, out, "--changed", list.toString());
        assertThat(run.code()).as(run.err()).isZero();
        List<String> changed = Files.readAllLines(list);
        assertThat(changed).hasSizeLessThanOrEqualTo(20).allMatch(c -> c.startsWith("M "));
        assertThat(changed.stream().filter(c -> c.startsWith("M p/"))).hasSize(3);
        assertThat(run.err()).contains("3 entries added or replaced, 0 removed");
        assertThat(Cli.run("search", out.toString(), "appendedword").out())
                .contains("doc3.html", "doc250.html", "doc499.html");
        assertThat(Trees.lint(out).violations()).isEmpty();
    }

    @Test
    void stemmingIsAnOptionAndTheRootDeclaresIt() throws Exception {
        Path out = tmp.resolve("tree");
        assertThat(index(site(), out, "--stem").code()).isZero();
        assertThat(Files.readString(out.resolve("index.html")))
                .contains("content=\"english-parts\"");
        assertThat(Cli.run("search", out.toString(), "run").out()).contains("owl.html");
        Cli back = index(site(), out);
        assertThat(back.err())
                .contains("made with the english-parts analyzer; rebuilding it with"
                        + " standard-parts");
        assertThat(Cli.run("search", out.toString(), "running").out()).contains("owl.html");
        assertThat(index(site(), out, "--analyzer", "standard", "--stem").code())
                .isZero();
        assertThat(Files.readString(out.resolve("index.html"))).contains("content=\"english\"");
    }

    @Test
    void compoundWordsAreFoundWholeAndByTheirPartsWholeFirst() throws Exception {
        Path site = site();
        Files.createDirectories(site.resolve("api"));
        page(site, "api/keypair.html", "KeyPair", "Call KeyPair.getPublic() for the key.");
        page(site, "api/other.html", "Other", "The public key: getPublic on a KeyPair.");
        page(site, "wal.html", "WAL", "See pg_stat_wal_receiver and write-ahead logs.");
        Path out = tmp.resolve("tree");
        assertThat(index(site, out).code()).isZero();
        assertThat(Cli.run("search", out.toString(), "getpublic").out())
                .contains("api/keypair.html")
                .contains("api/other.html");
        assertThat(Cli.run("search", out.toString(), "receiver").out()).contains("wal.html");
        assertThat(Cli.run("search", out.toString(), "ahead").out()).contains("wal.html");
        // The page that holds the compound whole ranks above the one holding its parts apart.
        String both = Cli.run("search", out.toString(), "KeyPair.getPublic()").out();
        assertThat(both.indexOf("api/keypair.html"))
                .isNotNegative()
                .isLessThan(both.indexOf("api/other.html"));
    }

    @Test
    void aTreeMadeWithTheStandardAnalyzerIsStillSearchedWithIt() throws Exception {
        Path site = site();
        Files.createDirectories(site.resolve("api"));
        page(site, "api/keypair.html", "KeyPair", "Call KeyPair.getPublic() for the key.");
        Path out = tmp.resolve("tree");
        assertThat(index(site, out, "--analyzer", "standard").code()).isZero();
        // The query is analyzed as the root declares: standard keeps the compound whole.
        assertThat(Cli.run("search", out.toString(), "KeyPair.getPublic()").out())
                .contains("api/keypair.html");
        assertThat(Cli.run("search", out.toString(), "getpublic").code()).isEqualTo(1);
        Cli again = index(site, out);
        assertThat(again.err())
                .contains("made with the standard analyzer; rebuilding it with standard-parts");
        assertThat(Cli.run("search", out.toString(), "getpublic").out())
                .contains("api/keypair.html");
    }

    @Test
    void badFilesAreSkippedWithAReasonAndTheRestIsIndexed() throws Exception {
        Path site = site();
        Files.write(site.resolve("blob.html"), new byte[] {1, 0, 2, 0});
        Files.write(site.resolve("latin.htm"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        Files.writeString(site.resolve("deep.html"), "<div>".repeat(20_000) + "deepword");
        Path out = tmp.resolve("tree");
        Cli run = index(site, out);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("skipped blob.html: looks binary")
                .contains("skipped latin.htm: is not valid UTF-8")
                .doesNotContain("Exception");
        assertThat(Cli.run("search", out.toString(), "deepword").code()).isZero();
    }

    @Test
    void userErrorsAreOneLineWithTheirExitCode() throws Exception {
        Path out = tmp.resolve("tree");
        Cli missing = index(tmp.resolve("nope"), out);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip())
                .startsWith("distree: no such folder:")
                .doesNotContain("\n");

        Cli badUrl = Cli.run(
                "index-site",
                site().toString(),
                "--base-url",
                "example.org",
                "--out",
                out.toString());
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err().strip()).contains("must be an absolute http, https or file URL");

        Files.createDirectories(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full/keep.txt"), "mine");
        Cli full = index(tmp.resolve("site"), tmp.resolve("full"));
        assertThat(full.code()).isEqualTo(1);
        assertThat(full.err()).contains("holds files but no tree; use --force");
        assertThat(tmp.resolve("full/keep.txt")).exists();

        Cli none = index(tmp.resolve("site"), out, "--analyzer", "none");
        assertThat(none.code()).isEqualTo(2);
    }

    @Test
    void theSiteDemoIndexesTheEmbeddedTutorialAndSearchesIt() throws Exception {
        Path out = tmp.resolve("demo-site");
        Cli demo = Cli.run("demo", "--site", "--out", out.toString());
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.err())
                .contains("$ distree index-site sample-trees/pg-tutorial/site")
                .contains("indexed 25 pages")
                .contains("python3 -m http.server -d " + out);
        assertThat(demo.out()).contains("tutorial-join.html");
        assertThat(out.resolve("search.html")).exists();
    }

    private static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString();
                if (Files.isRegularFile(p) && !rel.startsWith(".distree")) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }
}
