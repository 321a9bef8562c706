package org.distree.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.Map;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.Text;
import org.distree.store.RecordFiles;
import org.jspecify.annotations.Nullable;

/**
 * One capture of a web archive, as a line of a CDXJ index holds it: the SURT of its URL, its
 * 14-digit timestamp, and the JSON block (url, mime, status, digest, length, offset, filename,
 * in the order the indexer wrote them).
 *
 * <p>As an entry (docs/ARCHIVE.md): the key is {@link CaptureKey#of}; the link is the replay
 * template filled in, with a fragment that tells the capture's record from any other ({@link
 * #link}); the title is the whole SURT when the key is cut, else empty; the comment is
 * the JSON block as written; {@code data-digest} is the payload digest ({@code sha1:} and base
 * 32, as in the WARC record).
 *
 * @param surt the SURT (printable ASCII, no space)
 * @param timestamp 14 digits, UTC
 * @param json the JSON block, exactly as it is written in the CDXJ line
 * @param url the captured URL (the JSON block's {@code url})
 * @param digest the payload digest with its algorithm ({@code sha1:…}), or null
 */
public record Capture(
        String surt,
        String timestamp,
        String json,
        String url,
        @Nullable String digest) {
    /**
     * The JSON reader and writer of CDXJ blocks, made on first use: {@code index-warc} writes
     * its blocks by hand and never loads Jackson (about 50 ms of class loading in a run of
     * about one second on 14 MB of WARC).
     */
    static ObjectMapper mapper() {
        return Mapper.JSON;
    }

    private static final class Mapper {
        static final ObjectMapper JSON =
                new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * @throws IllegalArgumentException for a bad SURT or timestamp, or a JSON block that an
     *     entry's comment would not keep as it is (blanks other than single spaces)
     */
    public Capture {
        CaptureKey.requireSurt(surt);
        CaptureKey.requireTimestamp(timestamp);
        if (!Text.normalize(json).equals(json)) {
            throw new IllegalArgumentException(
                    "the JSON block holds blanks that an entry's comment would not keep");
        }
    }

    /** The entry's key. */
    public String key() {
        return CaptureKey.of(surt, timestamp);
    }

    /** The CDXJ line: SURT, space, timestamp, space, JSON block. */
    public String line() {
        return surt + " " + timestamp + " " + json;
    }

    /**
     * The capture's link: the replay template filled in, then {@code #} and a <em>record tag</em>,
     * the first 8 hex digits of the SHA-256 of the JSON block (which names the record's file and
     * offset). Two captures of one URL in one second (from two WARC records) have one key and
     * would have one replay link, and a tree holds one entry per key and link; the tag keeps
     * them two entries. A browser and the crawler's fetcher do not send a fragment, so the link
     * still replays (and {@code search --verify} still fetches) the capture. When the filled-in
     * template already has a fragment (a URL recorded with one), the tag follows it after
     * {@code ~}.
     */
    public String link(ReplayTemplate replay) {
        String link = replay.link(timestamp, url);
        return link + (link.indexOf('#') < 0 ? "#" : "~") + tag();
    }

    /** The record tag: the first 8 hex digits of the SHA-256 of the JSON block. */
    String tag() {
        return CaptureKey.hash(json);
    }

    /**
     * The capture's entry: the entry itself when it is within a leaf's limits (link 2,048 bytes,
     * title 512, comment 1,024), else a <em>long capture</em>: a record entry with the same key
     * that links {@link #recordFile()} (as {@code ../p/NAME.html}), whose file {@link #record}
     * holds the entry's link, title, comment and digest (docs/ARCHIVE.md, <em>Long captures</em>).
     *
     * @throws IllegalArgumentException when a part is over a page record's limit ({@value
     *     Entry#MAX_RECORD_FIELD_BYTES} bytes): the message names it
     */
    public Entry toEntry(ReplayTemplate replay) {
        Entry.Target t = target(replay);
        if (Entry.isLeafSized(t)) {
            return new Entry(key(), t);
        }
        return Entry.record(key(), RecordFiles.link(recordName()), recordName());
    }

    /**
     * A capture as it goes into a tree: its entry ({@link #toEntry}) and, for a long capture, its
     * page record's file in the tree's folder and bytes ({@link #recordFile()}, {@link #record}).
     */
    public static final class Indexed {
        private final Entry entry;
        private final @Nullable String recordFile;
        private final byte @Nullable [] record;

        Indexed(Entry entry, @Nullable String recordFile, byte @Nullable [] record) {
            this.entry = entry;
            this.recordFile = recordFile;
            this.record = record;
        }

        /** The capture's entry: a record entry for a long capture. */
        public Entry entry() {
            return entry;
        }

        /** Where the page record goes ({@code p/NAME.html}); null unless a long capture. */
        public @Nullable String recordFile() {
            return recordFile;
        }

        /** The page record's bytes (not copied); null unless a long capture. */
        @SuppressWarnings("mutable") // handed to a writer once; a copy would cost for nothing
        public byte @Nullable [] record() {
            return record;
        }
    }

    /**
     * The capture's entry and, for a long capture, its page record.
     *
     * @throws IllegalArgumentException as {@link #toEntry}
     */
    public Indexed indexed(ReplayTemplate replay) {
        Entry e = toEntry(replay);
        return e.isRecord()
                ? new Indexed(e, recordFile(), record(replay))
                : new Indexed(e, null, null);
    }

    /**
     * The page record of a long capture, to be written at {@link #recordFile()} in the tree's
     * folder: its link, title, comment and digest as a capture's entry holds them.
     *
     * @throws IllegalArgumentException as {@link #toEntry}
     */
    public byte[] record(ReplayTemplate replay) {
        return RecordFile.write(target(replay));
    }

    /** Where a long capture's page record goes in the tree's folder: {@code p/NAME.html}. */
    public String recordFile() {
        return RecordFiles.file(recordName());
    }

    /**
     * The name of a long capture's page record: 12 base-36 digits of the SHA-256 of its CDXJ
     * line (its first 62 bits), so a capture gets the same name whichever command indexes it,
     * and two captures one only when their lines are the same.
     */
    String recordName() {
        byte[] d = CaptureKey.sha256(line());
        long bits = ByteBuffer.wrap(d).getLong() >>> 2;
        String n = Long.toString(bits, 36);
        return "0".repeat(12 - n.length()) + n;
    }

    private Entry.Target target(ReplayTemplate replay) {
        return new Entry.Target(
                link(replay), CaptureKey.isCut(surt) ? surt : "", json, digest, Map.of());
    }

    /**
     * The capture an entry of a capture index holds, or null when the entry is not one (its key
     * does not end in a space and 14 digits, or its comment is not a JSON object with a url).
     */
    public static @Nullable Capture fromEntry(Entry e) {
        String surt = surtOf(e);
        if (surt == null) {
            return null;
        }
        String key = e.key();
        String ts = key.substring(key.length() - 14);
        try {
            JsonNode node = mapper().readTree(e.comment());
            JsonNode url = node == null ? null : node.get("url");
            if (url == null || !url.isTextual()) {
                return null;
            }
            return new Capture(surt, ts, e.comment(), url.asText(), e.digest());
        } catch (JsonProcessingException | IllegalArgumentException ex) {
            return null;
        }
    }

    /**
     * The SURT of a capture entry, from its title when its key is cut, else from its key; null
     * when the key does not end in a space and 14 digits.
     */
    static @Nullable String surtOf(Entry e) {
        String key = e.key();
        int n = key.length();
        if (n < 16 || key.charAt(n - 15) != ' ') {
            return null;
        }
        for (int i = n - 14; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return e.title().isEmpty() ? key.substring(0, n - 15) : e.title();
    }

    /**
     * The digest attribute for a CDXJ digest: {@code sha1:} before a bare base-32 SHA-1 (32
     * characters, as warcio and pywb write it), a digest that names its algorithm as it is, and
     * null for anything else.
     */
    static @Nullable String digestAttribute(@Nullable String cdxDigest) {
        if (cdxDigest == null || cdxDigest.isEmpty()) {
            return null;
        }
        if (cdxDigest.indexOf(':') > 0) {
            return cdxDigest;
        }
        if (cdxDigest.length() == 32
                && cdxDigest
                        .chars()
                        .allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
            return "sha1:" + cdxDigest;
        }
        return null;
    }
}
