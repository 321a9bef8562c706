package org.distree.maintain;

/**
 * What one run of a job did.
 *
 * @param job the job's name: {@code rules}, {@code link-check}, {@code submit} or {@code sync}
 * @param fetches node files fetched from other machines
 * @param changes what changed here: entries copied, links adopted or updated, files repaired,
 *     leaves submitted (see {@code detail})
 * @param detail one line for a person
 */
public record JobReport(String job, int fetches, int changes, String detail) {
    /** This report with {@code more} added to its detail. */
    public JobReport withDetail(String more) {
        return new JobReport(job, fetches, changes, detail + more);
    }

    @Override
    public String toString() {
        return job + ": " + detail + " (" + fetches + " fetches)";
    }
}
