package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's {@code /search} over a tree whose record entries carry scores (issue 19): the
 * pages of a word come best scored first, with their scores in the JSON.
 */
class ScoredSearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anExactSearchListsTheBestScoredPagesFirst() throws Exception {
        Path data = dir.resolve("tree");
        int[] scores = {40, 900, 0, 310, 75};
        List<Entry> entries = new ArrayList<>();
        Files.createDirectories(data.resolve(NodeStore.RECORD_DIR));
        for (int i = 0; i < scores.length; i++) {
            entries.add(
                    Entry.record("vacuum", "../p/" + i + ".html", Integer.toString(i), scores[i]));
            entries.add(Entry.record("other", "../p/" + i + ".html", Integer.toString(i), 1));
            Files.write(
                    data.resolve(NodeStore.RECORD_DIR).resolve(i + ".html"),
                    RecordFile.write(new Entry.Target(
                            "https://example.org/page" + i + ".html",
                            "Page " + i,
                            "",
                            null,
                            Map.of())));
        }
        try (LocalTree tree = LocalTree.open(data)) {
            tree.insert(entries);
        }

        try (TestDaemon d = TestDaemon.start(data, Map.of())) {
            HttpResponse<String> r =
                    d.get("/search?q=vacuum&mode=exact", "Accept", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode results = JSON.readTree(r.body()).get("results");
            List<String> links = new ArrayList<>();
            List<Long> got = new ArrayList<>();
            for (JsonNode h : results) {
                links.add(h.get("link").asText());
                got.add(h.has("score") ? h.get("score").asLong() : 0);
            }
            assertThat(links)
                    .containsExactly(
                            "https://example.org/page1.html",
                            "https://example.org/page3.html",
                            "https://example.org/page4.html",
                            "https://example.org/page0.html",
                            "https://example.org/page2.html");
            assertThat(got).containsExactly(900L, 310L, 75L, 40L, 0L);
        }
    }
}
