package org.distree.maintain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpTransport} against real sockets on 127.0.0.1: a submission to a machine whose
 * connections are never taken fails within the connect timeout, not HttpClient's default of 3
 * minutes.
 */
class HttpTransportTest {
    private static final String NOT_FOUND =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void aSubmissionToAMachineThatTakesNoConnectionGivesUpWithinTheTimeout() throws Exception {
        byte[] root;
        try (LocalTree tree = LocalTree.open(dir)) {
            root = Files.readAllBytes(dir.resolve(tree.rootName()));
        }
        List<Socket> filling = new ArrayList<>();
        // A backlog of 1, and nothing accepted after the first request: once the queue is
        // full the kernel drops new SYNs, as for a machine cut off.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HttpTransport transport = new HttpTransport(Duration.ofSeconds(1), true)) {
            Thread once = new Thread(() -> serveOnce(server, root));
            once.setDaemon(true);
            once.start();
            URI origin = URI.create("http://127.0.0.1:" + server.getLocalPort());
            // Served a valid node, so it may be submitted to.
            assertThat(transport.fetch(origin.resolve("/n/1.html")).bytes()).isPositive();
            once.join(10_000);
            InetSocketAddress at =
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            boolean full = false;
            for (int i = 0; i < 10 && !full; i++) {
                Socket s = new Socket();
                filling.add(s);
                try {
                    s.connect(at, 300);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            assertThat(full).as("the accept queue is full").isTrue();

            long t = System.nanoTime();
            assertThatThrownBy(() -> transport.submit(origin, List.of(origin.resolve("/n/1.html"))))
                    .isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket s : filling) {
                s.close();
            }
        }
    }

    /**
     * Answers requests, one a connection (robots.txt: 404), until it has served the node file
     * once; then takes no more connections.
     */
    private static void serveOnce(ServerSocket server, byte[] node) {
        while (true) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                for (int b; (b = in.read()) >= 0; ) {
                    head.append((char) b);
                    if (head.toString().endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                OutputStream out = s.getOutputStream();
                if (head.toString().startsWith("GET /robots.txt ")) {
                    out.write(NOT_FOUND.getBytes(StandardCharsets.ISO_8859_1));
                    continue;
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                + "Content-Length: " + node.length
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(node);
                out.flush();
                return;
            } catch (IOException e) {
                return; // the test fails on the fetch
            }
        }
    }
}
