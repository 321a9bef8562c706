package org.distree.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.distree.model.Keys;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser's key order is {@link Keys#compare}: the search script's {@code compareKeys}, run
 * in headless Chromium, gives the same sign as Java on 2,000 random pairs of strings of code
 * points from every plane (lone surrogates are not valid keys).
 */
class KeyOrderBrowserIT {
    private static final int PAIRS = 2_000;

    @TempDir
    Path dir;

    /** A code point: mostly a few ASCII letters, so that pairs share prefixes; often astral. */
    private static int codePoint(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 1, 2, 3 -> 'a' + r.nextInt(4);
            case 4 -> 0x20 + r.nextInt(0xD7FF - 0x20 + 1);
            case 5 -> 0xE000 + r.nextInt(0xFFFD - 0xE000 + 1);
            case 6 -> 0x10000 + r.nextInt(0x10FFFF - 0x10000 + 1);
            default -> new int[] {0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF}[r.nextInt(5)];
        };
    }

    private static String string(Random r) {
        int n = r.nextInt(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoint(r));
        }
        return sb.toString();
    }

    @Test
    void theScriptsCompareKeysAgreesWithKeysCompare() throws Exception {
        Chromium.require();
        Node root = Node.leaf(Range.ALL, List.of(), Instant.parse("2026-11-22T10:00:00Z"));
        Map<String, byte[]> assets = SearchAssets.files("n/1.html", root);
        Files.write(dir.resolve(SearchAssets.SCRIPT), assets.get(SearchAssets.SCRIPT));
        Files.writeString(
                dir.resolve("order.html"),
                "<!DOCTYPE html><meta charset=\"utf-8\"><script src=\""
                        + SearchAssets.SCRIPT
                        + "\"></script>");
        Random random = new Random(20261122);
        List<String> a = new ArrayList<>(
                List.of("\uFFFD", "\uD800\uDC00", "a\uE000", "ab", "", "\uD7FF", "x"));
        List<String> b = new ArrayList<>(
                List.of("\uD800\uDC00", "\uFFFD", "a\uD83D\uDE00", "a", "", "\uE000", "x"));
        while (a.size() < PAIRS) {
            String x = string(random);
            a.add(x);
            // Every fourth pair shares a prefix, so that a later code point decides.
            b.add(
                    random.nextInt(4) == 0 && !x.isEmpty()
                            ? x.substring(
                                            0,
                                            x.offsetByCodePoints(
                                                    0, x.codePointCount(0, x.length()) / 2))
                                    + string(random)
                            : string(random));
        }

        ChromeDriver browser = Chromium.start();
        List<?> signs;
        try {
            browser.get(dir.resolve("order.html").toUri().toString());
            signs = (List<?>) browser.executeScript(
                    "const [a, b] = arguments;"
                            + "return a.map((x, i) => Math.sign(DistreeSearch.compareKeys(x, b[i])));",
                    a,
                    b);
        } finally {
            browser.quit();
        }

        assertThat(signs).hasSize(PAIRS);
        int differFromUtf16 = 0;
        for (int i = 0; i < PAIRS; i++) {
            int java = Integer.signum(Keys.compare(a.get(i), b.get(i)));
            assertThat(((Number) signs.get(i)).intValue())
                    .as("compareKeys(%s, %s)", codePoints(a.get(i)), codePoints(b.get(i)))
                    .isEqualTo(java);
            if (Integer.signum(a.get(i).compareTo(b.get(i))) != java) {
                differFromUtf16++;
            }
        }
        assertThat(differFromUtf16)
                .as("pairs that UTF-16 order (String.compareTo) gets wrong")
                .isGreaterThan(50);
    }

    private static String codePoints(String s) {
        StringBuilder sb = new StringBuilder("[");
        s.codePoints().forEach(cp -> sb.append(String.format(Locale.ROOT, " U+%04X", cp)));
        return sb.append(" ]").toString();
    }
}
