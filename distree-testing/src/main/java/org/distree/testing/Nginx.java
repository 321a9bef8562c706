package org.distree.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx serving one folder on 127.0.0.1, with its own prefix and config (never the
 * system one), for tests. Stop it with {@link #close}.
 */
public final class Nginx implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;
    private final Path prefix;

    private Nginx(Process process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the calling test when nginx is missing, or fails it when {@code CI=true}: in CI a
     * test that needs nginx must run ({@code .ci/run} installs it).
     */
    public static void require() {
        Required.tool(installed(), "nginx (" + BINARY + ")");
    }

    /** Starts nginx serving {@code root}; returns once it answers, or fails after 20 s. */
    public static Nginx serve(Path root, Path prefix) throws IOException, InterruptedException {
        return serve(root, prefix, "");
    }

    /**
     * Starts nginx serving {@code root}, with {@code server} added inside its {@code server}
     * block (locations, such as {@code location /api/ { return 200 "ok"; }}, which answers a
     * POST that a static file answers with 405); returns once it answers, or fails after 20 s.
     */
    public static Nginx serve(Path root, Path prefix, String server)
            throws IOException, InterruptedException {
        Files.createDirectories(prefix.resolve("tmp"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String p = prefix.toAbsolutePath().toString();
        String conf = ("root".equals(System.getProperty("user.name")) ? "user root;\n" : "")
                + "worker_processes 1;\n"
                + "pid " + p + "/nginx.pid;\n"
                + "error_log " + p + "/error.log;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log " + p + "/access.log;\n"
                + "  client_body_temp_path " + p + "/tmp/body;\n"
                + "  proxy_temp_path " + p + "/tmp/proxy;\n"
                + "  fastcgi_temp_path " + p + "/tmp/fastcgi;\n"
                + "  uwsgi_temp_path " + p + "/tmp/uwsgi;\n"
                + "  scgi_temp_path " + p + "/tmp/scgi;\n"
                + "  types { text/html html htm; text/plain txt; text/javascript js; text/css css; }\n"
                + "  default_type application/octet-stream;\n"
                + "  charset utf-8;\n"
                + "  keepalive_requests 100000;\n"
                + "  server { listen 127.0.0.1:" + port + "; root "
                + root.toAbsolutePath() + "; " + server + " }\n"
                + "}\n";
        Files.writeString(prefix.resolve("nginx.conf"), conf);
        Process process = new ProcessBuilder(
                        BINARY.toString(), "-p", p, "-c", p + "/nginx.conf", "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("stdout.log").toFile())
                .start();
        Nginx nginx = new Nginx(process, port, prefix);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(
                        "nginx exited: " + Files.readString(prefix.resolve("stdout.log"))
                                + tail(prefix.resolve("error.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) nginx.url("/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(500);
                c.getResponseCode();
                c.disconnect();
                return nginx;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    nginx.close();
                    throw new IOException("nginx did not answer on port " + port, e);
                }
                TimeUnit.MILLISECONDS.sleep(20); // the poll interval; the deadline bounds it
            }
        }
    }

    private static String tail(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of a path on this server, such as {@code /index.html}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The access log: one line per request. */
    public Path accessLog() {
        return prefix.resolve("access.log");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
