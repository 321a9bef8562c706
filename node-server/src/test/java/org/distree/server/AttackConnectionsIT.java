package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients, idle connections and a flood of submissions (issue 16, attack matrix): the
 * daemon keeps answering others within a stated time, closes idle connections after its idle
 * timeout, and answers a flood with 429 and 503 while the work it takes on stays bounded.
 */
class AttackConnectionsIT {
    /** The longest a client may wait for {@code /healthz} while the daemon is under attack. */
    static final long ANSWER_MS = 1_000;

    static final int IDLE_MS = 1_000;

    @TempDir
    Path dir;

    private static Socket connect(TestDaemon d) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(d.url.getHost(), d.server.port()), 5_000);
        return s;
    }

    /** A connection from {@code from}, a loopback address standing in for another client. */
    private static Socket connectFrom(TestDaemon d, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(d.url.getHost(), d.server.port()), 5_000);
        return s;
    }

    /**
     * The status line the server sends on {@code s} within {@code ms}, or "" when it sends none
     * (a timeout, or the connection closed first).
     */
    private static String statusLine(Socket s, long ms) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            s.setSoTimeout((int) Math.max(1, ms));
            for (int b = s.getInputStream().read();
                    b >= 0 && b != '\r';
                    b = s.getInputStream().read()) {
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            return "";
        } catch (IOException e) {
            return line.toString();
        }
        return line.toString();
    }

    /** Whether the server has closed {@code s}: a read gives end of stream or a reset. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(50);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The slowest of {@code n} {@code /healthz} answers, each on a new connection, in ms. */
    private static long slowestHealth(TestDaemon d, int n) throws Exception {
        long slowest = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            assertThat(d.raw("GET /healthz HTTP/1.1")).startsWith("HTTP/1.1 200");
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        return slowest;
    }

    @Test
    void slowHeadersAndIdleConnectionsDoNotStopOthersAndIdleOnesAreClosed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        List<Socket> loris = new ArrayList<>();
        AtomicBoolean trickle = new AtomicBoolean(true);
        try (TestDaemon d = TestDaemon.start(
                dir.resolve("d"),
                Map.of("idle-timeout-ms", String.valueOf(IDLE_MS), "threads", "8"))) {
            // From ten other client addresses, within the default max-client-connections (256).
            for (int i = 0; i < 200; i++) {
                idle.add(connectFrom(d, "127.0.0." + (2 + i % 10)));
            }
            // Slow-loris: a request head sent a byte every 200 ms, never finished.
            for (int i = 0; i < 200; i++) {
                loris.add(connectFrom(d, "127.0.0." + (2 + i % 10)));
            }
            byte[] head = "GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.ISO_8859_1);
            Thread trickler = trickle(loris, trickle, i -> head[Math.min(i, head.length - 1)]);
            try {
                long slowest = slowestHealth(d, 20);
                // Past the idle timeout: idle connections are gone, trickling ones are not.
                Thread.sleep(IDLE_MS + 500);
                slowest = Math.max(slowest, slowestHealth(d, 20));
                assertThat(slowest).as("slowest /healthz, ms").isLessThan(ANSWER_MS);
                System.out.println("ATTACK slowest /healthz under 200 idle and 200 slow-loris"
                        + " connections: " + slowest + " ms");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (!idle.stream().allMatch(AttackConnectionsIT::closedByServer)) {
                    assertThat(System.nanoTime())
                            .as("idle connections closed")
                            .isLessThan(deadline);
                }
            } finally {
                trickle.set(false);
                trickler.join(5_000);
            }
            // Once they stop sending, they are idle: closed within the idle timeout.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MS + 3_000);
            while (!loris.stream().allMatch(AttackConnectionsIT::closedByServer)) {
                assertThat(System.nanoTime()).as("stalled connections closed").isLessThan(deadline);
            }
            assertThat(d.get("/healthz").statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            for (Socket s : loris) {
                s.close();
            }
        }
    }

    /**
     * Starts a thread that sends each of {@code sockets} one byte every 200 ms, the {@code i}th
     * being {@code byteAt.applyAsInt(i)}, while {@code on} holds (a socket the server closed is
     * passed over).
     */
    private static Thread trickle(List<Socket> sockets, AtomicBoolean on, IntUnaryOperator byteAt) {
        Thread t = new Thread(() -> {
            for (int i = 0; on.get(); i++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(byteAt.applyAsInt(i));
                    } catch (IOException e) {
                        // closed by the server
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.start();
        return t;
    }

    /** Whether a request gets the first byte of an answer within {@code ms}. */
    private static boolean answersWithin(TestDaemon d, String requestLine, int ms)
            throws IOException {
        try (Socket s = connect(d)) {
            s.setSoTimeout(ms);
            s.getOutputStream()
                    .write((requestLine + "\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return s.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * Slow request bodies (docs/RELIABILITY.md, attack matrix): twice as many bodies as request
     * threads, each trickling in a byte every 200 ms, hold a connection each but no thread
     * ({@code OnPool} reads bodies without one), so node files and {@code /healthz} answer as
     * usual meanwhile; each body is cut with 408 at {@code body-timeout-ms}, although it never
     * went idle, and its connection is closed.
     */
    @Test
    void slowBodiesHoldNoThreadAndAreCutAtTheBodyTimeout() throws Exception {
        int bodyMs = 3_000;
        List<Socket> slowBodies = new ArrayList<>();
        AtomicBoolean trickle = new AtomicBoolean(true);
        try (TestDaemon d = TestDaemon.start(
                dir.resolve("d"),
                Map.of(
                        "idle-timeout-ms",
                        String.valueOf(IDLE_MS),
                        "threads",
                        "8",
                        "body-timeout-ms",
                        String.valueOf(bodyMs)))) {
            assertThat(d.postEntries("apple\thttps://a.example/\n").statusCode())
                    .isEqualTo(200);
            String root = "/"
                    + org.distree.html.IndexPage.rootHref(
                            java.nio.file.Files.readString(d.data.resolve("index.html")));
            assertThat(d.get(root).statusCode()).isEqualTo(200); // now held in memory
            // Slow bodies on the one form that needs no token: more than the request threads.
            long firstSent = System.nanoTime();
            for (int i = 0; i < 16; i++) {
                Socket s = connect(d);
                s.getOutputStream()
                        .write(("POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                                        + " application/x-www-form-urlencoded\r\n"
                                        + "Content-Length: 10000\r\n\r\nurl=")
                                .getBytes(StandardCharsets.ISO_8859_1));
                slowBodies.add(s);
            }
            Thread trickler = trickle(slowBodies, trickle, i -> 'a');
            try {
                Thread.sleep(500);
                long t0 = System.nanoTime();
                assertThat(answersWithin(d, "GET " + root + " HTTP/1.1", (int) ANSWER_MS))
                        .as("a node file answered while the bodies trickle")
                        .isTrue();
                assertThat(slowestHealth(d, 5)).isLessThan(ANSWER_MS);
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("ATTACK 16 slow bodies on 8 request threads: a node file"
                        + " and 5 /healthz answered in " + tookMs + " ms in all");
                long deadline = firstSent + TimeUnit.MILLISECONDS.toNanos(bodyMs + 3_000);
                for (Socket s : slowBodies) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertThat(statusLine(s, left)).startsWith("HTTP/1.1 408");
                    assertThat(System.nanoTime() - firstSent)
                            .as("cut at the body timeout, not before")
                            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(bodyMs));
                }
            } finally {
                trickle.set(false);
                trickler.join(5_000);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (!slowBodies.stream().allMatch(AttackConnectionsIT::closedByServer)) {
                assertThat(System.nanoTime()).as("cut bodies closed").isLessThan(deadline);
            }
            assertThat(d.metric("distree_http_requests_total{code=\"4xx\"}"))
                    .isGreaterThanOrEqualTo(16);
        } finally {
            for (Socket s : slowBodies) {
                s.close();
            }
        }
    }

    /**
     * One client address holds at most {@code max-client-connections} connections: one more is
     * closed as it opens, before it is read, while other addresses are served; once one of its
     * connections closes, the client may open another.
     */
    @Test
    void aClientOverItsConnectionLimitIsClosedAtOnceWhileOthersAreServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (TestDaemon d =
                TestDaemon.start(dir.resolve("d"), Map.of("max-client-connections", "4"))) {
            String request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            for (int i = 0; i < 4; i++) {
                Socket s = connectFrom(d, "127.0.0.2");
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(statusLine(s, 5_000)).startsWith("HTTP/1.1 200");
                held.add(s);
            }
            try (Socket fifth = connectFrom(d, "127.0.0.2")) {
                fifth.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(statusLine(fifth, 5_000)).as("the fifth connection").isEmpty();
                assertThat(closedByServer(fifth)).isTrue();
            }
            assertThat(d.get("/healthz").statusCode()).as("another client").isEqualTo(200);
            assertThat(d.metric("distree_http_connections_refused_total")).isEqualTo(1);
            held.remove(0).close();
            // The server sees the close a moment later: the client may open one again then.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            String status = "";
            while (!status.startsWith("HTTP/1.1 200")) {
                assertThat(System.nanoTime()).as("a fourth again").isLessThan(deadline);
                try (Socket again = connectFrom(d, "127.0.0.2")) {
                    again.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    status = statusLine(again, 2_000);
                }
                Thread.sleep(50);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aFloodOfSubmissionsGets429And503AndTheWorkTakenOnStaysBounded() throws Exception {
        // A server that accepts and never answers: every check the daemon starts stays pending.
        InetAddress standIn = InetAddress.getByName("127.0.0.2");
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger peak = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, standIn);
                TestDaemon d = TestDaemon.start(
                        dir.resolve("d"),
                        Map.of(
                                "rate-limit", "100",
                                "rate-burst", "200",
                                "max-pending-submissions", "4",
                                "submit-workers", "2",
                                // The checks must outlive the flood (up to 60 s on a loaded
                                // machine): one that timed out would free its slot for another.
                                "fetch-timeout-ms", "90000",
                                "shutdown-timeout-ms", "500"),
                        host -> {
                            if (host.equals("silent.example")) {
                                return new InetAddress[] {standIn};
                            }
                            throw new UnknownHostException(host);
                        },
                        a -> a.equals(standIn))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        peak.accumulateAndGet(held.size(), Math::max);
                    }
                } catch (IOException e) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < 8; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        String url = "http://silent.example:" + silent.getLocalPort() + "/n/"
                                + client + "-" + i + ".html";
                        HttpResponse<String> r = d.post(
                                "/submit",
                                "application/x-www-form-urlencoded",
                                "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (r.statusCode() == 429) {
                            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                        }
                        if (r.statusCode() == 503) {
                            assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("ATTACK 2,000 submissions in " + ms + " ms: " + statuses
                    + "; connections the daemon opened: " + peak.get());
            assertThat(statuses.keySet()).isSubsetOf(202, 429, 503);
            assertThat(statuses.get(429)).isNotNull();
            assertThat(statuses.get(503)).isNotNull();
            // Only the submissions being checked reach out: at most max-pending-submissions.
            assertThat(statuses.get(202).get()).isLessThanOrEqualTo(4);
            assertThat(peak.get()).isLessThanOrEqualTo(4);
            assertThat(d.get("/metrics").statusCode()).isIn(200, 429);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
