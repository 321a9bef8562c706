package org.distree.input;

/** A bad record in an input file: the message names the file and line. */
public final class InputException extends Exception {
    private final String file;
    private final long line;

    public InputException(String file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The input's name. */
    public String file() {
        return file;
    }

    /** The 1-based line (for CSV, the record number plus one for the header). */
    public long line() {
        return line;
    }
}
