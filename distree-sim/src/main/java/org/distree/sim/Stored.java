package org.distree.sim;

import java.net.URI;
import java.util.Locale;

/**
 * What one running machine stores at the end of a round ({@link Simulation#storage}).
 *
 * @param machine its base URL
 * @param stored the entries in its leaves, own and copies (orphan copies not), as {@link
 *     Round#storageMax} counts them
 * @param own its own entries
 * @param share {@code stored} in shares: divided by an even share of the live entries (the
 *     running machines' own entries over the running machines); 0 with no live entries
 */
public record Stored(URI machine, long stored, int own, double share) {
    /** The CSV header line for {@link #csv}. */
    public static final String CSV_HEADER = "machine,stored,own,share";

    /** This machine as one CSV line (no line end). */
    public String csv() {
        return String.format(Locale.ROOT, "%s,%d,%d,%.3f", machine, stored, own, share);
    }
}
