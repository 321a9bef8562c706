package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distree.html.IndexPage;
import org.distree.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Hostile text in entries is inert in a real browser (headless Chromium): a key, title or
 * comment holding a script, and a {@code javascript:} link, on the search page, the landing page
 * and the node file itself. Each script would set {@code window.pwned} or change the title.
 */
class BrowserIT {
    private static final String HOSTILE_KEY = "<script>window.pwned=1</script>";
    private static final String HOSTILE_TITLE =
            "<script>document.title='pwned';window.pwned=2</script>";
    private static final String HOSTILE_COMMENT = "<img src=x onerror=\"window.pwned=3\">";
    private static final String JS_LINK = "javascript:window.pwned=4;document.title='pwned'";

    @TempDir
    static Path dir;

    static TestDaemon d;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        d = TestDaemon.start(dir.resolve("tree"), Map.of());
        String tsv = HOSTILE_KEY + "\thttps://a.example/\t" + HOSTILE_TITLE + "\t"
                + HOSTILE_COMMENT + "\n"
                + "jslink\t" + JS_LINK + "\tclick me\t" + HOSTILE_COMMENT + "\n"
                + "plain\thttps://b.example/\tPlain\tfine\n";
        assertThat(d.postEntries(tsv).statusCode()).isEqualTo(200);
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (d != null) {
            d.close();
        }
    }

    private void assertNothingRan(String title) {
        Object pwned = ((JavascriptExecutor) browser).executeScript("return window.pwned;");
        assertThat(pwned).as("window.pwned on " + browser.getCurrentUrl()).isNull();
        assertThat(browser.getTitle()).isEqualTo(title);
    }

    @Test
    void searchResultsAreInert() {
        browser.get(d.url.resolve(
                        "/search?mode=prefix&q=" + URLEncoder.encode("<", StandardCharsets.UTF_8))
                .toString());
        String text = browser.findElement(By.tagName("table")).getText();
        assertThat(text).contains(HOSTILE_KEY).contains(HOSTILE_TITLE).contains(HOSTILE_COMMENT);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertNothingRan("Search: <");

        browser.get(d.url.resolve("/search?mode=exact&q=jslink").toString());
        assertThat(browser.findElements(By.cssSelector("a[href^='javascript']")))
                .isEmpty();
        assertThat(browser.findElement(By.tagName("table")).getText()).contains(JS_LINK);
        assertNothingRan("Search: jslink");
    }

    @Test
    void theLandingPageIsInert() {
        browser.get(d.url.toString());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Distree node");
        assertNothingRan("Distree node");
    }

    @Test
    void theNodeFileIsInertEvenWhenItsJavascriptLinkIsClicked() throws Exception {
        String root = IndexPage.rootHref(Files.readString(d.data.resolve("index.html")));
        browser.get(d.url.resolve("/" + root).toString());
        String title = browser.getTitle();
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains(HOSTILE_KEY.substring(0, 8))
                .contains(HOSTILE_TITLE);
        assertNothingRan(title);
        // The file keeps the link as written (it is the tree's data), but the page's content
        // security policy forbids running it.
        List<WebElement> js = browser.findElements(By.cssSelector("a[href^='javascript']"));
        assertThat(js).hasSize(1);
        js.get(0).click();
        assertNothingRan(title);
    }
}
