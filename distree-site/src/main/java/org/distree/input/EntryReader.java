package org.distree.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.store.BoundedLines;
import org.jspecify.annotations.Nullable;

/**
 * Reads entries from TSV, CSV or JSON Lines, one at a time, so inputs of any size stream.
 *
 * <p>Each record gives a key and a link, and optionally a title, a comment, a digest and a score
 * (how well the link answers the key: a whole number from 0, none, to {@link Entry#MAX_SCORE},
 * higher is better; searches rank by it, FORMAT.md <em>Scores</em>). In TSV the fields are in
 * that order, by position; in CSV and JSON Lines by name ({@code key}, {@code link}, {@code
 * title}, {@code comment}, {@code digest}, {@code score}; in JSON the score is a number). A record
 * that is not valid (a missing field, a key over the limit, bytes that are not UTF-8) raises an
 * {@link InputException} naming the file and line; with {@code skipBad} it is counted and
 * skipped instead, but for bytes that are not UTF-8, which end the input with an {@link
 * InputException} either way (the decoder cannot resume after them). An empty input holds no
 * entries, in every format.
 */
public final class EntryReader implements Closeable {
    /** The fields of a record, in TSV order: key, link, title, comment, digest, score. */
    private static final int FIELDS = 6;

    /**
     * The longest TSV or JSON Lines line read: 1,048,576 characters (an entry's fields take at
     * most some 4 KB, and 24 KB written with JSON escapes); a longer line is a bad record, read
     * to its end without being held.
     */
    public static final int MAX_LINE_CHARS = 1 << 20;
    /** Made on first use: Jackson costs about 0.15 s to load, and TSV does not need it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final String name;
    private final InputFormat format;
    private final boolean skipBad;
    /** The input, for CSV (Jackson's reader takes it whole). */
    private final BufferedReader lines;
    /** The input's lines, for TSV and JSON Lines. */
    private final BoundedLines bounded;

    private @Nullable MappingIterator<Map<String, String>> csv;
    /** True once the CSV input cannot be read further (no header, or no progress past an error). */
    private boolean csvEnded;
    /** Where the CSV parser stood at the last error, in characters; -1 before any. */
    private long lastCsvError = -1;

    private long line;
    private long skipped;

    /**
     * A reader over {@code in}, which it closes.
     *
     * @param name the input's name for messages
     */
    public EntryReader(InputStream in, String name, InputFormat format, boolean skipBad) {
        this.name = name;
        this.format = format;
        this.skipBad = skipBad;
        Reader reader = new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
        this.lines = new BufferedReader(reader, 1 << 16);
        this.bounded = new BoundedLines(lines, MAX_LINE_CHARS);
    }

    /** Records skipped as bad (only with skipBad). */
    public long skipped() {
        return skipped;
    }

    /** The next entry, or null at the end. */
    public @Nullable Entry next() throws IOException, InputException {
        while (true) {
            try {
                Entry e = switch (format) {
                    case TSV -> nextTsv();
                    case JSONL -> nextJson();
                    case CSV -> nextCsv();
                };
                return e;
            } catch (InputException e) {
                if (!skipBad) {
                    throw e;
                }
                skipped++;
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new InputException(name, line + 1, "bytes are not UTF-8");
            }
        }
    }

    private @Nullable Entry nextTsv() throws IOException, InputException {
        String l;
        while ((l = nextLine()) != null) {
            if (l.isEmpty() || l.charAt(0) == '#') {
                continue;
            }
            String[] f = new String[FIELDS];
            int n = 0;
            int start = 0;
            while (n < FIELDS) {
                int tab = l.indexOf('\t', start);
                if (tab < 0) {
                    f[n++] = l.substring(start);
                    break;
                }
                f[n++] = l.substring(start, tab);
                start = tab + 1;
                if (n == FIELDS) {
                    throw new InputException(
                            name,
                            line,
                            "more than " + FIELDS + " tab-separated fields"
                                    + " (key, link, title, comment, digest, score)");
                }
            }
            if (n < 2) {
                throw new InputException(
                        name, line, "needs at least a key and a link," + " separated by a tab");
            }
            return entry(f[0], f[1], f[2], f[3], f[4], f[5]);
        }
        return null;
    }

    private @Nullable Entry nextJson() throws IOException, InputException {
        String l;
        while ((l = nextLine()) != null) {
            if (l.isBlank()) {
                continue;
            }
            JsonNode node;
            try (JsonParser p = Json.MAPPER.createParser(l)) {
                node = Json.MAPPER.readTree(p);
                if (p.nextToken() != null && p.currentToken() != JsonToken.NOT_AVAILABLE) {
                    throw new InputException(name, line, "more than one JSON value on the line");
                }
            } catch (JsonProcessingException e) {
                throw new InputException(name, line, "not valid JSON: " + reason(e));
            }
            if (node == null || !node.isObject()) {
                throw new InputException(name, line, "not a JSON object");
            }
            return entry(
                    text(node, "key"),
                    text(node, "link"),
                    text(node, "title"),
                    text(node, "comment"),
                    text(node, "digest"),
                    number(node, "score"));
        }
        return null;
    }

