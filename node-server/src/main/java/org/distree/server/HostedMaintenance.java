package org.distree.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.distree.maintain.JobReport;
import org.distree.maintain.Maintainer;
import org.distree.maintain.MaintainerConfig;
import org.distree.maintain.MaintenanceScheduler;
import org.distree.maintain.settings.Settings;
import org.distree.maintain.transport.HttpTransport;
import org.distree.server.metrics.Metrics;
import org.distree.tree.LocalTree;

/**
 * The maintenance jobs run inside the daemon, on the daemon's own {@link LocalTree} (the one its
 * entry writer uses; the tree serializes the two writers).
 *
 * <pre>
 * POST /submit ─► checks ─► DATA/.distree/submissions/*.json ─► sync (neighbors) ─┐
 * DATA/maintainer.properties + daemon's base-url, allow-private, fetch-timeout-ms ─┴► jobs ─► tree
 * </pre>
 *
 * <p>Settings: the maintainer's own keys come from {@code DATA/maintainer.properties}; the keys
 * it shares with the daemon ({@code base-url}, {@code allow-private}, {@code fetch-timeout-ms})
 * come from the daemon's settings, so each has one source. The file may repeat one only with the
 * same value.
 */
final class HostedMaintenance implements AutoCloseable {
    static final String RUNS = "distree_maintenance_runs_total";
    static final String FETCHES = "distree_maintenance_fetches_total";
    static final String CHANGES = "distree_maintenance_changes_total";

    private final HttpTransport transport;
    private final MaintenanceScheduler scheduler;

    private HostedMaintenance(HttpTransport transport, MaintenanceScheduler scheduler) {
        this.transport = transport;
        this.scheduler = scheduler;
    }

    /**
     * The maintainer's settings for a daemon: {@code DATA/maintainer.properties}, with the keys
     * it shares with the daemon taken from the daemon.
     *
     * @throws IllegalArgumentException naming the key when the file has an unknown or invalid
     *     one, or gives a shared key a value other than the daemon's
     * @throws IOException when the file exists but cannot be read
     */
    static MaintainerConfig config(ServerConfig server) throws IOException {
        Path data = server.data();
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put(MaintainerConfig.Key.BASE_URL.key(), server.baseUrl().toString());
        shared.put(
                MaintainerConfig.Key.ALLOW_PRIVATE.key(), Boolean.toString(server.allowPrivate()));
        shared.put(
                MaintainerConfig.Key.FETCH_TIMEOUT_MS.key(),
                Long.toString(server.fetchTimeout().toMillis()));
        MaintainerConfig fromFile = MaintainerConfig.load(data, Map.of());
        MaintainerConfig merged = MaintainerConfig.load(data, shared);
        Map<String, String> file = fileSettings(data.resolve(MaintainerConfig.FILE));
        for (String key : shared.keySet()) {
            String inFile = file.get(key);
            if (inFile != null && !sameValue(key, fromFile, merged)) {
                throw new IllegalArgumentException("maintainer setting '" + key + "' = '"
                        + inFile.strip() + "' in " + MaintainerConfig.FILE
                        + " differs from the daemon's '" + shared.get(key) + "'; set it once,"
                        + " in the daemon's settings");
            }
        }
        return merged;
    }

    private static boolean sameValue(String key, MaintainerConfig a, MaintainerConfig b) {
        return switch (key) {
            case "base-url" -> Objects.equals(a.baseUrl(), b.baseUrl());
            case "allow-private" -> a.allowPrivate() == b.allowPrivate();
            default -> a.fetchTimeout().equals(b.fetchTimeout());
        };
    }

    private static Map<String, String> fileSettings(Path file) throws IOException {
        return Files.isRegularFile(file) ? Settings.readFile(file) : Map.of();
    }

    /**
     * Starts the jobs on their intervals over {@code tree}, counting runs into {@code metrics}:
     * {@code distree_maintenance_runs_total{job,outcome}}, {@code
     * distree_maintenance_fetches_total} and {@code distree_maintenance_changes_total{job}}.
     */
    static HostedMaintenance start(MaintainerConfig config, LocalTree tree, Metrics metrics) {
        metrics.counter(RUNS, "Maintenance job runs, by job and outcome (ok or failed).");
        metrics.counter(FETCHES, "Node files fetched from other machines by maintenance.");
        metrics.counter(
                CHANGES,
                "Changes made by maintenance jobs (entries copied, links"
                        + " adopted or updated, files repaired, leaves submitted), by job.");
        HttpTransport transport = new HttpTransport(config.fetchTimeout(), config.allowPrivate());
        try {
            Maintainer maintainer = new Maintainer(config, tree, transport, Clock.systemUTC());
            MaintenanceScheduler scheduler =
                    MaintenanceScheduler.start(maintainer, new MaintenanceScheduler.Listener() {
                        @Override
                        public void ran(Maintainer.Job job, JobReport r) {
                            metrics.add(RUNS, labels(job, "ok"), 1);
                            metrics.add(FETCHES, r.fetches());
                            metrics.add(CHANGES, "job=\"" + job.jobName() + "\"", r.changes());
                        }

                        @Override
                        public void failed(Maintainer.Job job, Exception e) {
                            metrics.add(RUNS, labels(job, "failed"), 1);
                        }
                    });
            return new HostedMaintenance(transport, scheduler);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    private static String labels(Maintainer.Job job, String outcome) {
        return "job=\"" + job.jobName() + "\",outcome=\"" + outcome + "\"";
    }

    /** Stops the schedule, waiting for runs in progress, and closes the connections. */
    @Override
    public void close() {
        scheduler.close();
        transport.close();
    }
}
