package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies, headers and URIs at and one byte over every limit (issue 16, attack matrix): exactly
 * at the limit is accepted, one over is refused with the status docs/SECURITY.md names, and
 * nothing is stored. Limits here: {@code max-body-bytes} 65,536, {@code max-entries} 50, {@code
 * max-submit-urls} 4, {@code max-header-bytes} 8,192 (the default).
 */
class AttackLimitsIT {
    static final int BODY = 65_536;
    static final int HEADER = 8_192;

    @TempDir
    Path dir;

    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = TestDaemon.start(
                dir.resolve("tree"),
                Map.of(
                        "max-body-bytes", String.valueOf(BODY),
                        "max-entries", "50",
                        "max-submit-urls", "4"));
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    /** {@code n} valid TSV entries of exactly {@code bytes} bytes in all. */
    static String entries(int n, int bytes) {
        int bare = 0;
        for (int i = 0; i < n; i++) {
            bare += line(i, "").length();
        }
        // The links carry the padding, spread over the entries (a link may be 2,048 bytes).
        int pad = bytes - bare;
        assertThat(pad).isNotNegative().isLessThan(n * 2_000);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int mine = pad / n + (i < pad % n ? 1 : 0);
            b.append(line(i, "p".repeat(mine)));
        }
        assertThat(b.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return b.toString();
    }

    private static String line(int i, String pad) {
        return String.format(
                java.util.Locale.ROOT, "k%04d\thttps://e.example/%d/%s\tT\n", i, i, pad);
    }

    @Test
    void anEntriesBodyOfExactlyTheLimitIsTakenAndOneByteMoreIsRefusedWith413() throws Exception {
        String over = entries(50, BODY + 1);
        HttpResponse<String> r = d.postEntries(over);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(stored()).isZero();
        HttpResponse<String> at = d.postEntries(entries(50, BODY));
        assertThat(at.statusCode()).as(at.body()).isEqualTo(200);
        assertThat(stored()).isEqualTo(50);
    }

    @Test
    void entriesAtTheCountLimitAreTakenAndOneMoreIsRefusedWith413() throws Exception {
        HttpResponse<String> over = d.postEntries(entries(51, 2_000));
        assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
        assertThat(stored()).isZero();
        HttpResponse<String> at = d.postEntries(entries(50, 2_000));
        assertThat(at.statusCode()).as(at.body()).isEqualTo(200);
        assertThat(stored()).isEqualTo(50);
    }

    private long stored() throws Exception {
        return org.distree.query.Walk.run(
                        new org.distree.query.FileSource(),
                        d.data.resolve("index.html").toUri(),
                        org.distree.query.Query.range(null, null),
                        100_000)
                .hits()
                .size();
    }

    @Test
    void aSubmitBodyOfExactlyTheLimitIsReadAndOneByteMoreIsRefusedWith413() throws Exception {
        // A form of one URL and a filler field: read (the URL is refused as private, 400).
        String head = "url=http%3A%2F%2F127.0.0.1%2Fn%2F1.html&pad=";
        String at = head + "p".repeat(BODY - head.length());
        String form = "application/x-www-form-urlencoded";
        HttpResponse<String> r = d.post("/submit", form, at);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("127.0.0.1");
        HttpResponse<String> over = d.post("/submit", form, at + "p");
        assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
        // URLs per submission: 4 are read, 5 refused.
        String four = "url=a&url=b&url=c&url=d";
        assertThat(d.post("/submit", form, four).body()).doesNotContain("at most");
        HttpResponse<String> five = d.post("/submit", form, four + "&url=e");
        assertThat(five.statusCode()).isEqualTo(400);
    }

    /**
     * Sends a request whose head (request line, headers and the blank line) is exactly {@code
     * bytes} long, padded in one header or in the URI; returns the status code.
     */
    int headOf(int bytes, boolean padUri) throws IOException {
        String line = "GET /healthz?";
        String version = " HTTP/1.1\r\n";
        String rest = "Host: 127.0.0.1\r\nConnection: close\r\nX-Pad: ";
        String end = "\r\n\r\n";
        int pad = bytes - line.length() - version.length() - rest.length() - end.length();
        String head = padUri
                ? line + "q".repeat(pad) + version + rest + end
                : line + version + rest + "p".repeat(pad) + end;
        assertThat(head.length()).isEqualTo(bytes);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(d.url.getHost(), d.server.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    @Test
    void aRequestHeadOfExactlyTheLimitIsServedAndOneByteMoreIsRefusedWith431() throws Exception {
        // The limit counts the whole head: request line, headers and the blank line.
        assertThat(headOf(HEADER, false)).isEqualTo(200);
        assertThat(headOf(HEADER + 1, false)).isEqualTo(431);
        assertThat(headOf(HEADER, true)).isEqualTo(200);
        assertThat(headOf(HEADER + 1, true)).isEqualTo(431);
        // A request line longer than the whole limit: 414.
        assertThat(d.raw("GET /healthz?" + "q".repeat(HEADER) + " HTTP/1.1"))
                .startsWith("HTTP/1.1 414");
        assertThat(d.get("/healthz").statusCode()).isEqualTo(200);
    }
}