    /**
     * The next line of a TSV or JSON Lines input, or null at the end.
     *
     * @throws InputException when it is over {@link #MAX_LINE_CHARS} (read to its end, not held)
     */
    private @Nullable String nextLine() throws IOException, InputException {
        String l = bounded.next();
        if (l != null) {
            line++;
            if (bounded.length() > MAX_LINE_CHARS) {
                throw new InputException(
                        name,
                        line,
                        String.format(
                                java.util.Locale.ROOT,
                                "the line is %,d characters, over the %,d limit",
                                bounded.length(),
                                MAX_LINE_CHARS));
            }
        }
        return l;
    }

    private @Nullable String text(JsonNode node, String field) throws InputException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InputException(name, line, "field '" + field + "' is not a string");
        }
        return v.asText();
    }

    /** A whole number field as its digits, or null when absent. */
    private @Nullable String number(JsonNode node, String field) throws InputException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new InputException(name, line, "field '" + field + "' is not a whole number");
        }
        return v.asText();
    }

    private @Nullable Entry nextCsv() throws IOException, InputException {
        if (csvEnded) {
            return null;
        }
        if (csv == null) {
            // An empty input holds no entries, as in TSV and JSON Lines (found by
            // EntryReaderFuzzTest: the CSV reader refused it with an IOException, "Empty header
            // line").
            lines.mark(1);
            if (lines.read() < 0) {
                return null;
            }
            lines.reset();
            CsvMapper mapper = new CsvMapper();
            line = 1;
            try {
                csv = mapper.readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(lines);
            } catch (JsonProcessingException e) {
                // Without a header no record can be read: with skipBad the input ends here
                // (found by fuzzing: the next read failed with "Stream closed").
                csvEnded = true;
                throw new InputException(name, line, "not valid CSV: " + reason(e));
            }
        }
        try {
            if (!csv.hasNextValue()) {
                return null;
            }
            line++;
            Map<String, String> row = csv.nextValue();
            return entry(
                    row.get("key"),
                    row.get("link"),
                    row.get("title"),
                    row.get("comment"),
                    row.get("digest"),
                    row.get("score"));
        } catch (RuntimeException | JsonProcessingException e) {
            // A CSV error that leaves the parser where the last one did cannot be read past:
            // with skipBad the input ends there rather than refusing the same place forever.
            long at = csv.getParser().currentLocation().getCharOffset();
            if (at == lastCsvError) {
                csvEnded = true;
            }
            lastCsvError = at;
            throw new InputException(name, line, "not valid CSV: " + reason(e));
        }
    }

    /**
     * Why Jackson refused a record, on one line: its message without the location it adds on a
     * line of its own (the input's line is given), control characters escaped (found by
     * fuzzing: a message of several lines).
     */
    private static String reason(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return Keys.abbreviate(String.valueOf(m), 300);
    }

    private Entry entry(
            @Nullable String key,
            @Nullable String link,
            @Nullable String title,
            @Nullable String comment,
            @Nullable String digest,
            @Nullable String score)
            throws InputException {
        if (key == null || key.isEmpty()) {
            throw new InputException(name, line, "the key is missing");
        }
        if (link == null || link.isBlank()) {
            throw new InputException(name, line, "the link is missing");
        }
        int s = score(score);
        try {
            return new Entry(
                    key,
                    Entry.requireLeafSized(new Entry.Target(
                            link,
                            title == null ? "" : title,
                            comment == null ? "" : comment,
                            digest,
                            Map.of(),
                            false,
                            s)));
        } catch (IllegalArgumentException e) {
            throw new InputException(name, line, String.valueOf(e.getMessage()));
        }
    }

    /** A score field: empty or absent for none (0), else digits up to {@link Entry#MAX_SCORE}. */
    private int score(@Nullable String field) throws InputException {
        if (field == null || field.isEmpty()) {
            return 0;
        }
        boolean digits = field.length() <= 7;
        for (int i = 0; digits && i < field.length(); i++) {
            digits = field.charAt(i) >= '0' && field.charAt(i) <= '9';
        }
        if (!digits || Integer.parseInt(field) > Entry.MAX_SCORE) {
            throw new InputException(
                    name,
                    line,
                    "the score '" + Keys.abbreviate(field, 40) + "' is not a whole number from 0"
                            + " to " + Entry.MAX_SCORE);
        }
        return Integer.parseInt(field);
    }

    /** Every remaining entry, for small inputs and tests. */
    public Iterator<Entry> remaining() {
        return new Iterator<>() {
            private @Nullable Entry next = advance();

            private @Nullable Entry advance() {
                try {
                    return EntryReader.this.next();
                } catch (IOException | InputException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                Entry e = next;
                if (e == null) {
                    throw new java.util.NoSuchElementException();
                }
                next = advance();
                return e;
            }
        };
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
