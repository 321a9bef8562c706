package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./distree} launcher at the repository root, run as a user runs it, against the jar
 * {@code mvn package} built: the class data sharing archive it makes on first use, and stdout that
 * carries only the command's output whatever becomes of the archive.
 */
class LauncherIT {
    private static final Path TARGET = ChildDaemon.jar().getParent();
    private static final Path LAUNCHER = TARGET.resolve("../../distree").normalize();

    @Test
    void firstRunMakesTheArchiveAndLaterRunsPrintExactlyTheCommandsOutput() throws Exception {
        deleteArchives();
        Run first = run("--version");
        assertThat(first.exit).isZero();
        assertThat(archives()).hasSize(1);
        Run second = run("--version");
        assertThat(second.exit).isZero();
        assertThat(second.out).isEqualTo(first.out).matches("distree \\S.*\\n");
        assertThat(second.err).isEmpty();
    }

    @Test
    void aDamagedArchiveNeitherBreaksTheRunNorReachesStdout() throws Exception {
        deleteArchives();
        String expected = run("--help").out;
        Path archive = archives().get(0);
        archive.toFile().setWritable(true);
        byte[] junk = new byte[100_000];
        new Random(1).nextBytes(junk);
        Files.write(archive, junk);
        Run again = run("--help");
        assertThat(again.exit).isZero();
        assertThat(again.out).isEqualTo(expected).startsWith("Usage: distree");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISTREE_JAVA_OPTS");
        pb.environment().remove("DISTREE_CDS");
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "distree " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The archives of the no-command runs (--help, --version); those of other commands stay. */
    private static List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(f -> f.getFileName().toString().startsWith("distree-main-")
                            && f.getFileName().toString().endsWith(".jsa"))
                    .toList();
        }
    }

    private static void deleteArchives() throws IOException {
        for (Path a : archives()) {
            Files.delete(a);
        }
    }
}
