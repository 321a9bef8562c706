package org.distree.model;

/**
 * RFC 4648 base 32, the form of a WARC payload digest ({@code sha1:} and 32 characters) in an
 * entry's {@code data-digest}: the one encoder of the project, for the digests {@code search
 * --verify} computes and those {@code index-warc} computes for ARC records.
 */
public final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {}

    /** The bytes in base 32: upper case, no padding (a SHA-1 of 20 bytes is 32 characters). */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
