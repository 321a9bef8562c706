package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.distree.archive.Capture;
import org.distree.archive.CdxjReader;
import org.distree.archive.Surt;
import org.distree.model.Keys;
import org.distree.testing.Nginx;
import org.distree.testing.Required;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive workflow end to end on real WARCs: Debian's wget crawls a small site served by
 * nginx on loopback twice (the second time with {@code --warc-dedup}, so unchanged pages are
 * revisit records); {@code index-warc} indexes both files, {@code export} writes the index as
 * CDXJ, which must equal warcio's {@code cdx-index} of the same files line for line; {@code build
 * --format cdxj} and {@code export} round-trip; {@code cdx} answers from the tree on disk and
 * from the tree served by nginx, as filtering the CDXJ by hand does.
 *
 * <p>warcio is found through {@code DISTREE_WARCIO} (the path of its {@code warcio} script; .ci/run
 * installs it with npm outside the repository): without it the comparison is skipped on a laptop
 * and fails in CI.
 */
class ArchiveIT {
    private static final Path WGET = Path.of("/usr/bin/wget");
    private static final String LONG_PAGE =
            "docs/a-page-whose-name-is-long-enough-to-make-its-surt-key-cut.html";
    /**
     * Links whose captures are over a leaf's limits (docs/ARCHIVE.md, Long captures): a SURT of
     * some 640 bytes (over a title's 512) and a URL of some 3,100 bytes (its replay link over a
     * link's 2,048, its JSON block over a comment's 1,024).
     */
    private static final String LONGER = "docs/p1.html?long=" + "abcdefghij".repeat(60) + "&b=1";

    private static final String LONGEST = "docs/p2.html?token=" + "0123456789abcdef".repeat(190);

    @TempDir
    static Path dir;

    static Nginx site;
    static Path warcs;
    static List<Path> files;

    @BeforeAll
    static void crawlTwice() throws Exception {
        Nginx.require();
        Required.tool(Files.isExecutable(WGET), "wget (" + WGET + ")");
        Path root = dir.resolve("site");
        Files.createDirectories(root.resolve("docs"));
        StringBuilder index = new StringBuilder("<html><body>");
        for (int i = 0; i < 20; i++) {
            Files.writeString(
                    root.resolve("docs/p" + i + ".html"),
                    "<html><body>page " + i + " <a href=\"p" + ((i + 1) % 20) + ".html\">next</a>"
                            + " <a href=\"p" + i + ".html?v=" + (i % 3) + "&a=b\">self</a>"
                            + "</body></html>",
                    StandardCharsets.UTF_8);
            index.append("<a href=\"docs/p")
                    .append(i)
                    .append(".html\">")
                    .append(i)
                    .append("</a> ");
        }
        Files.writeString(root.resolve(LONG_PAGE), "<html><body>long</body></html>");
        index.append("<a href=\"")
                .append(LONG_PAGE)
                .append("\">long</a> ")
                .append("<a href=\"")
                .append(LONGER)
                .append("\">longer</a> <a href=\"")
                .append(LONGEST)
                .append("\">longest</a> ")
                .append("<a href=\"gone.html\">gone</a> <a href=\"docs\">docs</a></body></html>");
        Files.writeString(root.resolve("index.html"), index.toString(), StandardCharsets.UTF_8);
        Files.writeString(root.resolve("docs/index.html"), "<html><body>docs</body></html>");
        site = Nginx.serve(root, dir.resolve("nginx"));
        warcs = Files.createDirectories(dir.resolve("warcs"));
        wget("--warc-file=crawl1", "--warc-cdx");
        // A second crawl two seconds later, so that no capture shares a first crawl's timestamp
        // (two captures of one URL in one second are one entry, ARCHIVE.md; waiting only for the
        // clock's next second still let both crawls stamp a page in the same second in CI);
        // one page changed, the others are revisits of the first crawl's payloads.
        Files.writeString(root.resolve("docs/p3.html"), "<html><body>changed</body></html>");
        Thread.sleep(2000);
        wget("--warc-file=crawl2", "--warc-dedup=crawl1.cdx");
        files = List.of(warcs.resolve("crawl1.warc.gz"), warcs.resolve("crawl2.warc.gz"));
    }

