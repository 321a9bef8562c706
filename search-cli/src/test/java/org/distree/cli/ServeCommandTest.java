package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distree serve} refuses what it cannot serve with one clear line, before or while it
 * starts (a running daemon is tested as a child process: {@link CrashIT}, {@link LauncherIT}).
 */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void everySettingIsAFlagWithItsDefault() {
        Cli help = Cli.run("serve", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out())
                .contains("--data=DIR", "(required)", "--base-url=URL", "--port=VALUE")
                .contains("--config=FILE");
    }

    @Test
    void aMissingDataFolderSettingIsAUsageError() {
        Cli c = Cli.run("serve", "--base-url", "http://127.0.0.1/");
        assertThat(c.code()).isEqualTo(Distree.EXIT_USAGE);
        assertThat(c.err()).startsWith("distree: ").contains("data").doesNotContain("Exception");
    }

    @Test
    void aMissingSettingsFileIsAUsageError() {
        Cli c = Cli.run("serve", "--config", tmp.resolve("none.properties").toString());
        assertThat(c.code()).isEqualTo(Distree.EXIT_USAGE);
        assertThat(c.err()).contains("no such settings file");
    }

    @Test
    void aBadValueInTheSettingsFileNamesItsKey() throws Exception {
        Path config = tmp.resolve("serve.properties");
        Files.writeString(
                config,
                "data=" + tmp.resolve("tree") + "\nbase-url=http://127.0.0.1/\nport=eighty\n",
                StandardCharsets.UTF_8);
        Cli c = Cli.run("serve", "--config", config.toString());
        assertThat(c.code()).isEqualTo(Distree.EXIT_USAGE);
        assertThat(c.err()).contains("port").contains("eighty");
        // A flag overrides the file: the same bad value given right on the command line wins.
        Cli flag = Cli.run("serve", "--config", config.toString(), "--port", "-1");
        assertThat(flag.code()).isEqualTo(Distree.EXIT_USAGE);
        assertThat(flag.err()).contains("port").contains("-1");
    }

    @Test
    void aDataPathThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("tree"), "not a folder", StandardCharsets.UTF_8);
        Cli c = Cli.run("serve", "--data", file.toString(), "--base-url", "http://127.0.0.1/");
        assertThat(c.code()).isEqualTo(Distree.EXIT_FAILURE);
        assertThat(c.err()).contains("is not a folder");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("not a folder");
    }

    @Test
    void aPortInUseIsAOneLineFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli c = Cli.run(
                    "serve",
                    "--data",
                    tmp.resolve("tree").toString(),
                    "--base-url",
                    "http://127.0.0.1/",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(taken.getLocalPort()),
                    "--maintain",
                    "false");
            assertThat(c.code()).isEqualTo(Distree.EXIT_FAILURE);
            assertThat(c.err().strip().lines()).hasSize(1);
            assertThat(c.err()).startsWith("distree: ");
            assertThat(c.out()).doesNotContain("listening");
        }
    }
}
