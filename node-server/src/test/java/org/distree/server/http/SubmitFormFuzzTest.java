package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.distree.crawl.Addresses;
import org.distree.server.submit.UrlPolicy;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.util.Attributes;

/**
 * Fuzz test of {@code POST /submit} forms: Jetty's form parser within the handler's limits, then
 * the URL policy that every submitted URL passes before anything is fetched (docs/RELIABILITY.md,
 * "Fuzzing"). Without {@code JAZZER_FUZZ} it runs the inputs kept under {@code
 * SubmitFormFuzzTestInputs/} as regression tests.
 *
 * <p>What must hold for any body: the form gives its {@code url} fields or a {@link
 * Submit.BadForm} (a 400); no other exception, in bounded time (Jazzer's per-input timeout) and
 * memory. Each URL is refused with an {@link IllegalArgumentException} or accepted as an http or
 * https URL with a host and no user info whose literal address, if it has one, is public (SSRF:
 * no loopback, private, link-local or other special address gets through); an accepted URL,
 * checked again, is accepted unchanged.
 */
class SubmitFormFuzzTest {
    private static final int MAX_URLS = 16;
    private static final UrlPolicy POLICY = new UrlPolicy(false);

    @DictionaryEntries({
        "url=",
        "&url=",
        "http%3A%2F%2F",
        "https://",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "127.0.0.1",
        "0x7f.1",
        "2130706433",
        "0177.0.0.1",
        "169.254.169.254",
        "%00",
        "%25",
        "@",
        "localhost",
        ".internal"
    })
    @FuzzTest(maxDuration = "10m")
    void formUrlsAreReadAndOnlyPublicOnesPass(byte[] body) throws UnknownHostException {
        List<String> urls;
        try {
            urls = Submit.formUrls(
                    new ByteBufferContentSource(ByteBuffer.wrap(body)),
                    new Attributes.Mapped(),
                    StandardCharsets.UTF_8,
                    MAX_URLS);
        } catch (Submit.BadForm e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        for (String raw : urls) {
            URI u;
            try {
                u = POLICY.check(raw);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
                continue;
            }
            assertThat(u.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
            assertThat(u.getHost()).isNotEmpty();
            assertThat(u.getRawUserInfo()).isNull();
            String host = u.getHost().toLowerCase(Locale.ROOT);
            if (host.startsWith("[") || host.matches("[0-9.]+")) {
                // A literal address: no DNS lookup is made.
                InetAddress a = InetAddress.getByName(
                        host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                assertThat(Addresses.isPublic(a)).as("%s is public", a).isTrue();
            }
            assertThat(POLICY.check(u.toString())).isEqualTo(u);
        }
    }
}
