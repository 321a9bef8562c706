package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work is sized from the processors the JVM sees, not from fixed counts: a real {@code distree}
 * process told that the machine has N processors ({@code -XX:ActiveProcessorCount}) uses N
 * threads, as its {@code -v} line says.
 */
class ProcessorsTest {
    @TempDir
    Path tmp;

    /** Runs the command in a child JVM that sees {@code processors} processors; its stderr. */
    private static String run(int processors, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=" + processors,
                "-cp",
                System.getProperty("java.class.path"),
                "org.distree.cli.Distree"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return err;
    }

    @Test
    void buildRendersOnOneThreadPerProcessor() throws Exception {
        Path in = tmp.resolve("in.tsv");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add("k" + i + "\thttps://example.org/" + i + "\tPage\tcomment");
        }
        Files.write(in, lines, StandardCharsets.UTF_8);

        for (int processors : new int[] {1, 3, 16}) {
            String err = run(
                    processors,
                    "build",
                    "--in",
                    in.toString(),
                    "--out",
                    tmp.resolve("t" + processors).toString(),
                    "-v");

            assertThat(err).contains("(" + processors + " rendering threads)");
        }
    }

    @Test
    void indexSiteReadsOnOneThreadPerProcessor() throws Exception {
        Path site = site();

        String err = run(
                16,
                "index-site",
                site.toString(),
                "--out",
                tmp.resolve("idx").toString(),
                "--base-url",
                "https://example.org/",
                "-v");

        assertThat(err).contains("(16 threads)");
    }

    private Path site() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(
                    site.resolve("p" + i + ".html"),
                    "<html><head><title>Page " + i + "</title></head><body><p>apple pear " + i
                            + "</p></body></html>",
                    StandardCharsets.UTF_8);
        }
        return site;
    }
}
