package org.distree.sim.plot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CSV file as {@code distree simulate} writes them ({@code --csv}, one line a round; {@code
 * --storage-csv}, one line a machine), read whole: a header line naming the columns, then rows
 * with as many fields, comma-separated, no quoting. Columns are found by name, so a file written
 * before a column was added still plots what does not need it. Blank lines are skipped, and a
 * line may end with CR LF.
 *
 * <p>Limits: a file of at most {@link #MAX_BYTES} bytes of UTF-8 and at least one row. A bad file
 * gets a {@link CsvFormatException} naming the file and, where one line is at fault, the line.
 */
public final class CsvTable {
    /** The largest file read: 64 MiB (a run of 10,000 rounds writes about 1.5 MB). */
    public static final long MAX_BYTES = 64L << 20;

    /** A number as the simulator writes one: no sign but minus, no NaN, no infinity. */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private final Path file;
    private final List<String> columns;
    /** The 1-based line of the header in the file. */
    private final int headerLine;

    private final List<String[]> rows;
    /** The 1-based line of each row in the file. */
    private final List<Integer> lines;

    private CsvTable(
            Path file,
            List<String> columns,
            int headerLine,
            List<String[]> rows,
            List<Integer> lines) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.headerLine = headerLine;
        this.rows = rows;
        this.lines = List.copyOf(lines);
    }

    /**
     * Reads a CSV file.
     *
     * @throws CsvFormatException when it is over {@link #MAX_BYTES}, not UTF-8, has no header or
     *     no rows, repeats or leaves out a column name, or has a row whose fields are not as many
     *     as the header's
     * @throws IOException when it cannot be read ({@link java.nio.file.NoSuchFileException} when
     *     it is not there)
     */
    public static CsvTable read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new CsvFormatException(
                    file,
                    0,
                    String.format(
                            Locale.ROOT,
                            "%,d bytes, over the %,d byte limit of a CSV to plot",
                            size,
                            MAX_BYTES));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(file, 0, "not UTF-8 text");
        }
        List<String> columns = null;
        int headerLine = 0;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i].endsWith("\r") ? all[i].substring(0, all[i].length() - 1) : all[i];
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (columns == null) {
                columns = header(file, i + 1, fields);
                headerLine = i + 1;
            } else if (fields.length != columns.size()) {
                throw new CsvFormatException(
                        file,
                        i + 1,
                        fields.length + " fields, but the header names " + columns.size()
                                + " columns");
            } else {
                rows.add(fields);
                lines.add(i + 1);
            }
        }
        if (columns == null) {
            throw new CsvFormatException(file, 0, "empty: no header line");
        }
        if (rows.isEmpty()) {
            throw new CsvFormatException(file, 0, "a header line and no rows");
        }
        return new CsvTable(file, columns, headerLine, rows, lines);
    }

    private static List<String> header(Path file, int line, String[] fields)
            throws CsvFormatException {
        Set<String> seen = new HashSet<>();
        for (String f : fields) {
            if (f.isBlank()) {
                throw new CsvFormatException(file, line, "a column without a name in the header");
            }
            if (!seen.add(f)) {
                throw new CsvFormatException(file, line, "column " + f + " named twice");
            }
        }
        return List.of(fields);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /**
     * The file's name without its extension ({@code sim-20} for {@code runs/sim-20.csv}): what a
     * chart calls it when no label is given.
     */
    public String name() {
        Path leaf = file.getFileName();
        String n = leaf == null ? file.toString() : leaf.toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The column names, in the header's order. */
    public List<String> columns() {
        return columns;
    }

    /** The rows, 1 or more. */
    public int size() {
        return rows.size();
    }

    /** The 1-based line in the file of row {@code row} (from 0). */
    public int line(int row) {
        return lines.get(row);
    }

    /** Whether the header names {@code column}. */
    public boolean has(String column) {
        return columns.contains(column);
    }

    /**
     * Every row's number in {@code column}.
     *
     * @throws CsvFormatException naming the column when the header does not, or naming the line
     *     when a field is empty or not a number
     */
    public double[] numbers(String column) throws CsvFormatException {
        return numbers(column, false);
    }

    /**
     * Every row's number in {@code column}, {@code NaN} where the field is empty (as in the
     * columns of a simulation that are filled only in some rounds).
     *
     * @throws CsvFormatException naming the column when the header does not, or naming the line
     *     when a field is not empty and not a number
     */
    public double[] numbersOrEmpty(String column) throws CsvFormatException {
        return numbers(column, true);
    }

    private double[] numbers(String column, boolean emptyIsNaN) throws CsvFormatException {
        int c = index(column);
        double[] out = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String f = rows.get(r)[c];
            if (f.isEmpty() && emptyIsNaN) {
                out[r] = Double.NaN;
            } else if (NUMBER.matcher(f).matches()) {
                out[r] = Double.parseDouble(f);
            } else {
                throw new CsvFormatException(
                        file,
                        lines.get(r),
                        f.isEmpty()
                                ? column + " is empty"
                                : column + " is \"" + shortened(f) + "\", not a number");
            }
        }
        return out;
    }

    /**
     * Every row's text in {@code column}.
     *
     * @throws CsvFormatException naming the column when the header does not
     */
    public List<String> texts(String column) throws CsvFormatException {
        int c = index(column);
        return rows.stream().map(r -> r[c]).toList();
    }

    private int index(String column) throws CsvFormatException {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new CsvFormatException(
                    file,
                    headerLine,
                    "no column " + column + " (the header names "
                            + shortened(String.join(",", columns)) + ")");
        }
        return c;
    }

    private static String shortened(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
