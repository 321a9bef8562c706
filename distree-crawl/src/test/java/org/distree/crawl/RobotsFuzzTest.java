package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import crawlercommons.robots.BaseRobotRules;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz test of robots.txt reading: crawler-commons' parser as {@link RobotsCache} calls it for
 * the agents {@code distree-crawler} and {@code distree} (docs/RELIABILITY.md, "Fuzzing").
 * Without {@code JAZZER_FUZZ} it runs the inputs kept under {@code RobotsFuzzTestInputs/} as
 * regression tests.
 *
 * <p>An input is a path to ask about, a line feed, then the robots.txt. What must hold for any
 * robots.txt and any path asked about: reading the rules never throws
 * (a parser failure is allow-all, so {@link RobotsCache#allowed} never fails), asking them
 * whether a URL is allowed never throws, and both take bounded time (Jazzer's per-input
 * timeout: a rule with many wildcards must not make matching exponential) and memory.
 */
class RobotsFuzzTest {
    private static final URI ROBOTS = URI.create("https://example.org/robots.txt");

    @DictionaryEntries({
        "User-agent: ",
        "distree-crawler",
        "distree",
        "*",
        "Disallow: ",
        "Allow: ",
        "Crawl-delay: ",
        "Sitemap: ",
        "$",
        "/*",
        "%2F",
    })
    @FuzzTest(maxDuration = "10m")
    void robotsRulesReadAndAnswerWithoutFailing(byte[] input) {
        int nl = firstLineFeed(input);
        String path = new String(input, 0, nl, StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(input, Math.min(nl + 1, input.length), input.length);
        Page page = new Page(ROBOTS, ROBOTS, 200, "text/plain", body, Validators.NONE);

        BaseRobotRules rules = RobotsCache.rulesFrom(ROBOTS, page, null);

        assertThat(rules).isNotNull();
        // Whatever the answers, asking must not throw.
        rules.isAllowed("https://example.org/" + path);
        rules.isAllowed("https://example.org/n/" + path + ".html");
        assertThat(rules.isAllowed("https://example.org/robots.txt")).isTrue();
    }

    /** The index of the first line feed in {@code input}, or its length when it has none. */
    static int firstLineFeed(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                return i;
            }
        }
        return input.length;
    }
}