    private static void wget(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                WGET.toString(),
                "-q",
                "-r",
                "-l",
                "inf",
                "-np",
                "--delete-after",
                "--no-warc-keep-log",
                "-e",
                "robots=on"));
        cmd.addAll(List.of(args));
        cmd.add(site.url("/").toString());
        Process p = new ProcessBuilder(cmd)
                .directory(warcs.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("wget.log").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("wget finished").isTrue();
        // wget exits 8 when a link was 404, as gone.html is.
        assertThat(p.exitValue()).isIn(0, 8);
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static Path indexed(String name) throws IOException {
        Path tree = dir.resolve(name);
        if (!Files.exists(tree)) {
            List<String> args = new ArrayList<>(List.of("index-warc", "--out", tree.toString()));
            files.forEach(f -> args.add(f.toString()));
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertThat(cli.code()).as(cli.err()).isZero();
        }
        return tree;
    }

    private static List<String> export(Path tree) {
        Cli cli = Cli.run("export", "--format", "cdxj", tree.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        return cli.out().lines().toList();
    }

    /** The warcio script of {@code DISTREE_WARCIO}; the test is skipped (or fails in CI) without. */
    private static String warcio() {
        String warcio = System.getenv("DISTREE_WARCIO");
        Required.tool(
                warcio != null && Files.isExecutable(Path.of(warcio)),
                "warcio 2.4.11 (DISTREE_WARCIO: the warcio script that npm i warcio@2.4.11 makes)");
        return warcio;
    }

    /**
     * The lines of {@code warcio cdx-index FILES} run in {@code folder}, sorted as the tree's
     * export is (warcio does not sort); its stderr goes to {@code err} in the test's folder.
     */
    private List<String> cdxIndex(String warcio, Path folder, String err, String... files)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(warcio, "cdx-index"));
        command.addAll(List.of(files));
        Process p = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectError(dir.resolve(err).toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> lines = new ArrayList<>(out.lines().toList());
        lines.sort(Keys.ORDER);
        return lines;
    }

    @Test
    void exportOfTheWarcsIndexIsWarciosCdxIndexLineForLine() throws Exception {
        String warcio = warcio();
        List<String> theirs =
                cdxIndex(warcio, warcs, "warcio.err", "crawl1.warc.gz", "crawl2.warc.gz");
        List<String> ours = export(indexed("tree"));
        assertThat(ours).hasSize(theirs.size());
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("line " + (i + 1)).isEqualTo(theirs.get(i));
        }
    }

    /**
     * ARC files (version 1) made of wget's responses of the first crawl, each its WARC record's
     * block (the HTTP response as received) under an ARC header line, plain and gzipped a member
     * a record: warcio reads no ARC file, so their captures are checked against the WARC's, which
     * warcio checks: every field the same but where the record is, and the payload SHA-1 that
     * index-warc computes the same as the WARC-Payload-Digest wget wrote.
     */
    @Test
    void arcFilesOfTheCrawlsResponsesIndexAsTheirWarcRecords() throws Exception {
        Path arcs = Files.createDirectories(dir.resolve("arcs"));
        List<Long> offsets = new ArrayList<>();
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        List<Long> members = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        records.add(arcRecord(
                "filedesc://crawl1.arc",
                "0.0.0.0",
                "20260101000000",
                "text/plain",
                "1 0 Distree\nURL IP-address Archive-date Content-type Archive-length\n"
                        .getBytes(StandardCharsets.US_ASCII)));
        try (org.netpreserve.jwarc.WarcReader reader =
                new org.netpreserve.jwarc.WarcReader(files.get(0))) {
            for (org.netpreserve.jwarc.WarcRecord r : reader) {
                if (r instanceof org.netpreserve.jwarc.WarcResponse resp) {
                    records.add(arcRecord(
                            resp.target(),
                            resp.ipAddress().map(a -> a.getHostAddress()).orElse("0.0.0.0"),
                            java.time.format.DateTimeFormatter.ofPattern(
                                            "yyyyMMddHHmmss", java.util.Locale.ROOT)
                                    .withZone(java.time.ZoneOffset.UTC)
                                    .format(resp.date()),
                            resp.http().contentType().base().toString(),
                            resp.body().stream().readAllBytes()));
                }
            }
        }
        for (byte[] rec : records) {
            offsets.add((long) plain.size());
            plain.writeBytes(rec);
            members.add((long) gzipped.size());
            java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(member)) {
                gz.write(rec);
            }
            gzipped.writeBytes(member.toByteArray());
        }
        Files.write(arcs.resolve("crawl1.arc"), plain.toByteArray());
        Files.write(arcs.resolve("crawl1.arc.gz"), gzipped.toByteArray());
        Path tree = dir.resolve("arc-tree");
        Cli cli = Cli.run(
                "index-warc",
                "--out",
                tree.toString(),
                arcs.resolve("crawl1.arc").toString(),
                arcs.resolve("crawl1.arc.gz").toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        List<String> warcLines = export(indexed("tree")).stream()
                .filter(l -> l.contains("\"filename\":\"crawl1.warc.gz\""))
                .filter(l -> l.contains("\"url\":\"http") && !l.contains("warc/revisit"))
                .map(ArchiveIT::withoutPlace)
                .toList();
        assertThat(warcLines)
                .hasSizeGreaterThan(20)
                .anyMatch(l -> l.contains("\"status\":\"404\""));
        List<String> arcLines = export(tree);
        for (String file : List.of("crawl1.arc", "crawl1.arc.gz")) {
            List<Capture> ofFile = arcLines.stream()
                    .filter(l -> l.endsWith("\"filename\":\"" + file + "\"}"))
                    .map(CdxjReader::parse)
                    .toList();
            assertThat(ofFile.stream()
                            .map(Capture::line)
                            .map(ArchiveIT::withoutPlace)
                            .toList())
                    .as(file)
                    .isEqualTo(warcLines);
            // Each capture's offset and length are its ARC record's: its header line and block
            // (less the newline after it), or its gzip member.
            boolean gz = file.endsWith(".gz");
            List<Long> starts = gz ? members : offsets;
            long end = gz ? gzipped.size() : plain.size();
            for (Capture c : ofFile) {
                com.fasterxml.jackson.databind.JsonNode json =
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.json());
                long offset = json.get("offset").asLong();
                int i = starts.indexOf(offset);
                assertThat(i).as(c.line()).isPositive();
                long next = i + 1 < starts.size() ? starts.get(i + 1) : end;
                assertThat(json.get("length").asLong()).isEqualTo(next - offset - (gz ? 0 : 1));
                byte[] rec = records.get(i);
                String url = json.get("url").asText();
                assertThat(new String(
                                rec,
                                0,
                                Math.min(rec.length, url.length() + 1),
                                StandardCharsets.UTF_8))
                        .isEqualTo(url + " ");
            }
        }
    }

    /** An ARC record: the header line, the block, a newline. */
    private static byte[] arcRecord(String url, String ip, String date, String type, byte[] block) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes((url + " " + ip + " " + date + " " + type + " " + block.length + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(block);
        out.write('\n');
        return out.toByteArray();
    }

    /** A CDXJ line without the fields that say where its record is. */
    private static String withoutPlace(String line) {
        return line.replaceAll(
                ",\"length\":\"\\d+\",\"offset\":\"\\d+\",\"filename\":\"[^\"]+\"}$", "}");
    }

    @Test
    void theWarcsHoldResponsesRevisitsNotFoundsAndALongUrl() throws Exception {
        List<String> lines = export(indexed("tree"));
        assertThat(lines).anyMatch(l -> l.contains("\"mime\":\"warc/revisit\""));
        assertThat(lines).anyMatch(l -> l.contains("\"status\":\"404\""));
        assertThat(lines).anyMatch(l -> l.contains("\"status\":\"301\""));
        assertThat(lines)
                .anyMatch(l -> l.startsWith(Surt.of(site.url("/" + LONG_PAGE).toString()) + " "));
        for (String longer : List.of(LONGER, LONGEST)) {
            assertThat(lines.stream()
                            .filter(l ->
                                    l.startsWith(Surt.of(site.url("/" + longer).toString()) + " ")))
                    .as(longer)
                    .hasSize(2);
        }
        assertThat(lines)
                .anyMatch(l -> l.contains("crawl1.warc.gz") && l.contains("/docs/p3.html\""));
        assertThat(lines.stream().filter(l -> l.contains("/docs/p3.html\"")))
                .hasSize(2)
                .noneMatch(l -> l.contains("warc/revisit"));
    }

    @Test
    void buildFromCdxjAndExportRoundTripLineForLine() throws Exception {
        List<String> lines = new ArrayList<>(export(indexed("tree")));
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(17));
        Path in = dir.resolve("shuffled.cdxj");
        Files.write(in, shuffled, StandardCharsets.UTF_8);
        Path tree = dir.resolve("from-cdxj");
        Cli build = Cli.run(
                "build",
                "--in",
                in.toString(),
                "--out",
                tree.toString(),
                "--replay",
                "https://archive.example/web/{timestamp}/{url}");
        assertThat(build.code()).as(build.err()).isZero();
        assertThat(build.err()).contains(lines.size() + " entries");
        assertThat(export(tree)).isEqualTo(lines);
        Path out = dir.resolve("again.cdxj");
        assertThat(Cli.run("export", "--format", "cdxj", tree.toString(), "--out", out.toString())
                        .code())
                .isZero();
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).isEqualTo(lines);
        StringBuilder nodes = new StringBuilder();
        try (var list = Files.list(tree.resolve("n"))) {
            for (Path f : list.toList()) {
                nodes.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(nodes).contains("https://archive.example/web/2").contains("data-digest=\"sha1:");
    }

    @Test
    void cdxAnswersAsFilteringTheCdxjByHandFromDiskAndOverHttp() throws Exception {
        Path tree = indexed("tree");
        List<Capture> all = new ArrayList<>();
        for (String l : export(tree)) {
            all.add(CdxjReader.parse(l));
        }
        String p1 = site.url("/docs/p1.html").toString();
        String p1Surt = Surt.of(p1);
        List<String> exact = all.stream()
                .filter(c -> c.surt().equals(p1Surt))
                .map(Capture::line)
                .toList();
        assertThat(exact).hasSize(2);
        Cli cli = Cli.run("cdx", tree.toString(), p1);
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out().lines().toList()).isEqualTo(exact);

        String docs = Surt.of(site.url("/docs/").toString());
        List<String> prefix = all.stream()
                .filter(c -> c.surt().startsWith(docs))
                .map(Capture::line)
                .toList();
        assertThat(prefix).hasSizeGreaterThan(40);
        try (Nginx served = Nginx.serve(tree, dir.resolve("nginx-tree"))) {
            Cli http = Cli.run(
                    "cdx",
                    served.url("/").toString(),
                    site.url("/docs/").toString(),
                    "--match-type",
                    "prefix");
            assertThat(http.code()).as(http.err()).isZero();
            assertThat(http.out().lines().toList()).isEqualTo(prefix);
        }

        String second = CdxjReader.parse(exact.get(1)).timestamp();
        Cli closest = Cli.run(
                "cdx",
                tree.toString(),
                p1,
                "--closest",
                second,
                "--limit",
                "1",
                "--output",
                "json");
        assertThat(closest.out().strip())
                .startsWith("{\"urlkey\":\"" + p1Surt + "\",\"timestamp\":\"" + second + "\"");
        Cli from = Cli.run(
                "cdx",
                tree.toString(),
                site.url("/").toString(),
                "--match-type",
                "host",
                "--from",
                second);
        String host = Surt.of(site.url("/").toString());
        assertThat(from.out().lines().toList())
                .isEqualTo(all.stream()
                        .filter(c ->
                                c.surt().startsWith(host) && c.timestamp().compareTo(second) >= 0)
                        .map(Capture::line)
                        .toList());
        // Long captures (record entries): each URL's two captures, from disk and over HTTP.
        try (Nginx served = Nginx.serve(tree, dir.resolve("nginx-tree-long"))) {
            for (String longer : List.of(LONGER, LONGEST)) {
                String url = site.url("/" + longer).toString();
                String surt = Surt.of(url);
                List<String> captures = all.stream()
                        .filter(c -> c.surt().equals(surt))
                        .map(Capture::line)
                        .toList();
                assertThat(captures).as(longer).hasSize(2);
                for (String root : List.of(tree.toString(), served.url("/").toString())) {
                    Cli c = Cli.run("cdx", root, url);
                    assertThat(c.code()).as(c.err()).isZero();
                    assertThat(c.out().lines().toList()).as(root).isEqualTo(captures);
                }
            }
        }
        Cli none = Cli.run("cdx", tree.toString(), "http://example.org/");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
    }

    @Test
    void verifyReportsEveryCaptureWhosePageChangedSinceAndNoOther() throws Exception {
        Path tree = dir.resolve("live");
        List<String> args = new ArrayList<>(
                List.of("index-warc", "--out", tree.toString(), "--replay", "{url}"));
        files.forEach(f -> args.add(f.toString()));
        assertThat(Cli.run(args.toArray(String[]::new)).code()).isZero();
        Path p5 = dir.resolve("site/docs/p5.html");
        String before = Files.readString(p5, StandardCharsets.UTF_8);
        Files.writeString(p5, before.replace("page 5", "page five"), StandardCharsets.UTF_8);
        try {
            String prefix = Surt.of(site.url("/docs/p").toString());
            Cli cli = Cli.run(
                    "search",
                    tree.toString(),
                    "--prefix",
                    prefix,
                    "--limit",
                    "0",
                    "--json",
                    "--verify");
            assertThat(cli.code()).as(cli.err()).isEqualTo(1);
            int checked = 0;
            for (String line : cli.out().lines().toList()) {
                com.fasterxml.jackson.databind.JsonNode o =
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                String link = o.get("link").asText();
                boolean firstCrawl = o.get("comment").asText().contains("crawl1.warc.gz");
                boolean changed = link.contains("/docs/p5.html")
                        || (link.contains("/docs/p3.html") && firstCrawl);
                assertThat(o.get("verify").asText())
                        .as(link + " " + o.get("key").asText())
                        .isEqualTo(changed ? "mismatch" : "ok");
                checked++;
            }
            assertThat(checked).isGreaterThan(70);
            assertThat(cli.err()).contains("6 mismatched, 0 unchecked");
        } finally {
            Files.writeString(p5, before, StandardCharsets.UTF_8);
        }
    }

    /**
     * POST, PUT and DELETE requests (form, JSON and multipart bodies, a bad escape) sent by wget
     * to a location of nginx that answers them 200: each capture is keyed by its method and body,
     * and the export equals warcio's CDXJ of the same WARC line for line.
     */
    @Test
    void postAndPutCapturesKeyAsInWarciosCdxIndexLineForLine() throws Exception {
        String warcio = warcio();
        Path posts = Files.createDirectories(dir.resolve("posts"));
        Path root = Files.createDirectories(dir.resolve("posts-site"));
        List<Path> parts = new ArrayList<>();
        try (Nginx api = Nginx.serve(
                root, dir.resolve("nginx-posts"), "location /api/ { return 200 \"ok\"; }")) {
            String u = api.url("/api/").toString();
            String[][] requests = {
                {"--post-data=b=2&a=1", u + "form"},
                {"--post-data=a=3&c=%C3%A9+x", u + "form"},
                {"--post-data=a=%ZZ", u + "form?page=2"},
                {"--method=PUT", "--body-data=name=put&v=1", u + "item"},
                {"--method=DELETE", u + "item"},
                {
                    "--header=Content-Type: application/json",
                    "--post-data={\"z\":[1,2.5],\"a\":null}",
                    u + "json"
                },
                {
                    "--header=Content-Type: multipart/form-data; boundary=XyZ",
                    "--post-data=--XyZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--XyZ--\r\n",
                    u + "upload"
                },
            };
            for (int i = 0; i < requests.length; i++) {
                List<String> cmd = new ArrayList<>(List.of(
                        WGET.toString(),
                        "-q",
                        "-O",
                        "/dev/null",
                        "--no-warc-keep-log",
                        "--warc-file=part" + i));
                cmd.addAll(List.of(requests[i]));
                Process p = new ProcessBuilder(cmd)
                        .directory(posts.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("wget-posts.log").toFile())
                        .start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("wget finished").isTrue();
                assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
                parts.add(posts.resolve("part" + i + ".warc.gz"));
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path part : parts) {
            all.writeBytes(Files.readAllBytes(part)); // gzip members: one WARC
        }
        Path warc = Files.write(posts.resolve("posts.warc.gz"), all.toByteArray());
        List<String> theirs = cdxIndex(warcio, posts, "warcio-posts.err", "posts.warc.gz");
        Path tree = dir.resolve("posts-tree");
        Cli cli = Cli.run("index-warc", "--out", tree.toString(), warc.toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        List<String> ours = export(tree);
        assertThat(ours).hasSize(theirs.size());
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("line " + (i + 1)).isEqualTo(theirs.get(i));
        }
        assertThat(ours)
                .anyMatch(l -> l.contains(")/api/form?__wb_method=post&a=1&b=2 "))
                .anyMatch(l -> l.contains(")/api/form?__wb_method=post&a=3&c=%C3%A9+x "))
                .anyMatch(l -> l.contains(")/api/item?__wb_method=put&name=put&v=1 "))
                .anyMatch(l -> l.contains(")/api/json?__wb_method=post&a=null&z.2_=2.5&z=1 "))
                .anyMatch(l -> l.contains(")/api/upload?__wb_method=post&f=v "));
    }

    @Test
    void aTruncatedWarcStopsTheIndexNamingTheRecordOrIsSkippedWithOneLine() throws Exception {
        byte[] whole = Files.readAllBytes(files.get(0));
        Path cut = dir.resolve("cut.warc.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        Path tree = dir.resolve("cut-tree");
        Cli stop = Cli.run("index-warc", cut.toString(), "--out", tree.toString());
        assertThat(stop.code()).isEqualTo(1);
        assertThat(stop.err().strip())
                .hasLineCount(1)
                .matches("distree: cut\\.warc\\.gz: record at offset [0-9,]+: truncated.*");
        assertThat(tree).doesNotExist();
        Cli skip = Cli.run("index-warc", cut.toString(), "--out", tree.toString(), "--skip-bad");
        assertThat(skip.code()).as(skip.err()).isZero();
        assertThat(skip.err()).contains("1 bad records skipped").contains("record at offset");
        assertThat(export(tree)).isNotEmpty();
    }
}
