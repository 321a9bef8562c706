package org.distree.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.distree.model.Keys;

/**
 * The key rule of a capture index (docs/ARCHIVE.md): the key of a capture is its SURT, a space
 * and its 14-digit timestamp, so that a URL's captures sit together in time order and the
 * captures under a host or a path form a key range.
 *
 * <p>A key is at most {@value Keys#MAX_KEY_BYTES} bytes; the space and the timestamp take 15, so
 * a SURT of up to {@value #MAX_WHOLE_SURT_BYTES} bytes is kept whole. A longer one is <em>cut</em>:
 * its first {@value #HEAD_BYTES} bytes (the <em>head</em>; a SURT is printable ASCII), then
 * {@code #} and the first 8 hex digits of the SHA-256 of the whole SURT, then the space and the
 * timestamp; the whole SURT is the entry's title. So a cut key still starts with the SURT's
 * first 40 bytes (a prefix search of up to 40 bytes finds it; a longer one searches its first
 * 40 bytes and filters by the title), one URL's captures still share one key part and sort in
 * time, and the keys that share a head (cut or not) are one contiguous run of keys, which
 * readers sort by the whole SURT to give CDXJ order ({@link CdxjExport}).
 */
public final class CaptureKey {
    /** The longest SURT kept whole in a key: 64 - 15 = 49 bytes. */
    public static final int MAX_WHOLE_SURT_BYTES = Keys.MAX_KEY_BYTES - 15;

    /** The bytes of a long SURT that a cut key keeps: 40. */
    public static final int HEAD_BYTES = 40;

    private CaptureKey() {}

    /**
     * The key of a capture.
     *
     * @throws IllegalArgumentException when the SURT is empty or holds a space or a control
     *     character, or the timestamp is not 14 digits
     */
    public static String of(String surt, String timestamp) {
        requireTimestamp(timestamp);
        return keyPart(surt) + " " + timestamp;
    }

    /** True when a capture of this SURT has a cut key, and so its entry holds the SURT. */
    public static boolean isCut(String surt) {
        return surt.length() > MAX_WHOLE_SURT_BYTES;
    }

    /**
     * What every key of this SURT's captures starts with, before the space and the timestamp:
     * the SURT, or for a long one its head, {@code #} and 8 hex digits.
     */
    public static String keyPart(String surt) {
        requireSurt(surt);
        if (!isCut(surt)) {
            return surt;
        }
        return head(surt) + "#" + hash(surt);
    }

    /**
     * What every key of a capture whose SURT starts with {@code surtPrefix} starts with: the
     * prefix, cut to its first {@value #HEAD_BYTES} bytes.
     */
    public static String searchPrefix(String surtPrefix) {
        return head(surtPrefix);
    }

    /**
     * The run of keys that sort together with this key but may be out of CDXJ order among
     * themselves: its first {@value #HEAD_BYTES} bytes when its SURT part is that long, else
     * its SURT part and the space.
     */
    static String run(String key) {
        int space = key.indexOf(' ');
        String part = space < 0 ? key : key.substring(0, space);
        return part.length() >= HEAD_BYTES ? head(part) : part + " ";
    }

    /** The first {@value #HEAD_BYTES} characters (bytes: a SURT is ASCII) of {@code s}. */
    static String head(String s) {
        return s.length() <= HEAD_BYTES ? s : s.substring(0, HEAD_BYTES);
    }

    /** The first 8 hex digits of the SHA-256 of {@code s} (UTF-8). */
    static String hash(String s) {
        return HexFormat.of().formatHex(sha256(s), 0, 4);
    }

    /** A digest a thread: looking one up costs a provider search each time. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    });

    /** The SHA-256 of {@code s} (UTF-8). */
    static byte[] sha256(String s) {
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a SURT: not empty, printable ASCII without spaces (what {@link Surt#of} makes of an
     * http or https URL; pywb's SURTs are the same), so a key's bytes are its characters.
     */
    static void requireSurt(String surt) {
        if (surt.isEmpty()) {
            throw new IllegalArgumentException("the SURT is empty");
        }
        for (int i = 0; i < surt.length(); i++) {
            char c = surt.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("the SURT '" + Keys.abbreviate(surt, 60)
                        + "' holds "
                        + (c == ' '
                                ? "a space"
                                : String.format(
                                        java.util.Locale.ROOT, "the character U+%04X", (int) c))
                        + " at index " + i + "; a SURT is printable ASCII without spaces");
            }
        }
    }

    /** Checks a timestamp: 14 digits. */
    static void requireTimestamp(String timestamp) {
        if (timestamp.length() != 14 || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(
                    "the timestamp '" + Keys.abbreviate(timestamp, 20) + "' is not 14 digits");
        }
    }
}
