package org.distree.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulation's time: it stands still while machines run and moves only when told, so that
 * every date a machine writes (a node's {@code updated}, a child's {@code checked}) and every
 * wait it measures (submission retries, dead children, aged copies) is the same in every run of
 * a seed. UTC only.
 */
final class SimClock extends Clock {
    private volatile Instant now;

    SimClock(Instant start) {
        this.now = start;
    }

    /** Moves the time on. */
    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock for UTC; no other zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (!zone.equals(ZoneOffset.UTC)) {
            throw new UnsupportedOperationException("the simulation's clock is in UTC only");
        }
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
