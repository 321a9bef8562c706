package org.distree.archive;

/**
 * A bad record in an archive input: a WARC record (named by its byte offset in the file) or a
 * CDXJ line (named by its number). The message is one line: {@code FILE: WHERE: REASON}.
 */
public final class ArchiveException extends Exception {
    private final String file;
    private final String where;
    private final String reason;

    /**
     * @param file the input's name
     * @param where which record: {@code record at offset 1,234} or {@code line 12}
     * @param reason what is wrong with it
     */
    public ArchiveException(String file, String where, String reason) {
        super(file + ": " + where + ": " + reason);
        this.file = file;
        this.where = where;
        this.reason = reason;
    }

    /** The input's name. */
    public String file() {
        return file;
    }

    /** Which record or line. */
    public String where() {
        return where;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}
