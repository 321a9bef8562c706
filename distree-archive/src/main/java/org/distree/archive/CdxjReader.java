package org.distree.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.distree.model.Entry;
import org.distree.store.BoundedLines;
import org.jspecify.annotations.Nullable;

/**
 * Reads a CDXJ index, as {@code warcio cdx-index} and pywb's indexer write it, one capture a
 * line: {@code SURT TIMESTAMP {JSON}}, the JSON block an object with at least a {@code url}.
 * Blank lines and lines that start with {@code !} (pywb's header and meta lines) are passed
 * over. A bad line (no timestamp, broken JSON, a SURT that is not printable ASCII, bytes that are
 * not UTF-8) raises an {@link ArchiveException} naming the file and line; with {@code skipBad} it
 * is counted and passed over instead. Lines are read one at a time, so an index of any size
 * streams; a line is at most {@value #MAX_LINE_CHARS} characters (a longer one is a bad line, read
 * to its end without being held in memory).
 */
public final class CdxjReader implements Closeable {
    /**
     * The longest line read: 32,784 characters, a SURT and a JSON block of up to {@value
     * Entry#MAX_RECORD_FIELD_BYTES} each (what a long capture's page record holds), the
     * timestamp and two spaces.
     */
    public static final int MAX_LINE_CHARS = 2 * Entry.MAX_RECORD_FIELD_BYTES + 16;

    private final BoundedLines lines;
    private final String name;
    private final boolean skipBad;
    private long line;
    private long skipped;

    /**
     * A reader over {@code in}, which it closes.
     *
     * @param name the input's name for messages
     */
    public CdxjReader(InputStream in, String name, boolean skipBad) {
        // Lines are kept up to the limit only: a longer one is read to its end, not held.
        this.lines = new BoundedLines(
                new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)),
                MAX_LINE_CHARS);
        this.name = name;
        this.skipBad = skipBad;
    }

    /** Lines passed over as bad (only with skipBad). */
    public long skipped() {
        return skipped;
    }

    /** The next capture, or null at the end. */
    public @Nullable Capture next() throws IOException, ArchiveException {
        while (true) {
            String l;
            try {
                l = lines.next();
            } catch (CharacterCodingException e) {
                // The decoder cannot resume inside a line: the rest of the input is unreadable.
                line++;
                throw bad("bytes are not UTF-8");
            }
            if (l == null) {
                return null;
            }
            line++;
            if (l.isBlank() || l.startsWith("!")) {
                continue;
            }
            try {
                if (lines.length() > MAX_LINE_CHARS) {
                    throw new IllegalArgumentException(tooLong(lines.length()));
                }
                return parse(l);
            } catch (IllegalArgumentException e) {
                if (!skipBad) {
                    throw bad(String.valueOf(e.getMessage()));
                }
                skipped++;
            }
        }
    }

    /**
     * The next capture as an entry linking {@code replay} ({@link Capture#indexed}: a long
     * capture's entry is a record entry, with its page record), or null at the end. A capture
     * over a page record's limits ({@value Entry#MAX_RECORD_FIELD_BYTES} bytes for the link, the
     * SURT and the JSON block) is a bad line.
     */
    public Capture.@Nullable Indexed nextIndexed(ReplayTemplate replay)
            throws IOException, ArchiveException {
        while (true) {
            Capture c = next();
            if (c == null) {
                return null;
            }
            try {
                return c.indexed(replay);
            } catch (IllegalArgumentException e) {
                if (!skipBad) {
                    throw bad(String.valueOf(e.getMessage()));
                }
                skipped++;
            }
        }
    }

    private ArchiveException bad(String reason) {
        return new ArchiveException(name, String.format(Locale.ROOT, "line %,d", line), reason);
    }

    /**
     * Refuses a CDXJ line over {@link #MAX_LINE_CHARS} (what {@code index-warc} makes must read
     * back here).
     *
     * @throws IllegalArgumentException naming the line's length and the limit
     */
    static void requireLength(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new IllegalArgumentException(tooLong(line.length()));
        }
    }

    private static String tooLong(long length) {
        return String.format(
                Locale.ROOT,
                "the CDXJ line is %,d characters, over the %,d limit",
                length,
                MAX_LINE_CHARS);
    }

    /**
     * One CDXJ line as a capture.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Capture parse(String l) {
        requireLength(l);
        int s1 = l.indexOf(' ');
        int s2 = s1 < 0 ? -1 : l.indexOf(' ', s1 + 1);
        if (s1 <= 0 || s2 < 0) {
            throw new IllegalArgumentException(
                    "not a CDXJ line: it needs a SURT, a timestamp and a JSON block,"
                            + " separated by spaces");
        }
        String surt = l.substring(0, s1);
        String ts = l.substring(s1 + 1, s2);
        String json = l.substring(s2 + 1);
        JsonNode node;
        try {
            node = Capture.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the JSON block is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the JSON block is not a JSON object");
        }
        JsonNode url = node.get("url");
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw new IllegalArgumentException("the JSON block has no \"url\"");
        }
        JsonNode digest = node.get("digest");
        return new Capture(
                surt,
                ts,
                json,
                url.asText(),
                Capture.digestAttribute(
                        digest != null && digest.isTextual() ? digest.asText() : null));
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
