package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistreeTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private Path entries(int n) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# key\tlink\ttitle\tcomment");
        for (int i = n - 1; i >= 0; i--) {
            lines.add("k" + i + "\thttps://example.org/" + i + "\tPage " + i + "\tcomment number "
                    + i);
        }
        return write("entries.tsv", String.join("\n", lines) + "\n");
    }

    @Test
    void buildThenSearchFindsAnEntryOfAManyLevelTree() throws Exception {
        Path tree = tmp.resolve("tree");
        Cli build = Cli.run("build", "--in", entries(5000).toString(), "--out", tree.toString());
        assertThat(build.code()).as(build.err()).isZero();
        assertThat(build.err()).contains("5,000 entries");

        Cli search = Cli.run("search", tree.toString(), "k4242");
        assertThat(search.code()).isZero();
        assertThat(search.out())
                .contains("Page 4242")
                .contains("https://example.org/4242")
                .doesNotContain("k4241");

        Cli prefix = Cli.run("search", tree.toString(), "--prefix", "k424", "--json");
        assertThat(prefix.out().lines()).hasSize(11);
        assertThat(prefix.out()).contains("\"key\":\"k4249\"");

        Cli lint = Cli.run("lint", tree.toString());
        assertThat(lint.code()).as(lint.out()).isZero();
        assertThat(lint.err()).contains("no rule broken");

        Cli stats = Cli.run("stats", tree.toString());
        assertThat(stats.out())
                .contains("entries        5,000")
                .contains("height         2")
                .contains("all kept");
    }

    @Test
    void buildReadsCsvAndJsonLines() throws Exception {
        Path csv = write(
                "e.csv",
                "key,link,title,comment\n"
                        + "apple,https://a.example/,\"Apples, red\",\"a \"\"fruit\"\"\"\n"
                        + "pear,https://p.example/,Pears,\n");
        Path jsonl = write("e.jsonl", """
                {"key":"apple","link":"https://a.example/"}

                {"key":"fig","link":"https://f.example/","comment":"sweet"}
                """);
        assertThat(Cli.run(
                                "build",
                                "--in",
                                csv.toString(),
                                "--out",
                                tmp.resolve("c").toString())
                        .code())
                .isZero();
        assertThat(Cli.run("search", tmp.resolve("c").toString(), "apple").out())
                .contains("Apples, red");
        assertThat(Cli.run(
                                "build",
                                "--in",
                                jsonl.toString(),
                                "--out",
                                tmp.resolve("j").toString())
                        .code())
                .isZero();
        assertThat(Cli.run("search", tmp.resolve("j").toString(), "fig").out())
                .contains("https://f.example/");
    }

    @Test
    void aBadRecordStopsTheBuildNamingTheLineAndLeavesNoTree() throws Exception {
        Path in = write("bad.tsv", "apple\thttps://a/\nno-link-here\nfig\thttps://f/\n");
        Path tree = tmp.resolve("tree");
        Cli build = Cli.run("build", "--in", in.toString(), "--out", tree.toString());
        assertThat(build.code()).isEqualTo(1);
        assertThat(build.err().strip())
                .isEqualTo("distree: " + in
                        + ":2: needs at least a key and a link, separated by a tab");
        assertThat(tree).doesNotExist();
        try (var siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains("building"));
        }

        Cli skip = Cli.run("build", "--in", in.toString(), "--out", tree.toString(), "--skip-bad");
        assertThat(skip.code()).isZero();
        assertThat(skip.err()).contains("2 entries").contains("1 bad records skipped");
    }

    @Test
    void buildRefusesANonEmptyFolderUnlessForced() throws Exception {
        Path tree = tmp.resolve("tree");
        Path in = entries(10);
        assertThat(Cli.run("build", "--in", in.toString(), "--out", tree.toString())
                        .code())
                .isZero();
        Cli again = Cli.run("build", "--in", in.toString(), "--out", tree.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("is not empty; use --force");
        assertThat(Cli.run(
                                "build",
                                "--in",
                                entries(20).toString(),
                                "--out",
                                tree.toString(),
                                "--force")
                        .code())
                .isZero();
        assertThat(Cli.run("search", tree.toString(), "k19").code()).isZero();
    }

    @Test
    void bytesThatAreNotUtf8AreABadRecord() throws Exception {
        Path in = tmp.resolve("latin1.tsv");
        Files.write(
                in,
                new byte[] {'a', '\t', 'h', 't', 't', 'p', ':', '/', '/', 'x', (byte) 0xE9, '\n'});
        Cli build = Cli.run(
                "build", "--in", in.toString(), "--out", tmp.resolve("t").toString());
        assertThat(build.code()).isEqualTo(1);
        assertThat(build.err()).contains("not UTF-8");
    }

    @Test
    void addDeleteAndSearchAFreshTree() throws Exception {
        Path tree = tmp.resolve("fresh");
        assertThat(Cli.run(
                                "add",
                                tree.toString(),
                                "apple",
                                "https://a.example/",
                                "A fruit",
                                "--title",
                                "Apples")
                        .code())
                .isZero();
        assertThat(Cli.run("add", tree.toString(), "apple", "https://b.example/")
                        .code())
                .isZero();
        Cli search = Cli.run("search", tree.toString(), "apple");
        assertThat(search.out()).contains("Apples").contains("https://b.example/");
        assertThat(Cli.run("delete", tree.toString(), "apple", "https://a.example/")
                        .code())
                .isZero();
        assertThat(Cli.run("search", tree.toString(), "apple").out()).doesNotContain("a.example");
        assertThat(Cli.run("delete", tree.toString(), "apple").code()).isZero();
        Cli none = Cli.run("search", tree.toString(), "apple");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("0 results");
    }

    @Test
    void aNamedCommandGetsOnlyItsOwnModelAndEverythingElseGetsAll() {
        // Building a command's model costs reflection: a run builds only the one it runs.
        assertThat(Distree.commandLine(new String[] {"search", "--help"}).getSubcommands())
                .containsOnlyKeys("search");
        List<String> all = List.of(
                "demo",
                "build",
                "index-site",
                "index-warc",
                "export",
                "add",
                "delete",
                "search",
                "cdx",
                "lint",
                "stats",
                "serve",
                "maintain",
                "simulate",
                "plot",
                "help");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "search"}, {"serch"}}) {
            assertThat(Distree.commandLine(args).getSubcommands())
                    .as(String.join(" ", args))
                    .containsOnlyKeys(all.toArray(String[]::new));
        }
        assertThat(Distree.commandLine(new String[] {"serve", "--help"}).getSubcommands())
                .containsOnlyKeys("serve");
        assertThat(Distree.commandLine().getSubcommands())
                .containsOnlyKeys(all.toArray(String[]::new));
    }

    @Test
    void theLauncherKnowsEveryCommandButTheDaemon() throws Exception {
        // The launcher keeps a class data sharing archive per command it knows; the daemon
        // (serve) runs too long for one to matter. Its list must follow Distree.COMMANDS.
        String launcher = Files.readString(Path.of("..", "distree"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\n\\s*\"\" \\| ([a-z| -]+)\\)\n").matcher(launcher);
        assertThat(m.find()).as("the launcher's list of commands").isTrue();
        List<String> listed = List.of(m.group(1).split(" \\| "));
        List<String> expected = Distree.commandLine().getSubcommands().keySet().stream()
                .filter(name -> !name.equals("serve"))
                .sorted()
                .toList();
        assertThat(listed.stream().sorted().toList()).isEqualTo(expected);
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        Cli noCommand = Cli.run();
        assertThat(noCommand.code()).isEqualTo(2);
        Path tree = tmp.resolve("tree");
        assertThat(Cli.run("add", tree.toString(), "a", "https://a/").code()).isZero();
        Cli bad = Cli.run("search", tree.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("distree: give words, or one of --prefix");
        Cli badKey = Cli.run("add", tmp.resolve("t").toString(), "x".repeat(100), "https://x/");
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err().strip())
                .contains("over the 64 byte limit")
                .doesNotContain("Exception")
                .hasLineCount(1);
        Cli unknown = Cli.run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
    }

    @Test
    void lintReportsABrokenFileAndExitsOne() throws Exception {
        Path tree = tmp.resolve("tree");
        assertThat(Cli.run("build", "--in", entries(3000).toString(), "--out", tree.toString())
                        .code())
                .isZero();
        Path leaf;
        try (var files = Files.list(tree.resolve("n"))) {
            leaf = files.sorted().findFirst().orElseThrow();
        }
        String html = Files.readString(leaf);
        Files.writeString(
                leaf,
                html.replace(
                                "</ol>",
                                "<li data-key=\"k0\"><a href=\"x\">x</a>" + "</li>\n".repeat(1)
                                        + "</ol>")
                        .replace("size=\"", "size=\"1"));
        Cli lint = Cli.run("lint", tree.toString());
        assertThat(lint.code()).isEqualTo(1);
        assertThat(lint.out().strip())
                .startsWith("n/" + leaf.getFileName() + "#item ")
                .contains(": format: data-key: entry 'k0' is not after")
                .hasLineCount(1);
    }

    @Test
    void searchOfAMissingFolderIsAOneLineFailure() {
        Cli c = Cli.run("search", tmp.resolve("nope").toString(), "apple");
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err().strip())
                .isEqualTo("distree: no such file or folder: " + tmp.resolve("nope"));
    }
}
