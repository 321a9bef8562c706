package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distree.analysis.KeyAnalyzer;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser makes the keys Java makes: the search script's {@code keys} and {@code wholes},
 * run in headless Chromium, give {@link KeyAnalyzer#keys} and {@link KeyAnalyzer#wholes}, in
 * the same order, for every analyzer, on a list of tricky texts (dots, underscores, hyphens,
 * digits, apostrophes, colons, other scripts, case) and on 3,000 random ones.
 */
class KeysBrowserIT {
    static final List<String> ANALYZERS =
            List.of("standard-parts", "english-parts", "standard", "english", "none");

    /** Texts where splitting is easy to get wrong; each is also searched for in a sentence. */
    static final List<String> TRICKY = List.of(
            "KeyPair.getPublic()",
            "java.util.concurrent.ConcurrentHashMap#computeIfAbsent",
            "pg_stat_wal_receiver",
            "__init__ and _private_ and trailing_",
            "foo-bar foo - bar foo--bar -foo bar-",
            "write\u2010ahead non\u2011breaking",
            "std::vector<int> a:b a::b::c ::leading",
            "/usr/share/doc/postgresql-doc-15/html/index.html",
            "https://www.postgresql.org/docs/15/app-psql.html?x=1#frag",
            "user.name@example.org",
            "x86-64 utf8 UTF-8 v1.2.3 3.x 1,000.50 2026-12-05 10:30",
            "don't O'Neil's PostgreSQL's rock'n'roll it\u2019s",
            "getPublic CamelCase XMLHttpRequest",
            "Straße İstanbul ΣΊΣΥΦΟΣ ǅemal ﬃ ŉ",
            "東京タワー-駅 日本語の文章です カタカナ・ひらがな",
            "русский-текст ключ.значение",
            "مرحبا-بالعالم ١٢٣-٤٥٦",
            "हिन्दी-शब्द किताब",
            "ภาษาไทย-คำ",
            "a\u0301-b\u0301 cafe\u0301.latte",
            "𝐀𝐁-𝐂 \uD801\uDC00\uD801\uDC28-x",
            "x².y³ ½-⅓ µ-ª º×÷",
            "a" + "-b".repeat(40),
            "ключ" + "-ключ".repeat(6) + " ключ" + "-ключ".repeat(7),
            "soft\u00ADhyphen zero\u200Bwidth");

    @TempDir
    Path dir;

    /** Random text over an alphabet of joiners, separators and letters of several scripts. */
    private static String random(Random r) {
        String alphabet = "aAzZ09  .,'-_/:@#\u2010\u2011İıΣσÀß²µª×日本タワーカкЖ\u0915\u093f\u0661"
                + "\u0e01\uD835\uDC00\u0301\u00AD";
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(50);
        while (sb.length() < n) {
            int at = r.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void theScriptMakesTheKeysAndWholesOfKeyAnalyzer() throws Exception {
        Chromium.require();
        Node root = Node.leaf(Range.ALL, List.of(), Instant.parse("2026-12-05T10:00:00Z"));
        Map<String, byte[]> assets = SearchAssets.files("n/1.html", root);
        Files.write(dir.resolve(SearchAssets.SCRIPT), assets.get(SearchAssets.SCRIPT));
        Files.writeString(
                dir.resolve("keys.html"),
                "<!DOCTYPE html><meta charset=\"utf-8\"><script src=\""
                        + SearchAssets.SCRIPT
                        + "\"></script>");
        List<String> texts = new ArrayList<>();
        for (String t : TRICKY) {
            texts.add(t);
            texts.add("See " + t + ", then (" + t + ").");
        }
        Random random = new Random(20261205);
        while (texts.size() < 3_000) {
            texts.add(random(random));
        }

        ChromeDriver browser = Chromium.start();
        Map<?, ?> js;
        try {
            browser.get(dir.resolve("keys.html").toUri().toString());
            js = (Map<?, ?>) browser.executeScript(
                    "const [texts, analyzers] = arguments; const out = {};"
                            + "for (const a of analyzers) {"
                            + "  out[a] = texts.map((t) => DistreeSearch.keys(t, a));"
                            + "  out[a + ' wholes'] = texts.map((t) => DistreeSearch.wholes(t, a));"
                            + "}"
                            + "return out;",
                    texts,
                    ANALYZERS);
        } finally {
            browser.quit();
        }

        for (String name : ANALYZERS) {
            KeyAnalyzer analyzer = KeyAnalyzer.forName(name);
            List<?> keys = (List<?>) js.get(name);
            List<?> wholes = (List<?>) js.get(name + " wholes");
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                assertThat(keys.get(i)).as("%s keys of %s", name, t).isEqualTo(analyzer.keys(t));
                assertThat(wholes.get(i))
                        .as("%s wholes of %s", name, t)
                        .isEqualTo(analyzer.wholes(t));
            }
        }
        // The list is tricky for the parts analyzers: it makes parts that standard does not.
        KeyAnalyzer parts = KeyAnalyzer.forName("standard-parts");
        assertThat(parts.keys(String.join(" ", TRICKY)))
                .contains("getpublic", "receiver", "foo-bar", "vector", "html", "ahead", "東");
    }
}
