package org.distree.sim;

import java.util.Locale;

/**
 * What one round of a {@link Simulation} did, and what a search found after it. See that class
 * comment for what recall means when machines are not running.
 *
 * @param round the round, 0 for the state before the first
 * @param minRecall the smallest share of the live entries a range search from one root found
 *     (0 when no machine runs)
 * @param meanRecall the mean of those shares over the roots
 * @param lookupRecall the share of exact lookups that found their entry (1 with none)
 * @param medianFetches the median of the node files one lookup fetched (0 with none)
 * @param storageMean the entries a running machine's leaves hold, own and copies, on average
 * @param storageMax the most entries one running machine's leaves hold
 * @param requests requests the machines answered during the round's jobs (searches not
 *     counted)
 * @param notModified of those, conditional fetches answered {@code 304}
 * @param bytes bytes of the files sent in those answers
 * @param running the machines running after the round
 * @param stopped machines stopped at the start of the round ({@link Failures#stopFraction})
 * @param replaced machines replaced at the start of the round ({@link Failures#churn})
 * @param crashed machines that crashed during the round's jobs (stopped since)
 * @param entries the live entries: the own entries of the running machines
 * @param minRecallAll the smallest share, over the same range searches, of the own entries
 *     of every machine not replaced (running, stopped or crashed)
 * @param p99Fetches the 99th percentile (nearest rank) of the node files one lookup fetched
 *     (0 with none)
 * @param medianMachines the median of the distinct machines (origins) one lookup asked for a
 *     file (0 with none)
 * @param conditional of the requests, conditional fetches
 * @param minRecallSettled the smallest share, over the same range searches, of the live
 *     entries but those of the machines that joined at the start of this round (which no
 *     other machine has read yet); equal to {@code minRecall} when none joined
 * @param beforeRepairMinRecall in the round that stopped machines ({@link
 *     Failures#stopFraction}), {@link #minRecall} right after the stop, before any machine
 *     ran ({@link Simulation#beforeRepair}); {@code NaN} in every other round
 * @param beforeRepairMinRecallAll likewise {@link #minRecallAll} right after the stop; {@code
 *     NaN} in every other round
 */
public record Round(
        int round,
        double minRecall,
        double meanRecall,
        double lookupRecall,
        double medianFetches,
        double storageMean,
        long storageMax,
        long requests,
        long notModified,
        long bytes,
        int running,
        int stopped,
        int replaced,
        int crashed,
        long entries,
        double minRecallAll,
        double p99Fetches,
        double medianMachines,
        long conditional,
        double minRecallSettled,
        double beforeRepairMinRecall,
        double beforeRepairMinRecallAll) {
    /**
     * The CSV header line for {@link #csv}. Columns are only ever added at the end, so that
     * a reader by position keeps working; the last two are empty but in the round that
     * stopped machines.
     */
    public static final String CSV_HEADER = "round,min_recall,mean_recall,lookup_recall,"
            + "median_fetches,storage_mean,storage_max,requests,not_modified,bytes,"
            + "running,stopped,replaced,crashed,entries,min_recall_all,p99_fetches,"
            + "median_machines,conditional,storage_share_mean,storage_share_max,"
            + "not_modified_share,bytes_per_machine,min_recall_settled,before_repair_min_recall,"
            + "before_repair_min_recall_all";

    /**
     * This round with the recall measured right after its stop, before any repair ({@link
     * Simulation#beforeRepair}).
     */
    Round withBeforeRepair(Round before) {
        return new Round(
                round,
                minRecall,
                meanRecall,
                lookupRecall,
                medianFetches,
                storageMean,
                storageMax,
                requests,
                notModified,
                bytes,
                running,
                stopped,
                replaced,
                crashed,
                entries,
                minRecallAll,
                p99Fetches,
                medianMachines,
                conditional,
                minRecallSettled,
                before.minRecall(),
                before.minRecallAll());
    }

    /**
     * The mean storage of a running machine in shares: {@link #storageMean} divided by an
     * even share of the live entries ({@link #entries} / {@link #running}); 0 with no live
     * entries.
     */
    public double storageShareMean() {
        return share(storageMean);
    }

    /** The most one running machine stores, in shares (as {@link #storageShareMean}). */
    public double storageShareMax() {
        return share((double) storageMax);
    }

    private double share(double stored) {
        return entries == 0 ? 0 : stored * running / entries;
    }

    /** The share of the conditional fetches answered {@code 304}; 0 with none. */
    public double notModifiedShare() {
        return conditional == 0 ? 0 : (double) notModified / conditional;
    }

    /**
     * The bytes sent in the round's answers per machine that ran the round (those running
     * after it and those that crashed in it); 0 with none.
     */
    public double bytesPerMachine() {
        int ran = running + crashed;
        return ran == 0 ? 0 : (double) bytes / ran;
    }

    /** This round as one CSV line (no line end); an empty field for a {@code NaN}. */
    public String csv() {
        return String.format(
                Locale.ROOT,
                "%d,%.4f,%.4f,%.4f,%.1f,%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.4f,%.1f,%.1f,%d,"
                        + "%.3f,%.3f,%.4f,%.0f,%.4f,%s,%s",
                round,
                minRecall,
                meanRecall,
                lookupRecall,
                medianFetches,
                storageMean,
                storageMax,
                requests,
                notModified,
                bytes,
                running,
                stopped,
                replaced,
                crashed,
                entries,
                minRecallAll,
                p99Fetches,
                medianMachines,
                conditional,
                storageShareMean(),
                storageShareMax(),
                notModifiedShare(),
                bytesPerMachine(),
                minRecallSettled,
                orEmpty(beforeRepairMinRecall),
                orEmpty(beforeRepairMinRecallAll));
    }

    private static String orEmpty(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.4f", share);
    }
}
