package org.distree.archive.internal;

/**
 * The header line of an ARC record, version 1 ({@code URL IP-address Archive-date Content-type
 * Archive-length}) or version 2 ({@code URL IP-address Archive-date Content-type Result-code
 * Checksum Location Offset Filename Archive-length}), split at its last four or nine spaces (a
 * URL may hold spaces).
 */
final class ArcHeaderLine {
    static final int URL = 0;
    static final int IP = 1;
    static final int DATE = 2;
    static final int CONTENT_TYPE = 3;
    static final int LENGTH = 4;
    static final int RESULT_CODE = 5;

    private static final String V1 = "URL IP-address Archive-date Content-type Archive-length";
    private static final String V2 = "URL IP-address Archive-date Content-type Result-code Checksum"
            + " Location Offset Filename Archive-length";

    private ArcHeaderLine() {}

    /**
     * The fields of a header line of an ARC file of {@code version} (1 or 2): URL, IP address,
     * date (as a WARC-Date, {@code YYYY-MM-DDThh:mm:ssZ}, of its first 14 digits), content type,
     * length, and of version 2 the result code (null in version 1); the other fields of version
     * 2 are not kept.
     *
     * @throws WarcFormatException when the line has too few fields, an empty one, a date that is
     *     not at least 14 digits, or a length that is not a number of up to 18 digits
     */
    static String[] fields(String line, int version) throws WarcFormatException {
        String s = line.strip();
        int n = version == 2 ? 10 : 5;
        String[] f = new String[n];
        int end = s.length();
        for (int k = n - 1; k > 0; k--) {
            int sp = s.lastIndexOf(' ', end - 1);
            if (sp <= 0 || sp == end - 1) {
                throw new WarcFormatException(
                        "the ARC header line is not '" + (n == 10 ? V2 : V1) + "': " + shorten(s));
            }
            f[k] = s.substring(sp + 1, end);
            end = sp;
        }
        f[0] = s.substring(0, end).strip();
        if (f[0].isEmpty()) {
            throw new WarcFormatException("the ARC header line has no URL: " + shorten(s));
        }
        String d = f[2];
        boolean digits = d.length() >= 14;
        for (int i = 0; i < d.length() && digits; i++) {
            digits = d.charAt(i) >= '0' && d.charAt(i) <= '9';
        }
        if (!digits) {
            throw new WarcFormatException(
                    "the ARC header line's date is not 14 digits: " + shorten(d));
        }
        String date = d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6, 8) + "T"
                + d.substring(8, 10) + ":" + d.substring(10, 12) + ":" + d.substring(12, 14)
                + "Z";
        String length = f[n - 1];
        length(length);
        return new String[] {f[0], f[1], date, f[3], length, n == 10 ? f[4] : null};
    }

    /**
     * The version a {@code filedesc://} header line's shape tells, before its block is read: 2
     * when it is ten fields (the URL of a filedesc record holds no space), else 1.
     */
    static int shapeOfFiledesc(String line) {
        return line.strip().split(" ", -1).length == 10 ? 2 : 1;
    }

    /** A length: up to 18 digits. */
    static long length(String s) throws WarcFormatException {
        if (s.isEmpty() || s.length() > 18) {
            throw new WarcFormatException(
                    "the record's length is not a number of up to 18 digits: " + shorten(s));
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new WarcFormatException(
                        "the record's length is not a number of up to 18 digits: " + shorten(s));
            }
            n = n * 10 + c - '0';
        }
        return n;
    }

    static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
