package org.distree.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OnPool} on a real Jetty server: bodies of every shape reach the handler whole, from
 * memory; a body over the limit is refused before the handler runs, declared or chunked; a body
 * that does not arrive whole in time gets 408.
 */
class OnPoolTest {
    private static final int MAX = 64 * 1024;
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(1_500);

    private final AtomicInteger handled = new AtomicInteger();
    private Server server;
    private URI base;
    private final HttpClient client = HttpClient.newHttpClient();

    /** Answers with the body's length and SHA-256, read as any handler reads it. */
    private final class Digest extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback)
                throws Exception {
            handled.incrementAndGet();
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            return Replies.send(
                    response, callback, 200, "text/plain", body.length + " " + sha256(body));
        }
    }

    @BeforeEach
    void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new OnPool(new Digest(), MAX, BODY_TIMEOUT));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(base).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void bodiesOfEveryShapeReachTheHandlerWhole() throws Exception {
        for (int n : new int[] {1, 1_000, 50_000, MAX}) {
            byte[] body = randomBytes(n);
            HttpResponse<String> fixed = post(HttpRequest.BodyPublishers.ofByteArray(body));
            assertThat(fixed.statusCode()).isEqualTo(200);
            assertThat(fixed.body()).isEqualTo(n + " " + sha256(body));
            // No Content-Length: the client sends it chunked.
            HttpResponse<String> chunked = post(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
            assertThat(chunked.statusCode()).isEqualTo(200);
            assertThat(chunked.body()).isEqualTo(n + " " + sha256(body));
        }
        HttpResponse<String> get = client.send(
                HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.body()).isEqualTo("0 " + sha256(new byte[0]));
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeTheHandlerRuns() throws Exception {
        byte[] body = randomBytes(MAX + 1);
        assertThat(post(HttpRequest.BodyPublishers.ofByteArray(body)).statusCode())
                .isEqualTo(413);
        HttpResponse<String> chunked = post(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("65,536 byte limit");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aBodyThatDoesNotArriveWholeInTimeGets408() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), base.getPort()),
                    5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf"
                            .getBytes(StandardCharsets.ISO_8859_1));
            long t0 = System.nanoTime();
            String response = readAll(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(response).startsWith("HTTP/1.1 408").contains("within 1,500 ms (4 bytes");
            assertThat(ms).isGreaterThanOrEqualTo(BODY_TIMEOUT.toMillis() - 100);
        }
        assertThat(handled).hasValue(0);
    }

    /** What the server sends until it closes the connection. */
    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
