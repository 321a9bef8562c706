package org.distree.maintain;

import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Maintainer}'s jobs on their intervals with Quartz: an in-memory job store
 * (RAMJobStore: the schedule is rebuilt from the settings at each start), two worker threads,
 * and no overlapping runs of one job ({@link DisallowConcurrentExecution}); a run that is due
 * while the previous one still runs waits for it. A job that fails is logged and runs again at
 * its next time.
 */
public final class MaintenanceScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String MAINTAINER = "maintainer";
    private static final String LISTENER = "listener";

    /**
     * Told how each scheduled run went, such as to count runs in metrics. Called on the
     * schedule's threads, one call per run; it should return quickly and not throw.
     */
    public interface Listener {
        /** A run finished with this report. */
        void ran(Maintainer.Job job, JobReport report);

        /** A run failed (the job runs again at its next time). */
        void failed(Maintainer.Job job, Exception e);
    }

    private static final Listener QUIET = new Listener() {
        @Override
        public void ran(Maintainer.Job job, JobReport report) {}

        @Override
        public void failed(Maintainer.Job job, Exception e) {}
    };

    private final Scheduler scheduler;

    private MaintenanceScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Starts the schedule: each job first after one interval, then every interval.
     *
     * @throws IllegalStateException when Quartz cannot start
     */
    public static MaintenanceScheduler start(Maintainer maintainer) {
        return start(maintainer, QUIET);
    }

    /**
     * Starts the schedule, telling {@code listener} how each run went.
     *
     * @throws IllegalStateException when Quartz cannot start
     */
    public static MaintenanceScheduler start(Maintainer maintainer, Listener listener) {
        Properties p = new Properties();
        p.setProperty(
                "org.quartz.scheduler.instanceName",
                "distree-maintainer-" + INSTANCES.incrementAndGet());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        try {
            Scheduler s = new StdSchedulerFactory(p).getScheduler();
            s.getContext().put(MAINTAINER, maintainer);
            s.getContext().put(LISTENER, listener);
            for (Maintainer.Job job : Maintainer.Job.values()) {
                long ms = maintainer.config().interval(job.interval()).toMillis();
                JobDetail detail = JobBuilder.newJob(RunJob.class)
                        .withIdentity(job.jobName(), "distree")
                        .usingJobData("job", job.jobName())
                        .build();
                Trigger trigger = TriggerBuilder.newTrigger()
                        .withIdentity(job.jobName(), "distree")
                        .startAt(Date.from(Instant.now().plusMillis(ms)))
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                .withIntervalInMilliseconds(ms)
                                .repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount())
                        .build();
                s.scheduleJob(detail, trigger);
            }
            s.start();
            return new MaintenanceScheduler(s);
        } catch (SchedulerException e) {
            throw new IllegalStateException(
                    "cannot start the maintenance schedule: " + e.getMessage(), e);
        }
    }

    /** How long {@link #close} waits for runs in progress: 30 seconds. */
    static final long STOP_WAIT_MILLIS = 30_000;

    /**
     * Stops the schedule, waiting for runs in progress to finish, at most {@value
     * #STOP_WAIT_MILLIS} ms (Quartz's own wait has been seen to hang); past that the job threads,
     * which are daemons, are left to end on their own and a warning is logged.
     */
    @Override
    public void close() {
        Thread stopper = new Thread(
                () -> {
                    try {
                        scheduler.shutdown(true);
                    } catch (SchedulerException e) {
                        LOG.warn("stopping the maintenance schedule: {}", e.toString());
                    }
                },
                "distree-maintainer-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            LOG.warn(
                    "the maintenance schedule did not stop within {} ms; going on without it",
                    STOP_WAIT_MILLIS);
        }
    }

    /** One run of one job; Quartz makes a new one per run. */
    @DisallowConcurrentExecution
    public static final class RunJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            Maintainer.Job job =
                    Maintainer.Job.named(context.getMergedJobDataMap().getString("job"));
            Maintainer m;
            Listener listener;
            try {
                // start() put both in the context before scheduling any job.
                SchedulerContext c = context.getScheduler().getContext();
                m = (Maintainer) Objects.requireNonNull(c.get(MAINTAINER), MAINTAINER);
                listener = (Listener) Objects.requireNonNull(c.get(LISTENER), LISTENER);
            } catch (SchedulerException e) {
                throw new JobExecutionException(e);
            }
            try {
                JobReport r = m.run(job);
                LOG.info("{}", r);
                listener.ran(job, r);
            } catch (Exception e) {
                LOG.warn("maintenance job {} failed: {}", job.jobName(), e.toString());
                listener.failed(job, e);
            }
        }
    }
}
