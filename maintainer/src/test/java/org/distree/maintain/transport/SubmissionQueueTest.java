package org.distree.maintain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue file that the daemon writes is the one the maintainer reads back. */
class SubmissionQueueTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final Node LEAF = Node.leaf(
            new Range(Bound.of("apple"), Bound.of("banana")),
            List.of(Entry.of("apple", "https://e.org/a", "", "")),
            T);

    @TempDir
    Path data;

    private static Path add(SubmissionQueue q, int received, String url) throws IOException {
        return q.add(
                "9c1e",
                0,
                URI.create(url),
                "203.0.113.7",
                T.plusMillis(received),
                T.plusSeconds(1),
                512,
                LEAF);
    }

    @Test
    void whatTheDaemonAddsTheMaintainerTakesOldestFirst() throws Exception {
        SubmissionQueue q = new SubmissionQueue(data, 10);
        Path later = add(q, 2, "https://b.example/n/2.html");
        Path first = add(q, 1, "https://b.example/n/1.html");
        Files.writeString(q.dir().resolve("3-x-0.json.tmp"), "{}");

        List<Path> oldest = SubmissionQueue.oldest(data, 10);

        assertThat(q.dir()).isEqualTo(data.resolve(SubmissionQueue.FOLDER));
        assertThat(q.size()).isEqualTo(2);
        assertThat(oldest).containsExactly(first, later);
        assertThat(SubmissionQueue.url(first)).isEqualTo(URI.create("https://b.example/n/1.html"));
        assertThat(SubmissionQueue.oldest(data, 1)).containsExactly(first);
        JsonNode json = new ObjectMapper().readTree(first.toFile());
        assertThat(json.get("format").asText()).isEqualTo(SubmissionQueue.FORMAT);
        assertThat(json.get("node").get("low").asText()).isEqualTo("apple");
        assertThat(first.getFileName().toString())
                .isEqualTo(T.plusMillis(1).toEpochMilli() + "-9c1e-0.json");
    }

    @Test
    void aFullQueueRefusesAndOpeningRemovesUnfinishedFiles() throws Exception {
        SubmissionQueue q = new SubmissionQueue(data, 1);
        add(q, 1, "https://b.example/n/1.html");
        Files.writeString(q.dir().resolve("3-x-0.json.tmp"), "{}");

        assertThatThrownBy(() -> add(q, 2, "https://b.example/n/2.html"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("full");
        new SubmissionQueue(data, 1);
        assertThat(q.dir().resolve("3-x-0.json.tmp")).doesNotExist();
    }

    @Test
    void aFileThatIsNotASubmissionReadsAsNone() throws Exception {
        Path dir = Files.createDirectories(data.resolve(SubmissionQueue.FOLDER));
        Path other = Files.writeString(
                dir.resolve("1.json"), "{\"format\":\"other/1\",\"url\":\"https://b.example/\"}");
        Path file = Files.writeString(
                dir.resolve("2.json"),
                "{\"format\":\"" + SubmissionQueue.FORMAT + "\",\"url\":\"file:///etc/passwd\"}");
        Path garbage = Files.writeString(dir.resolve("3.json"), "not json");
        Path big = Files.writeString(
                dir.resolve("4.json"),
                "{\"format\":\"" + SubmissionQueue.FORMAT + "\",\"url\":\"https://b.example/\","
                        + "\"pad\":\"" + "x".repeat(SubmissionQueue.MAX_READ_BYTES) + "\"}");

        assertThat(SubmissionQueue.url(other)).isNull();
        assertThat(SubmissionQueue.url(file)).isNull();
        assertThat(SubmissionQueue.url(garbage)).isNull();
        assertThat(SubmissionQueue.url(big)).isNull();
        assertThat(SubmissionQueue.oldest(data.resolve("none"), 10)).isEmpty();
    }
}
