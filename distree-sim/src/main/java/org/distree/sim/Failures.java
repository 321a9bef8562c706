package org.distree.sim;

/**
 * Failures on purpose, drawn from the seed. Both kinds happen at the start of a round,
 * before any machine runs: a stop first, then churn.
 *
 * @param stopFraction the share of the running machines stopped at once at the start of
 *     round {@code stopAt}, 0 (none) to below 1: that many machines (rounded half up, at most
 *     all but one) drawn from the seed stop serving and stop running, for good; default 0
 * @param stopAt the round at whose start they stop, 1 or more; default 1
 * @param churn the share of the running machines replaced at the start of each churn round,
 *     0 (none) to below 1: each replaced machine stops for good, and a new machine joins with
 *     a new base URL (the next {@code http://mNNNN.sim/}) and {@code entriesPerMachine} new own
 *     entries drawn as the others' were, told the root of one running machine drawn from the
 *     seed as its peer. The fractions left over are carried to the next round, so that on
 *     average this share of the machines is replaced each round even when it is below one
 *     machine (at most all but one at once); default 0
 * @param churnFrom the first churn round, 1 or more; default 1
 * @param churnRounds how many rounds churn, 1 or more, or -1 for every round from {@code
 *     churnFrom} on; default -1
 */
public record Failures(
        double stopFraction, int stopAt, double churn, int churnFrom, int churnRounds) {
    /** No failures on purpose. */
    public static final Failures NONE = new Failures(0, 1, 0, 1, -1);

    public Failures {
        if (!(stopFraction >= 0 && stopFraction < 1)) {
            throw new IllegalArgumentException(
                    "stop fraction " + stopFraction + " is outside 0 to below 1");
        }
        if (stopAt < 1) {
            throw new IllegalArgumentException("stop round " + stopAt + " is below 1");
        }
        if (!(churn >= 0 && churn < 1)) {
            throw new IllegalArgumentException("churn " + churn + " is outside 0 to below 1");
        }
        if (churnFrom < 1) {
            throw new IllegalArgumentException("first churn round " + churnFrom + " is below 1");
        }
        if (churnRounds < 1 && churnRounds != -1) {
            throw new IllegalArgumentException(
                    churnRounds + " churn rounds is below 1 (or -1, every round)");
        }
    }

    /** These failures with {@code fraction} of the machines stopped at the start of a round. */
    public Failures withStop(double fraction, int atRound) {
        return new Failures(fraction, atRound, churn, churnFrom, churnRounds);
    }

    /** These failures with {@code fraction} of the machines replaced each churn round. */
    public Failures withChurn(double fraction, int fromRound, int rounds) {
        return new Failures(stopFraction, stopAt, fraction, fromRound, rounds);
    }

    /** Whether machines stop at the start of round {@code r}. */
    boolean stopsIn(int r) {
        return stopFraction > 0 && r == stopAt;
    }

    /** Whether round {@code r} is a churn round. */
    boolean churnsIn(int r) {
        return churn > 0 && r >= churnFrom && (churnRounds == -1 || r - churnFrom < churnRounds);
    }
}
