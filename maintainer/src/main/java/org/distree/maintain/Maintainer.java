package org.distree.maintain;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.maintain.internal.State;
import org.distree.maintain.transport.Transport;
import org.distree.tree.LocalTree;

/**
 * Keeps one machine's tree within the rules and in sync with other machines. Each job can run
 * once ({@link #run}); {@link #round} runs them all in order; {@link MaintenanceScheduler} runs
 * them on their intervals. The tree is shared with whoever else writes it (the daemon's entry
 * writer): every change goes through {@link LocalTree}, which serializes writers.
 *
 * <pre>
 * round: sync (inbox, walk, copy entries, adopt children) ─► submit ─► link-check ─► rules
 * </pre>
 */
public final class Maintainer {
    /** The jobs, by the names the command line and the schedule use. */
    public enum Job {
        SYNC("sync", MaintainerConfig.Key.SYNC_INTERVAL_MS),
        SUBMIT("submit", MaintainerConfig.Key.SUBMIT_INTERVAL_MS),
        LINK_CHECK("link-check", MaintainerConfig.Key.LINK_CHECK_INTERVAL_MS),
        RULES("rules", MaintainerConfig.Key.RULES_INTERVAL_MS);

        private final String jobName;
        private final MaintainerConfig.Key interval;

        Job(String jobName, MaintainerConfig.Key interval) {
            this.jobName = jobName;
            this.interval = interval;
        }

        public String jobName() {
            return jobName;
        }

        /** The setting that holds this job's interval. */
        public MaintainerConfig.Key interval() {
            return interval;
        }

        /**
         * The job of this name.
         *
         * @throws IllegalArgumentException naming the known jobs
         */
        public static Job named(String name) {
            for (Job j : values()) {
                if (j.jobName.equals(name.toLowerCase(Locale.ROOT))) {
                    return j;
                }
            }
            throw new IllegalArgumentException(
                    "unknown job '" + name + "' (one of sync, submit, link-check, rules)");
        }
    }

    private final Context ctx;

    /** A maintainer of {@code tree}, which the caller keeps open and closes. */
    public Maintainer(MaintainerConfig config, LocalTree tree, Transport transport, Clock clock) {
        this.ctx = new Context(
                config, tree, transport, State.load(config.data(), config.maxNeighbors()), clock);
    }

    public MaintainerConfig config() {
        return ctx.config();
    }

    /**
     * Runs one job once. Trouble with other machines is reported, not thrown.
     *
     * @throws IOException when the local tree cannot be read or written
     */
    public JobReport run(Job job) throws IOException {
        return switch (job) {
            case SYNC -> SyncJob.run(ctx);
            case SUBMIT -> SubmitJob.run(ctx);
            case LINK_CHECK -> LinkCheckJob.run(ctx);
            case RULES -> RulesJob.run(ctx);
        };
    }

    /** Runs every job once, in order: sync, submit, link check, rules. */
    public List<JobReport> round() throws IOException {
        List<JobReport> out = new ArrayList<>();
        for (Job j : Job.values()) {
            out.add(run(j));
        }
        return out;
    }

    /** Requests for node files to other machines so far, by every job ({@code 304}s too). */
    public long fetches() {
        return ctx.fetchTotal();
    }

    /** Bytes of the node files fetched from other machines so far, by every job. */
    public long fetchedBytes() {
        return ctx.bytesTotal();
    }
}
