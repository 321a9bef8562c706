package org.distree.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distree.maintain.JobReport;
import org.distree.maintain.Maintainer;
import org.distree.maintain.MaintainerConfig;
import org.distree.maintain.transport.HttpTransport;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code distree maintain --data DIR [--job NAME]}: runs the maintenance jobs once over a tree
 * folder (a static tree before upload, or a daemon's folder while it is stopped), then exits.
 */
@Command(
        name = "maintain",
        mixinStandardHelpOptions = true,
        description = {
            "Run the maintenance jobs once over a tree folder: sync with other machines,"
                    + " submit new leaves, check links to other machines, repair the rules.",
            "Settings come from DIR/maintainer.properties, then --set and the options here"
                    + " (docs/PROTOCOL.md lists every key)."
        })
public final class MaintainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The tree folder.")
    Path data;

    @Option(
            names = "--job",
            paramLabel = "NAME",
            description = "Run only this job: sync, submit, link-check or rules."
                    + " Default: all, in that order.")
    @Nullable
    String job;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run the jobs this many times (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--peer",
            paramLabel = "URL",
            description = "A root of another machine to sync with (repeatable; adds to"
                    + " the 'peers' setting).")
    List<String> peers = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A maintainer setting (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (rounds < 1 || rounds > 1000) {
            throw UserException.usage("--rounds " + rounds + " is outside 1..1000");
        }
        if (!Files.isRegularFile(data.resolve(NodeStore.INDEX))) {
            throw UserException.failure("no tree in " + data + " (index.html is missing)");
        }
        Map<String, String> given = new LinkedHashMap<>(settings);
        if (!peers.isEmpty()) {
            MaintainerConfig base = MaintainerConfig.load(data, settings);
            List<String> all = new ArrayList<>();
            base.peers().forEach(u -> all.add(u.toString()));
            all.addAll(peers);
            given.put(MaintainerConfig.Key.PEERS.key(), String.join(",", all));
        }
        MaintainerConfig config = MaintainerConfig.load(data, given);
        List<Maintainer.Job> jobs =
                job == null ? List.of(Maintainer.Job.values()) : List.of(Maintainer.Job.named(job));
        PrintWriter out = spec.commandLine().getOut();
        boolean clean = true;
        try (LocalTree tree = LocalTree.open(NodeStore.open(data), Clock.systemUTC());
                HttpTransport transport =
                        new HttpTransport(config.fetchTimeout(), config.allowPrivate())) {
            Maintainer m = new Maintainer(config, tree, transport, Clock.systemUTC());
            for (int r = 0; r < rounds; r++) {
                for (Maintainer.Job j : jobs) {
                    JobReport report = m.run(j);
                    out.println(report);
                    if (j == Maintainer.Job.RULES && !report.detail().endsWith("lint: clean")) {
                        clean = false;
                    }
                }
            }
        }
        return clean ? Distree.EXIT_OK : Distree.EXIT_FAILURE;
    }
}
