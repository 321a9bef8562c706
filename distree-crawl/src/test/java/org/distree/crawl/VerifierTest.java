package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.distree.testing.StubServer;
import org.junit.jupiter.api.Test;

class VerifierTest {
    private static final byte[] PAGE = "<p>the page</p>".getBytes(StandardCharsets.UTF_8);

    @Test
    void digestsAreMadeInTheFormOfTheEntrys() {
        // sha1 of the empty input, as a WARC payload digest writes it.
        assertThat(Verifier.digestOf("sha1:X", new byte[0]))
                .isEqualTo("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assertThat(Verifier.digestOf("sha256-X", new byte[0]))
                .isEqualTo("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(Verifier.digestOf("sha1:" + "a".repeat(40), new byte[0]))
                .isEqualTo("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(Verifier.matches(
                        "sha1:3i42h3s6nnfq2msvx7xzkyayscx5qbyj",
                        "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"))
                .isTrue();
        assertThat(Verifier.known("md5:abc")).isFalse();
    }

    @Test
    void everyAlteredLinkIsAMismatchAndNoOtherIs() throws Exception {
        try (StubServer server = new StubServer("127.0.0.1");
                Verifier verifier = new Verifier(CrawlConfig.defaults())) {
            server.bytes("/a.html", "text/html", PAGE);
            server.bytes("/b.html", "text/html", PAGE);
            server.bytes("/c.bin", "application/octet-stream", PAGE);
            String sha256 = Verifier.digestOf("sha256-", PAGE);
            String sha1 = Verifier.digestOf("sha1:", PAGE);
            List<String> links = List.of(
                    server.url("/a.html").toString(),
                    server.url("/b.html").toString(),
                    server.url("/c.bin").toString(),
                    server.url("/missing.html").toString(),
                    "file:///etc/hostname",
                    server.url("/a.html").toString(),
                    server.url("/a.html").toString());
            List<String> digests = Arrays.asList(sha256, sha256, sha1, sha1, sha1, null, "md5:x");
            server.bytes("/b.html", "text/html", "<p>altered</p>".getBytes(StandardCharsets.UTF_8));
            List<Verifier.Check> checks = verifier.verify(links, digests);
            assertThat(checks)
                    .extracting(Verifier.Check::outcome)
                    .containsExactly(
                            Verifier.Outcome.OK,
                            Verifier.Outcome.MISMATCH,
                            Verifier.Outcome.OK,
                            Verifier.Outcome.MISMATCH,
                            Verifier.Outcome.UNCHECKED,
                            Verifier.Outcome.UNCHECKED,
                            Verifier.Outcome.UNCHECKED);
            assertThat(checks.get(1).detail()).startsWith("fetched sha256-");
            assertThat(checks.get(3).detail()).contains("(status 404)");
            assertThat(checks.get(4).detail()).contains("not an http or https link");
        }
    }
}
