package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.distree.maintain.MaintainerConfig;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.query.FileSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import org.distree.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon runs the maintainer: A (127.0.0.2) is told B's root (127.0.0.3) and copies B's
 * entries; B is told nothing, and gets A's through the submission A posts to it, which B's
 * daemon queues and B's maintainer takes in.
 */
class HostedMaintenanceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void daemonsCopyEachOthersEntriesThroughPeersAndTheSubmissionQueue() throws Exception {
        int portA = Ports.free("127.0.0.2");
        int portB = Ports.free("127.0.0.3");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        fastMaintenance(a, "peers=http://127.0.0.3:" + portB + "/\n");
        fastMaintenance(b, "");
        try (TestDaemon db = daemon(b, "127.0.0.3", portB);
                TestDaemon da = daemon(a, "127.0.0.2", portA)) {
            assertThat(db.postEntries("""
                                      banana\thttps://b.example/banana
                                      lemon\thttps://b.example/lemon
                                      """).statusCode()).isEqualTo(200);
            assertThat(da.postEntries("""
                                      apple\thttps://a.example/apple
                                      kiwi\thttps://a.example/kiwi
                                      """).statusCode()).isEqualTo(200);

            Set<String> all = Set.of("apple", "banana", "kiwi", "lemon");
            awaitKeys(a, all);
            awaitKeys(b, all);
            assertThat(queued(b))
                    .as("B's maintainer took the queued submission in")
                    .isZero();
            assertThat(db.get("/metrics").body())
                    .contains("distree_submissions_total{outcome=\"accepted\"}")
                    .contains("distree_maintenance_runs_total{job=\"sync\",outcome=\"ok\"}");
            assertThat(da.server.metrics().value("distree_maintenance_fetches_total", ""))
                    .isPositive();
        }
    }

    /** Every job every 20 ms, no pause between fetches from one host, loopback allowed. */
    private static void fastMaintenance(Path data, String more) throws IOException {
        Files.createDirectories(data);
        Files.writeString(
                data.resolve(MaintainerConfig.FILE),
                more
                        + "sync-interval-ms=20\nsubmit-interval-ms=20\nlink-check-interval-ms=20\n"
                        + "rules-interval-ms=20\nper-host-interval-ms=0\nsubmit-retry-ms=20\n");
    }

    private static TestDaemon daemon(Path data, String host, int port) throws IOException {
        return TestDaemon.start(
                data,
                Map.of(
                        "bind",
                        host,
                        "port",
                        Integer.toString(port),
                        "base-url",
                        "http://" + host + ":" + port + "/",
                        "allow-private",
                        "true",
                        "maintain",
                        "true",
                        "fetch-timeout-ms",
                        "5000"));
    }

    /** Polls the folder's own tree (read from disk, local nodes only) until it holds the keys. */
    private static void awaitKeys(Path data, Set<String> keys) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Set<String> seen = new TreeSet<>();
        while (System.nanoTime() < end) {
            seen = localKeys(data);
            if (seen.containsAll(keys)) {
                return;
            }
            pause();
        }
        assertThat(seen).as(data + " within " + DEADLINE).containsAll(keys);
    }

    /** Between two polls: leaves the two shared cores to the daemons. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Set<String> localKeys(Path data) {
        Set<String> out = new TreeSet<>();
        FileSource local = new FileSource();
        Walk.Result r = Walk.run(
                url -> {
                    if (!"file".equals(url.getScheme())) {
                        throw new IOException("not local");
                    }
                    return local.fetch(url);
                },
                data.resolve("index.html").toUri(),
                Query.range(null, null),
                10_000);
        r.hits().forEach(h -> out.add(h.entry().key()));
        return out;
    }

    private static long queued(Path data) throws IOException {
        Path q = data.resolve(SubmissionQueue.FOLDER);
        if (!Files.isDirectory(q)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(q)) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
