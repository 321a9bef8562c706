package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distree plot} from the jar {@code mvn package} built, as a user runs it: with {@code
 * DISPLAY} naming an X server that is not there and no {@code java.awt.headless} given, it still
 * draws (the command runs headless by itself).
 */
class PlotCommandIT {
    @TempDir
    Path tmp;

    @Test
    void theJarDrawsWithADisplayThatCannotBeReached() throws Exception {
        Path csv = tmp.resolve("run.csv");
        Files.write(
                csv,
                List.of("round,min_recall,running", "0,0.2,5", "1,0.7,5", "2,1,5"),
                StandardCharsets.UTF_8);
        Path png = tmp.resolve("recall.png");
        Path log = tmp.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-jar",
                ChildDaemon.jar().toString(),
                "plot",
                "recall",
                csv.toString(),
                "--out",
                png.toString());
        pb.environment().put("DISPLAY", "127.0.0.1:99");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in 60 s").isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("wrote " + png + " (800 x 600 pixels, 1 file)\n");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(600);
    }
}
