package org.distree.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code distree serve} as a real child process, from the shaded jar. */
final class ChildDaemon implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

    final Process process;
    final URI url;

    private ChildDaemon(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** The jar {@code mvn package} builds; failsafe runs after it. */
    static Path jar() {
        Path jar = Path.of("target", "distree.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn verify (package first)");
        }
        return jar;
    }

    /**
     * The command line that runs {@code distree ARGS...} from the jar in a JVM of its own, as a
     * small machine would: the serial collector and a 256 MB heap. A mutable list, for more
     * arguments.
     */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-jar",
                jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the daemon and waits (at most 30 s) until it listens. */
    static ChildDaemon start(Path data, Path logs, String... flags) throws Exception {
        Files.createDirectories(logs);
        Path out = Files.createTempFile(logs, "out", ".log");
        List<String> cmd = command(
                "serve",
                "--data",
                data.toString(),
                "--base-url",
                "http://127.0.0.1/",
                "--port",
                "0",
                "--bind",
                "127.0.0.1");
        cmd.addAll(List.of(flags));
        Path err = Files.createTempFile(logs, "err", ".log");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ChildDaemon(p, URI.create(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the daemon exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the daemon did not start within 30 s");
    }

    /** The daemon's write token, from {@code DATA/.distree/token}. */
    static String token(Path data) throws IOException {
        return Files.readString(data.resolve(".distree/token"), StandardCharsets.UTF_8)
                .strip();
    }

    /**
     * {@code POST /entries?wait=applied} of a TSV body with the write token, answered once the
     * entries are in the tree; at most 30 s.
     */
    HttpResponse<String> postEntries(HttpClient client, String token, String tsv)
            throws IOException, InterruptedException {
        return postEntries(client, token, tsv, true);
    }

    /**
     * {@code POST /entries} of a TSV body with the write token, answered once the entries are
     * durable (in the daemon's entry log) or, if {@code applied}, once they are in the tree; at
     * most 30 s.
     */
    HttpResponse<String> postEntries(HttpClient client, String token, String tsv, boolean applied)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(url.resolve(applied ? "/entries?wait=applied" : "/entries"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "text/tab-separated-values")
                        .POST(HttpRequest.BodyPublishers.ofString(tsv))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of {@code path} on the daemon; at most 30 s. */
    HttpResponse<String> get(HttpClient client, String path)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(url.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Accept", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful shutdown; returns the exit code. */
    int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the daemon did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
