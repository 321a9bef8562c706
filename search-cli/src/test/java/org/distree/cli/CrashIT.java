package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kill -9 of the daemon during a stream of POST /entries loses no acknowledged entry. */
class CrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void killDashNineLosesNoAcknowledgedEntry() throws Exception {
        Path data = dir.resolve("tree");
        Path logs = dir.resolve("logs");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try (ChildDaemon first = ChildDaemon.start(data, logs)) {
            String token = ChildDaemon.token(data);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                Thread t = new Thread(() -> post(client, first, token, id, acked, stop));
                t.start();
                clients.add(t);
            }
            // Kill once a good number of batches are acknowledged, with requests still flowing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() < 3_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.killHard();
            stop.set(true);
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(1_000);

        try (ChildDaemon second = ChildDaemon.start(data, logs)) {
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(second.url.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            int checked = 0;
            for (String e : acked) {
                if (checked++ == 20) {
                    break;
                }
                String key = e.substring(0, e.indexOf('\n'));
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(second.url.resolve("/search?mode=exact&q="
                                        + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                                .header("Accept", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode results = JSON.readTree(r.body()).get("results");
                assertThat(results).as(key).hasSize(1);
            }
            // The JVM exits with 128 + 15 after its shutdown hook ran on SIGTERM.
            assertThat(second.stop()).isIn(0, 143);
        }

        Set<String> stored = new HashSet<>();
        for (Walk.Hit h : Walk.run(
                        new FileSource(),
                        data.resolve("index.html").toUri(),
                        Query.range(null, null),
                        1_000_000)
                .hits()) {
            stored.add(h.entry().key() + "\n" + h.entry().link());
        }
        assertThat(stored).containsAll(acked);
        try (NodeStore store = NodeStore.open(data)) {
            Linter.Report report = Linter.lintFolder(new FileSource(), data, store.nodeNames());
            assertThat(report.violations()).isEmpty();
        }
    }

    /** Posts batches until told to stop or the daemon is gone; records each acknowledged entry. */
    private static void post(
            HttpClient client,
            ChildDaemon d,
            String token,
            int id,
            Set<String> acked,
            AtomicBoolean stop) {
        for (int i = 0; i < 10_000 && !stop.get(); i++) {
            StringBuilder tsv = new StringBuilder();
            List<String> batch = new ArrayList<>();
            for (int j = 0; j < BATCH; j++) {
                String key = "c" + id + "-" + i + "-" + j;
                String link = "https://crash.example/" + id + "/" + i + "/" + j;
                tsv.append(key).append('\t').append(link).append('\n');
                batch.add(key + "\n" + link);
            }
            try {
                HttpResponse<String> r = d.postEntries(client, token, tsv.toString(), false);
                if (r.statusCode() == 200) {
                    acked.addAll(batch);
                }
            } catch (Exception e) {
                return; // The daemon was killed.
            }
        }
    }
}
