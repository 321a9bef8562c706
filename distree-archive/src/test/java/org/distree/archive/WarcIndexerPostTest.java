package org.distree.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distree.archive.internal.RequestRecord;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures whose request is not a GET, keyed as {@code warcio cdx-index} 2.4.11 keys them. The
 * WARCs in {@code post/} were made by Debian's wget sending POST, PUT and DELETE requests (form,
 * JSON, text, multipart and binary bodies, a bad JSON body, bad percent escapes, a body over
 * warcio's 4,096-character cap) to nginx on loopback, and the CDXJ next to each by warcio
 * ({@code post/make.sh} remakes them all); {@code post-reordered.warc} is the same records with a
 * response before its request, a record between a request and its response, and a request for
 * another URI. Every line index-warc makes must be warcio's.
 */
class WarcIndexerPostTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(WarcIndexerPostTest.class.getResource("post/" + name).toURI());
    }

    private static List<String> lines(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        new WarcIndexer(false, w -> {}).index(file, c -> out.add(c.line()));
        out.sort(null);
        return out;
    }

    @Test
    void everyLineOfTheGzippedWarcIsWarcios() throws Exception {
        assertEveryLineIsWarcios("post-requests.warc.gz");
    }

    @Test
    void everyLineOfTheUncompressedWarcIsWarcios() throws Exception {
        assertEveryLineIsWarcios("post-requests.warc");
    }

    @Test
    void everyLineOfTheReorderedWarcIsWarcios() throws Exception {
        assertEveryLineIsWarcios("post-reordered.warc");
    }

    private static void assertEveryLineIsWarcios(String name) throws Exception {
        List<String> theirs = new ArrayList<>(
                Files.readAllLines(resource(name + ".cdxj"), StandardCharsets.UTF_8));
        theirs.sort(null);
        List<String> ours = lines(resource(name));
        assertThat(ours).hasSize(theirs.size());
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("line " + (i + 1)).isEqualTo(theirs.get(i));
        }
        // Not a vacuous match: the POSTs to one URL have keys of their own.
        assertThat(ours)
                .anyMatch(l -> l.startsWith("1,0,0,127:18417)/api/form?__wb_method=post&a=1&b=2 "))
                .anyMatch(l ->
                        l.startsWith("1,0,0,127:18417)/api/form?__wb_method=post&a=3&c=%C3%A9+x "));
    }

    @Test
    void theReorderedCopyPairsAResponseBeforeItsRequestButNotRecordsApart() throws Exception {
        List<String> ours = lines(resource("post-reordered.warc"));
        assertThat(ours)
                .anyMatch(l -> l.startsWith("1,0,0,127:18417)/api/form?__wb_method=post&a=1&b=2 "))
                .anyMatch(l -> l.startsWith("1,0,0,127:18417)/api/item "))
                .anyMatch(l -> l.startsWith("1,0,0,127:18417)/api/upload "));
    }

    @Test
    void aBodyAtWarciosCapIsALongCaptureWhoseRecordHoldsItsLine() throws Exception {
        Path f = resource("post-requests.warc.gz");
        List<Capture> cs = new ArrayList<>();
        new WarcIndexer(false, w -> {}).index(f, cs::add);
        ReplayTemplate replay = ReplayTemplate.defaults();
        int posts = 0;
        int records = 0;
        for (Capture c : cs) {
            Capture.Indexed m = c.indexed(replay);
            records += m.record() == null ? 0 : 1;
            assertThat(Capture.fromEntry(LongCaptureTest.resolved(m)).line()).isEqualTo(c.line());
            posts += c.json().contains("\"method\":") ? 1 : 0;
        }
        assertThat(posts).isEqualTo(14);
        // /api/big: a key and a requestBody of some 4,100 characters each.
        assertThat(records).isEqualTo(1);
        assertThat(cs).anyMatch(c -> c.line().contains("/api/big?") && c.line().length() > 8_000);
    }

    @Test
    void aCaptureOverARecordsLimitsIsABadRecordNamedSkippedWithSkipBad() throws Exception {
        String url = "http://example.com/f?q=" + "x".repeat(Entry.MAX_RECORD_FIELD_BYTES);
        byte[] big = record(
                "response",
                url,
                "application/http;msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok"
                        .getBytes(StandardCharsets.US_ASCII));
        Path f = warc(big, response());
        assertThatThrownBy(() -> lines(f))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("made.warc")
                .hasMessageContaining("the CDXJ line is 32,");
        List<String> warnings = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        new WarcIndexer(true, warnings::add).index(f, c -> ok.add(c.line()));
        assertThat(warnings).singleElement().asString().contains("record at offset 0");
        assertThat(ok).singleElement().asString().startsWith("com,example)/f ");
    }

    // ---- bad request records, written here ----

    private static byte[] record(String type, String uri, String contentType, byte[] block) {
        String head = "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri
                + "\r\nWARC-Date: 2026-01-02T03:04:05Z\r\nWARC-Record-ID: <urn:uuid:" + type
                + uri.length() + ">\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + block.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(block);
        out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] request(String head, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(body);
        return record(
                "request",
                "http://example.com/f",
                "application/http;msgtype=request",
                b.toByteArray());
    }

    private static byte[] response() {
        return record(
                "response",
                "http://example.com/f",
                "application/http;msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok"
                        .getBytes(StandardCharsets.US_ASCII));
    }

    private Path warc(byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        Path f = dir.resolve("made.warc");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static String post(String contentType) {
        return "POST /f HTTP/1.1\r\nHost: example.com\r\nContent-Type: " + contentType + "\r\n\r\n";
    }

    @Test
    void largePostBodiesReadOnSeveralThreadsGiveWhatOneThreadGivesInOrder() throws Exception {
        // 30 POSTs of 600 KB bodies (18 MB of them, more than a reader keeps handed over at
        // once), each with its response.
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] body = ("n=" + i + "&").repeat(600_000 / 6).getBytes(StandardCharsets.US_ASCII);
            records.add(request(post("application/x-www-form-urlencoded"), body));
            records.add(response());
        }
        Path f = warc(records.toArray(new byte[0][]));
        List<List<String>> runs = new ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            List<String> made = new ArrayList<>();
            new WarcIndexer(false, w -> {})
                    .indexAll(List.of(f), threads, Capture::line, made::add, x -> {});
            runs.add(made);
        }
        assertThat(runs.get(0)).hasSize(30).allMatch(l -> l.contains("__wb_method=post"));
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void aFormBodyOverWhatIsReadStillKeysAsWarcioDoesFromItsFirstBytes() throws Exception {
        byte[] body =
                "k=v&".repeat(RequestRecord.MAX_BLOCK / 2).getBytes(StandardCharsets.US_ASCII);
        byte[] block = request(post("application/x-www-form-urlencoded"), body);
        // What the reader reads of the block: its first MAX_BLOCK bytes.
        String head = post("application/x-www-form-urlencoded");
        byte[] read = java.util.Arrays.copyOf(
                (head + "k=v&".repeat(RequestRecord.MAX_BLOCK / 4))
                        .getBytes(StandardCharsets.US_ASCII),
                RequestRecord.MAX_BLOCK);
        RequestRecord r = RequestRecord.parse(read, head.length() + (long) body.length);
        assertThat(r.whole()).isFalse();
        RequestQuery.Result q = RequestQuery.of("http://example.com/f", r);
        assertThat(q.requestBody()).isEqualTo("k=v&".repeat(1024)); // the first 4,096 characters
        // In a WARC, that capture's line (key and requestBody of 4,096 characters each) is a
        // long capture's: read whole, keyed as warcio keys it.
        assertThat(lines(warc(block, response())))
                .singleElement()
                .asString()
                .startsWith("com,example)/f?&__wb_method=post&k=v&k=v&")
                .hasSizeGreaterThan(8_192);
    }

    @Test
    void aJsonBodyOverWhatIsReadIsABadRecordNamedSkippedWithSkipBad() throws Exception {
        byte[] body = ("[" + "1,".repeat(RequestRecord.MAX_BLOCK / 2) + "1]")
                .getBytes(StandardCharsets.US_ASCII);
        Path f = warc(request(post("application/json"), body), response());
        assertThatThrownBy(() -> lines(f))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("made.warc")
                .hasMessageContaining("application/json body is over 1,048,576 bytes");
        List<String> warnings = new ArrayList<>();
        List<Capture> cs = new ArrayList<>();
        WarcIndexer ix = new WarcIndexer(true, warnings::add);
        ix.index(f, cs::add);
        assertThat(cs).isEmpty();
        assertThat(warnings).singleElement().asString().contains("over 1,048,576 bytes");
    }

    @Test
    void aTruncatedRequestBodyIsABadRecordNamingItsOffset() throws Exception {
        byte[] whole = request(
                post("application/x-www-form-urlencoded"),
                "a=1&b=2".getBytes(StandardCharsets.US_ASCII));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 8); // inside the body
        Path f = warc(response(), cut);
        assertThatThrownBy(() -> lines(f))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("record at offset " + response().length)
                .hasMessageContaining("ends");
        // With --skip-bad the response before it is indexed, unpaired.
        List<String> warnings = new ArrayList<>();
        List<Capture> cs = new ArrayList<>();
        new WarcIndexer(true, warnings::add).index(f, cs::add);
        assertThat(cs).singleElement().extracting(Capture::surt).isEqualTo("com,example)/f");
        assertThat(warnings).hasSize(1);
    }

    @Test
    void aPostHeadWithoutItsBlankLineIsABadRecordAndAGetOneIsNot() throws Exception {
        byte[] noEnd = record(
                "request",
                "http://example.com/f",
                "application/http;msgtype=request",
                "POST /f HTTP/1.1\r\nHost: example.com\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> lines(warc(noEnd, response())))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(
                        "the POST request's HTTP head does not end (CR LF CR LF) in its block");
        byte[] getNoEnd = record(
                "request",
                "http://example.com/f",
                "application/http;msgtype=request",
                "GET /f HTTP/1.1\r\nHost: example.com\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(lines(warc(getNoEnd, response())))
                .singleElement()
                .asString()
                .startsWith("com,example)/f 20260102030405 {");
    }

    @Test
    void badPercentEscapesAndBadJsonGiveWarciosKeys() throws Exception {
        // Both checked against warcio in post-requests.warc too; here the cut escape at the cap.
        String body = "a=" + "x".repeat(RequestQuery.MAX_QUERY - 4) + "%C3%A9";
        List<String> ours = lines(warc(
                request(
                        post("application/x-www-form-urlencoded"),
                        body.getBytes(StandardCharsets.US_ASCII)),
                response()));
        // The cap cuts "%C3%A9" to "%C3": decodeURI fails, so the key's query is empty.
        assertThat(ours).singleElement().asString().startsWith("com,example)/f?&__wb_method=post ");
        List<String> json = lines(warc(
                request(post("application/json"), "{\"a\":".getBytes(StandardCharsets.US_ASCII)),
                response()));
        assertThat(json).singleElement().asString().startsWith("com,example)/f?&__wb_method=post ");
        assertThat(json.get(0)).endsWith(",\"method\":\"POST\"}");
    }
}
