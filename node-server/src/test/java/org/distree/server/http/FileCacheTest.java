package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {
    @TempDir
    Path dir;

    /** A clock far enough after every file's time that each file has settled. */
    private static final Clock LATER =
            Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static String text(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** Writes a file the way NodeStore does: a temporary name, then a rename into place. */
    private static void replace(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aReplacedFileIsServedWithItsNewContentAndANewEtag() throws Exception {
        FileCache cache = new FileCache(1 << 20, LATER);
        Path f = dir.resolve("1.html");
        replace(f, "<p>one</p>");
        FileCache.Version first = cache.get(f);
        assertThat(text(first.bytes())).isEqualTo("<p>one</p>");
        assertThat(cache.get(f)).isSameAs(first);

        FileTime sameTime = Files.getLastModifiedTime(f);
        replace(f, "<p>two</p>"); // the same size
        Files.setLastModifiedTime(f, sameTime); // and the same time: the identity differs
        FileCache.Version second = cache.get(f);
        assertThat(text(second.bytes())).isEqualTo("<p>two</p>");
        assertThat(second.etag()).isNotEqualTo(first.etag()).startsWith("\"").endsWith("\"");
        assertThat(second.isTag(first.etag())).isFalse();
    }

    @Test
    void keptAnswersOnlyFromMemoryAndOnlyWhileTheFileIsUnchanged() throws Exception {
        FileCache cache = new FileCache(1 << 20, LATER);
        Path f = dir.resolve("6.html");
        replace(f, "<p>one</p>");
        assertThat(cache.kept(f)).isNull(); // never read
        FileCache.Version v = cache.get(f);
        assertThat(cache.kept(f)).isSameAs(v);
        replace(f, "<p>three</p>");
        assertThat(cache.kept(f)).isNull(); // changed: must be read again
        assertThat(text(cache.get(f).bytes())).isEqualTo("<p>three</p>");
        Files.delete(f);
        assertThat(cache.kept(f)).isNull();
    }

    @Test
    void aFileModifiedJustNowIsReadAgainUntilItSettles() throws Exception {
        Path f = dir.resolve("2.html");
        replace(f, "<p>fresh</p>");
        Instant written = Files.getLastModifiedTime(f).toInstant();
        FileCache now = new FileCache(1 << 20, Clock.fixed(written, ZoneOffset.UTC));
        FileCache.Version a = now.get(f);
        assertThat(now.get(f)).isNotSameAs(a);
        assertThat(now.bytes()).isZero();

        FileCache settled = new FileCache(
                1 << 20, Clock.fixed(written.plusMillis(FileCache.SETTLE_MS), ZoneOffset.UTC));
        assertThat(settled.get(f)).isSameAs(settled.get(f));
        assertThat(settled.bytes()).isEqualTo("<p>fresh</p>".length());
    }

    @Test
    void aMissingFileOrAFolderIsNothing() throws Exception {
        FileCache cache = new FileCache(1 << 20, LATER);
        Path f = dir.resolve("3.html");
        assertThat(cache.get(f)).isNull();
        assertThat(cache.get(dir)).isNull();
        replace(f, "x");
        assertThat(cache.get(f)).isNotNull();
        Files.delete(f);
        assertThat(cache.get(f)).isNull();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void gzippedBytesUnzipToThePlainOnesAndCarryTheirOwnEtag() throws Exception {
        FileCache cache = new FileCache(1 << 20, LATER);
        Path f = dir.resolve("4.html");
        String html = "<ul>" + "<li>apple</li>".repeat(200) + "</ul>";
        replace(f, html);
        FileCache.Version v = cache.get(f);
        FileCache.Gzipped gz = cache.gzipped(v);
        assertThat(cache.gzipped(v)).isSameAs(gz);
        byte[] zipped = new byte[gz.size()];
        gz.bytes().get(zipped);
        assertThat(new String(
                        new GZIPInputStream(new ByteArrayInputStream(zipped)).readAllBytes(),
                        StandardCharsets.UTF_8))
                .isEqualTo(html);
        String gzTag = gz.etagField().getValue();
        assertThat(gzTag).isNotEqualTo(v.etag()).endsWith("-gz\"");
        assertThat(v.isTag(gzTag)).isTrue();
        assertThat(v.isTag("W/" + v.etag())).isTrue();
        assertThat(cache.bytes()).isEqualTo(html.length() + gz.size());
    }

    @Test
    void theCacheKeepsWithinItsBudget() throws Exception {
        FileCache cache = new FileCache(10_000, LATER);
        for (int i = 0; i < 50; i++) {
            Path f = dir.resolve(i + ".html");
            replace(f, "x".repeat(1_000));
            assertThat(text(cache.get(f).bytes())).hasSize(1_000);
            assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        }
        FileCache none = new FileCache(0, LATER);
        Path f = dir.resolve("0.html");
        assertThat(none.get(f)).isNotSameAs(none.get(f));
        assertThat(none.bytes()).isZero();
    }

    @Test
    void eachViewOfTheBytesIsIndependent() throws Exception {
        FileCache cache = new FileCache(1 << 20, LATER);
        Path f = dir.resolve("5.html");
        replace(f, "abc");
        FileCache.Version v = cache.get(f);
        ByteBuffer one = v.bytes();
        one.get(new byte[3]);
        assertThat(text(v.bytes())).isEqualTo("abc");
        assertThat(v.bytes().isReadOnly()).isTrue();
    }
}
