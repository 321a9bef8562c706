package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distree.crawl.HttpNodeSource;
import org.distree.server.NodeServer;
import org.distree.server.ServerConfig;
import org.distree.server.search.CrawlSearcher;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distree serve}: runs the node daemon until stopped (Ctrl-C or SIGTERM stop it
 * gracefully). Every setting of {@link ServerConfig.Key} is a flag of the same name, added to
 * this command from that one list, and may also be given in the {@code --config} file.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a tree folder over HTTP: node files, a search page, submissions from other"
                    + " machines (POST /submit) and entries with a token (POST /entries).",
            "Example: distree serve --data tree/ --base-url https://node.example.org/"
                    + " --port 8080 --bind 0.0.0.0",
            "Settings come from the flags, then the --config file, then the defaults;"
                    + " docs/SERVE.md describes each."
        })
public final class ServeCommand implements Callable<Integer> {
    private CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file of settings (key=value, the flag names without"
                    + " dashes).")
    @Nullable
    Path config;

    /**
     * Takes the command's model from picocli and adds one flag per setting, so the flags and the
     * settings file never disagree.
     */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        if (commandSpec.findOption("--" + ServerConfig.Key.DATA.key()) == null) {
            for (ServerConfig.Key k : ServerConfig.Key.values()) {
                String dflt = k.defaultValue();
                String shown = dflt == null
                        ? " (required)"
                        : dflt.isEmpty() ? "" : " (default: " + dflt + ")";
                boolean flag = "false".equals(dflt);
                commandSpec.addOption(OptionSpec.builder("--" + k.key())
                        .arity(flag ? "0..1" : "1")
                        .fallbackValue(flag ? "true" : "")
                        .paramLabel(
                                k.key().equals("data")
                                        ? "DIR"
                                        : k.key().equals("base-url") ? "URL" : "VALUE")
                        .type(String.class)
                        .description(k.description() + shown)
                        .build());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw UserException.usage("no such settings file: " + config);
            }
            settings.putAll(ServerConfig.readFile(config));
        }
        for (ServerConfig.Key k : ServerConfig.Key.values()) {
            OptionSpec o = spec.findOption("--" + k.key());
            if (o != null && spec.commandLine().getParseResult().hasMatchedOption(o)) {
                settings.put(k.key(), o.getValue());
            }
        }
        ServerConfig c;
        try {
            c = ServerConfig.of(settings);
        } catch (IllegalArgumentException e) {
            throw UserException.usage(String.valueOf(e.getMessage()));
        }
        if (Files.exists(c.data()) && !Files.isDirectory(c.data())) {
            throw UserException.failure(c.data() + " is not a folder");
        }
        HttpNodeSource remote = NodeServer.remoteSource(c);
        CrawlSearcher searcher = NodeServer.searcher(c);
        NodeServer server;
        try {
            server = NodeServer.start(c, remote, searcher);
        } catch (IOException | RuntimeException e) {
            remote.close();
            searcher.close();
            throw e;
        }
        Thread hook = new Thread(
                () -> {
                    try {
                        server.close();
                        remote.close();
                        searcher.close();
                    } catch (IOException e) {
                        System.err.println("distree: could not stop cleanly: " + e.getMessage());
                    }
                },
                "distree-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("distree serve: listening on " + server.url() + " (public URL " + c.baseUrl()
                + ")");
        out.flush();
        server.join();
        return Distree.EXIT_OK;
    }
}
