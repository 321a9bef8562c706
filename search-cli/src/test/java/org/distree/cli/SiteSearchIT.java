package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.model.Keys;
import org.distree.testing.Chromium;
import org.distree.testing.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search page and the plain node pages in a real Chromium, served by a real nginx, over a
 * tree made by {@code distree index-site}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteSearchIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVIL_TITLE = "<img src=x onerror=\"window.pwned=1\"> Evil & \"quoted\"";

    Nginx nginx;
    ChromeDriver browser;
    /** The tree nginx serves. */
    Path tree;

    @BeforeAll
    void serveAnIndexedSite(@TempDir Path tmp) throws Exception {
        Nginx.require();
        Chromium.require();
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("birds"));
        // Enough pages for a tree of height 2 or more, so that clicking down takes steps.
        String[] words = {
            "river", "stone", "cloud", "maple", "ember", "harbor", "quill", "violet", "tundra",
            "saffron", "walnut", "zephyr"
        };
        for (int i = 0; i < 400; i++) {
            StringBuilder body = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                body.append(words[(i * 7 + j * 3) % words.length])
                        .append(i * 31 + j)
                        .append(' ');
            }
            write(site.resolve("p/" + i + ".html"), "Page " + i, body.toString());
        }
        // Pages where two words stand in different places and amounts, for ranking by score.
        for (int i = 0; i < 30; i++) {
            StringBuilder body = new StringBuilder();
            body.append("heron ".repeat(i % 5)).append("egret ".repeat(i % 3));
            for (int j = 0; j < 10 + 7 * i; j++) {
                body.append("marsh").append(j % 13).append(' ');
            }
            write(
                    site.resolve("wading/w" + i + ".html"),
                    i % 4 == 0 ? "Heron notes " + i : "Wading birds " + i,
                    body.toString());
        }
        write(
                site.resolve("birds/penguin.html"),
                "Penguins",
                "Penguins waddle across the Antarctic ice.");
        write(
                site.resolve("api/keypair.html"),
                "KeyPair",
                "Call <code>KeyPair.getPublic()</code> for the public key.");
        write(
                site.resolve("api/signature.html"),
                "A signature",
                "A keypair signs; getPublic verifies.");
        write(
                site.resolve("evil.html"),
                EVIL_TITLE.replace("&", "&amp;").replace("<", "&lt;"),
                "hostileword &lt;/li&gt;&lt;script&gt;window.pwned=2&lt;/script&gt;");
        Path out = tmp.resolve("www");
        StringWriter err = new StringWriter();
        int code = Distree.execute(
                new String[] {
                    "index-site",
                    site.toString(),
                    "--base-url",
                    "https://birds.example/",
                    "--out",
                    out.toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        tree = out;
        nginx = Nginx.serve(out, tmp.resolve("nginx"));
        browser = Chromium.start();
    }

    private static void write(Path p, String title, String body) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(
                p,
                "<!DOCTYPE html><html><head><meta charset=utf-8><title>" + title
                        + "</title></head><body><p>" + body + "</p></body></html>",
                StandardCharsets.UTF_8);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private List<WebElement> results() {
        return browser.findElements(By.cssSelector("#results li.result"));
    }

    @Test
    void theSearchPageFindsAPageByAWordFromItsBody() throws Exception {
        browser.get(nginx.url("/index.html").toString());
        browser.findElement(By.linkText("Search this index")).click();
        WebElement q = waitUpTo(10).until(d -> d.findElement(By.id("q")));
        q.sendKeys("Antarctic ");
        waitUpTo(20).until(d -> d.findElement(By.id("status")).getText().startsWith("1 page"));
        Chromium.screenshot(browser, "search-finds-antarctic");
        List<WebElement> found = results();
        assertThat(found).hasSize(1);
        WebElement link = found.get(0).findElement(By.cssSelector("a.title"));
        assertThat(link.getText()).isEqualTo("Penguins");
        assertThat(link.getAttribute("href")).isEqualTo("https://birds.example/birds/penguin.html");
        assertThat(found.get(0).getText()).contains("Penguins waddle across the Antarctic ice.");
        assertThat(browser.getCurrentUrl()).endsWith("search.html?q=Antarctic+");
    }

    @Test
    void aPartOfACompoundWordFindsThePageAndTheWholeRanksFirst() throws Exception {
        browser.get(nginx.url("/search.html").toString());
        browser.findElement(By.id("q")).sendKeys("getpublic ");
        waitUpTo(20).until(d -> d.findElement(By.id("status")).getText().startsWith("2 pages"));
        assertThat(results())
                .extracting(r -> r.findElement(By.cssSelector("a.title")).getText())
                .containsExactlyInAnyOrder("KeyPair", "A signature");
        Chromium.screenshot(browser, "search-finds-a-part");

        browser.get(nginx.url("/search.html?q=KeyPair.getPublic()").toString());
        waitUpTo(20).until(d -> d.findElement(By.id("status")).getText().startsWith("2 pages"));
        // The page holding keypair.getpublic whole first, though the other holds both parts
        // and its title sorts first.
        assertThat(results())
                .extracting(r -> r.findElement(By.cssSelector("a.title")).getText())
                .containsExactly("KeyPair", "A signature");
        assertThat(results().get(0).getText()).contains("https://birds.example/api/keypair.html");
        Chromium.screenshot(browser, "search-ranks-the-whole-first");
    }

    /** Issue 19: the browser and the command line rank alike, by score. */
    @Test
    void theSearchPageAndTheCommandLineListTheSameFirstTen() throws Exception {
        List<String> queries = List.of(
                "heron",
                "egret",
                "heron egret",
                "marsh3 heron",
                "KeyPair.getPublic()",
                "getpublic");
        for (String q : queries) {
            browser.get(nginx.url("/search.html?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                    .toString());
            waitUpTo(20)
                    .until(d -> d.findElement(By.id("status"))
                            .getText()
                            .matches("(\\d+ pages?|No pages).*"));
            List<String> inBrowser = results().stream()
                    .limit(10)
                    .map(r -> r.findElement(By.cssSelector("a.title")).getAttribute("href"))
                    .toList();
            assertThat(inBrowser).as(q).isEqualTo(commandLine(q, 10));
            if (q.equals("heron")) {
                // Ranked by score, not by link: the pages titled for the word come first, and
                // the list is not in link order.
                assertThat(inBrowser)
                        .hasSize(10)
                        .isNotEqualTo(inBrowser.stream().sorted().toList());
                assertThat(inBrowser.get(0)).matches(".*/wading/w(0|4|8|12|16|20|24|28)\\.html");
            }
        }
        Chromium.screenshot(browser, "search-ranks-as-the-command-line");
    }

    /**
     * Plain entries added with a score column (not made by index-site) rank by their scores in
     * the browser as on the command line.
     */
    @Test
    void entriesAddedWithScoresRankByThemInTheBrowserAsOnTheCommandLine() throws Exception {
        Path tsv = Files.createTempFile("kestrel", ".tsv");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            // Scores out of link order: 7 * i mod 12 takes every value once.
            lines.append("kestrel\thttps://falcons.example/k")
                    .append(i)
                    .append("\tKestrel ")
                    .append(i)
                    .append("\t\t\t")
                    .append(1 + (7 * i) % 12)
                    .append('\n');
        }
        Files.writeString(tsv, lines.toString(), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        int code = Distree.execute(
                new String[] {"add", tree.toString(), "--in", tsv.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();

        // The tree changed under the pages the other tests loaded: a browser may keep its
        // entry page for a while (nginx sends no Cache-Control; SITE.md says what to send).
        browser.executeCdpCommand("Network.clearBrowserCache", Map.of());
        browser.get(nginx.url("/search.html?q=kestrel").toString());
        waitUpTo(20).until(d -> !d.findElement(By.id("status")).getText().matches("|Searching.*"));
        String status = browser.findElement(By.id("status")).getText();
        List<String> inBrowser = results().stream()
                .limit(10)
                .map(r -> r.findElement(By.cssSelector("a.title")).getAttribute("href"))
                .toList();

        assertThat(inBrowser).as(status).isEqualTo(commandLine("kestrel", 10));
        // Score 12 is k5 (7 * 5 mod 12 = 11), 11 is k10, 10 is k3, ...
        assertThat(inBrowser.subList(0, 3))
                .containsExactly(
                        "https://falcons.example/k5",
                        "https://falcons.example/k10",
                        "https://falcons.example/k3");
    }

    /** The links {@code distree search} prints for {@code query}, best first. */
    private List<String> commandLine(String query, int limit) throws Exception {
        List<String> args = new ArrayList<>(List.of("search", nginx.url("/").toString()));
        args.addAll(List.of(query.split(" ")));
        args.addAll(List.of("--limit", Integer.toString(limit), "--json"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Distree.execute(
                args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        List<String> links = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            if (!line.isBlank()) {
                links.add(JSON.readTree(line).get("link").asText());
            }
        }
        return links;
    }

    @Test
    void resultsShowAsYouTypeAPartOfAWord() throws Exception {
        browser.get(nginx.url("/search.html").toString());
        browser.findElement(By.id("q")).sendKeys("waddl");
        waitUpTo(20).until(d -> !results().isEmpty());
        assertThat(results().get(0).getText()).contains("Penguins");
        Chromium.screenshot(browser, "search-as-you-type");
    }

    @Test
    void nodeTextIsShownAsTextNeverRunAsHtml() throws Exception {
        browser.get(nginx.url("/search.html?q=hostileword").toString());
        waitUpTo(20).until(d -> !results().isEmpty());
        Chromium.screenshot(browser, "search-escapes-node-text");
        WebElement r = results().get(0);
        assertThat(r.findElement(By.cssSelector(".title")).getText()).isEqualTo(EVIL_TITLE);
        assertThat(r.getText()).contains("</li><script>window.pwned=2</script>");
        assertThat(browser.findElements(By.cssSelector("#results img, #results script")))
                .isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void aPersonCanClickFromTheRootDownToALeaf() throws Exception {
        String word = "penguins";
        browser.get(nginx.url("/index.html").toString());
        Chromium.screenshot(browser, "browse-0-index");
        browser.findElement(By.linkText("Start at the root")).click();
        List<Integer> heights = new ArrayList<>();
        for (int step = 1; step <= 12; step++) {
            WebElement node = waitUpTo(10).until(d -> d.findElement(By.tagName("distree")));
            int height = Integer.parseInt(node.getAttribute("height"));
            heights.add(height);
            Chromium.screenshot(browser, "browse-" + step + "-height-" + height);
            if (height == 0) {
                break;
            }
            WebElement next = null;
            for (WebElement a : node.findElements(By.cssSelector("li > a[data-height]"))) {
                String low = a.getAttribute("data-low");
                String high = a.getAttribute("data-high");
                if ((low == null || Keys.compare(low, word) <= 0)
                        && (high == null || Keys.compare(word, high) < 0)) {
                    next = a;
                }
            }
            assertThat(next)
                    .as("a child whose range holds '%s' at height %d", word, height)
                    .isNotNull();
            next.click();
        }
        assertThat(heights).hasSizeGreaterThanOrEqualTo(2).last().isEqualTo(0);
        assertThat(heights).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        // The leaf lists the pages holding the word by their records; the record names the page.
        WebElement entry =
                browser.findElement(By.cssSelector("li[data-key='" + word + "'][data-records] a"));
        assertThat(entry.getAttribute("href")).matches(".*/p/[0-9a-z]+\\.html");
        entry.click();
        WebElement page =
                waitUpTo(10).until(d -> d.findElement(By.cssSelector("distree-record a")));
        Chromium.screenshot(browser, "browse-record");
        assertThat(page.getAttribute("href")).isEqualTo("https://birds.example/birds/penguin.html");
        assertThat(page.getText()).isEqualTo("Penguins");
        assertThat(browser.getTitle()).isEqualTo("Penguins");
    }

    @Test
    void tenResultsShowWithTheirRecordsAndMoreComeWhenAsked() throws Exception {
        // "page" is in the title of 400 pages: far more than ten results.
        browser.get(nginx.url("/search.html?q=page").toString());
        waitUpTo(20).until(d -> d.findElement(By.id("status")).getText().matches("\\d+ pages.*"));
        String status = browser.findElement(By.id("status")).getText();
        int pages = Integer.parseInt(status.substring(0, status.indexOf(' ')));
        assertThat(pages).isEqualTo(400);
        assertThat(status).contains("(first 10 shown)").contains(" 10 records,");
        assertThat(results())
                .hasSize(10)
                .allSatisfy(
                        r -> assertThat(r.findElement(By.cssSelector("a.title")).getText())
                                .startsWith("Page "));
        browser.findElement(By.cssSelector("#results li.more button")).click();
        waitUpTo(20).until(d -> results().size() == 20);
        Chromium.screenshot(browser, "search-shows-more");
        assertThat(results())
                .allSatisfy(r -> assertThat(
                                r.findElement(By.cssSelector("a.title")).getAttribute("href"))
                        .startsWith("https://birds.example/p/"));
        assertThat(browser.findElement(By.id("status")).getText()).contains(" 20 records,");
    }
}
