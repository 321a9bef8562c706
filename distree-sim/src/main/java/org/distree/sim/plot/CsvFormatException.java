package org.distree.sim.plot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CSV file that cannot be plotted: not a CSV of {@code distree simulate}, a missing column, a
 * field that is not a number. The message reads {@code FILE:LINE: reason}, or {@code FILE:
 * reason} when no one line is at fault; the fields carry the parts.
 */
public final class CsvFormatException extends IOException {
    private final Path file;
    private final long line;
    private final String reason;

    /**
     * @param file the CSV file
     * @param line the 1-based line at fault (the header is line 1), or 0 for the whole file
     * @param reason what is wrong, for a person
     */
    public CsvFormatException(Path file, long line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line at fault (the header is line 1), or 0 for the whole file. */
    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
