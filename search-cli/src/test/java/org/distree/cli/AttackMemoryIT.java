package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's memory under attack (issue 16, attack matrix), measured, not assumed: {@code
 * distree serve} in a JVM of its own (serial collector, 256 MB heap, as {@link ChildDaemon}
 * starts it), with the rate limit off, takes 500 idle connections, 1,000 {@code POST /entries} bodies
 * of exactly the 1 MiB limit (read and parsed whole, then refused for their last line) and 1,000
 * declaring one byte more, 32 at a time; its peak resident
 * memory (VmHWM in /proc/PID/status) must stay under {@link #BOUND_MB}, and it must still answer
 * with no {@code OutOfMemoryError} logged.
 */
class AttackMemoryIT {
    /** The bound on the daemon's peak resident memory: the 256 MB heap plus the JVM's own. */
    static final long BOUND_MB = 512;

    private static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");

    @TempDir
    Path dir;

    static long peakResidentMb(Process p) throws IOException {
        String status = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "status"));
        Matcher m = HWM.matcher(status);
        assertThat(m.find()).as("VmHWM in /proc/PID/status").isTrue();
        return Long.parseLong(m.group(1)) / 1024;
    }

    @Test
    void memoryStaysUnderItsBoundUnderIdleConnectionsAndBodiesAtTheLimit() throws Exception {
        Path data = dir.resolve("tree");
        Path logs = dir.resolve("logs");
        List<Socket> idle = new ArrayList<>();
        try (ChildDaemon d =
                ChildDaemon.start(data, logs, "--rate-limit", "0", "--maintain", "false")) {
            long before = peakResidentMb(d.process);
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket();
                // From ten client addresses, 50 each: within max-client-connections (256).
                s.bind(new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i % 10)}), 0));
                s.connect(new InetSocketAddress(d.url.getHost(), d.url.getPort()), 5_000);
                idle.add(s);
            }
            // Entries for the whole body but a last line without a tab: read and parsed whole,
            // then refused (400), so nothing is written and the test measures reading only.
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; tsv.length() < (1 << 20) - 200; i++) {
                // About 130 bytes an entry: under the 10,000 entries a request may add.
                tsv.append("k")
                        .append(i)
                        .append("\thttps://e.example/")
                        .append(i)
                        .append('/')
                        .append("p".repeat(100))
                        .append('\n');
            }
            String lines = tsv.toString();
            byte[] atLimit = (lines + "x".repeat((1 << 20) - lines.length() - 1) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] over = (lines + "x".repeat((1 << 20) - lines.length()) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(atLimit).hasSize(1 << 20);
            String token = ChildDaemon.token(data);
            // One client for each kind, so that a connection closed after a 413 is never reused
            // for a body at the limit.
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpClient overClient = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 2_000; i++) {
                boolean isOver = i % 2 == 1;
                byte[] body = isOver ? over : atLimit;
                HttpClient sender = isOver ? overClient : client;
                done.add(pool.submit(() -> {
                    HttpResponse<Void> r;
                    try {
                        r = sender.send(
                                HttpRequest.newBuilder(d.url.resolve("/entries"))
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Authorization", "Bearer " + token)
                                        .header("Content-Type", "text/tab-separated-values")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (IOException e) {
                        // Over the limit, the 413 comes from the declared length and the
                        // connection closes while the client still sends: it may see only that.
                        if (!isOver) {
                            throw e;
                        }
                        statuses.computeIfAbsent(0, k -> new AtomicInteger()).incrementAndGet();
                        return null;
                    }
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger())
                            .incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            long peak = peakResidentMb(d.process);
            System.out.println("ATTACK memory: peak resident " + peak + " MB (" + before
                    + " MB before), bound " + BOUND_MB + " MB; 2,000 bodies of 1 MiB in "
                    + seconds + " s: " + statuses);
            assertThat(peak).isLessThan(BOUND_MB);
            // At the limit: read whole and refused for its last line (400); over it: 413.
            assertThat(statuses.get(400).get()).isEqualTo(1_000);
            assertThat(statuses.keySet()).isSubsetOf(0, 400, 413);
            int refused = statuses.getOrDefault(413, new AtomicInteger()).get()
                    + statuses.getOrDefault(0, new AtomicInteger()).get();
            assertThat(refused).isEqualTo(1_000);
            assertThat(d.get(client, "/healthz").statusCode()).isEqualTo(200);
            assertThat(d.process.isAlive()).isTrue();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
            }
        }
    }
}
