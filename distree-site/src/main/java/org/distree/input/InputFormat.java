package org.distree.input;

import java.util.Locale;

/** The formats {@code distree build} and {@code distree add --in} read. */
public enum InputFormat {
    /** Tab-separated: key, link, then optional title, comment and digest; # starts a comment. */
    TSV,
    /** Comma-separated (RFC 4180) with a header row naming the columns. */
    CSV,
    /** JSON Lines: one object per line with key, link and optional title, comment, digest. */
    JSONL;

    /** The format a file name implies: {@code .csv}, {@code .jsonl}/{@code .ndjson}, else TSV. */
    public static InputFormat forName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        return TSV;
    }
}
