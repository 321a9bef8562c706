package org.distree.maintain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Validators;
import org.distree.maintain.transport.HttpTransport;
import org.junit.jupiter.api.Test;

/**
 * {@link Fetches} over the real HTTP transport and real sockets on 127.0.0.1: a host that does
 * not answer costs one fetch timeout per run, not one per file; a host that answers, even with
 * an error, is asked for each file.
 */
class FetchesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String NOT_FOUND =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    @Test
    void aHostThatDoesNotAnswerIsNotAskedAgainInTheRun() throws Exception {
        // A server that takes connections (the kernel completes them) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpTransport transport = new HttpTransport(TIMEOUT, true)) {
            String base = "http://127.0.0.1:" + silent.getLocalPort() + "/n/";
            Fetches fetches = fetches(transport);
            assertThatThrownBy(() -> fetches.fetch(URI.create(base + "1.html")))
                    .isInstanceOfSatisfying(
                            NodeFetchException.class,
                            e -> assertThat(e.unanswered()).isTrue());
            long t = System.nanoTime();
            for (int i = 2; i <= 5; i++) {
                URI file = URI.create(base + i + ".html");
                assertThatThrownBy(() -> fetches.fetch(file))
                        .isInstanceOf(Fetches.HostUnanswered.class)
                        .hasMessageContaining(file + ": not asked")
                        // The fetch's deadline and the client's response timeout are both 1 s
                        // here: whichever fires first names the cause (a race, seen in CI).
                        .hasMessageMatching(
                                "(?s).*(no complete response within 1,000 ms|timed out: 1000"
                                        + " MILLISECONDS).*");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(TIMEOUT);
            assertThat(fetches.count()).as("requests made").isEqualTo(1);

            // The next run asks again.
            Fetches next = fetches(transport);
            assertThatThrownBy(() -> next.fetch(URI.create(base + "2.html")))
                    .isInstanceOf(NodeFetchException.class);
            assertThat(next.count()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedConnectionCountsAsNoAnswer() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        try (HttpTransport transport = new HttpTransport(TIMEOUT, true)) {
            Fetches fetches = fetches(transport);
            String base = "http://127.0.0.1:" + port + "/n/";
            assertThatThrownBy(() -> fetches.fetch(URI.create(base + "1.html")))
                    .isInstanceOfSatisfying(
                            NodeFetchException.class,
                            e -> assertThat(e.unanswered()).isTrue());
            assertThatThrownBy(() ->
                            fetches.fetchIfChanged(URI.create(base + "2.html"), Validators.NONE))
                    .isInstanceOf(Fetches.HostUnanswered.class);
            assertThat(fetches.count()).isEqualTo(1);
        }
    }

    @Test
    void aHostThatAnswersWithAnErrorIsAskedForEachFile() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpTransport transport = new HttpTransport(TIMEOUT, true)) {
            List<String> asked = new ArrayList<>();
            Thread answering = new Thread(() -> answer404(server, asked));
            answering.setDaemon(true);
            answering.start();
            String base = "http://127.0.0.1:" + server.getLocalPort() + "/n/";
            Fetches fetches = fetches(transport);
            for (int i = 1; i <= 3; i++) {
                URI file = URI.create(base + i + ".html");
                assertThatThrownBy(() -> fetches.fetch(file))
                        .isInstanceOfSatisfying(NodeFetchException.class, e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.unanswered()).isFalse();
                        });
            }
            assertThat(fetches.count()).isEqualTo(3);
            synchronized (asked) {
                assertThat(asked).contains("/n/1.html", "/n/2.html", "/n/3.html");
            }
        }
    }

    private static Fetches fetches(HttpTransport transport) {
        return new Fetches(
                transport,
                new Fetches.HostClock(Duration.ZERO),
                100,
                new AtomicLong(),
                new AtomicLong());
    }

    /** Answers every request with a 404 and closes, recording the paths asked for. */
    private static void answer404(ServerSocket server, List<String> asked) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                for (int b; (b = in.read()) >= 0; ) {
                    head.append((char) b);
                    if (head.toString().endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                String line = head.substring(0, head.indexOf("\r\n"));
                synchronized (asked) {
                    asked.add(line.substring(line.indexOf(' ') + 1, line.lastIndexOf(' ')));
                }
                OutputStream out = s.getOutputStream();
                out.write(NOT_FOUND.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }
}
