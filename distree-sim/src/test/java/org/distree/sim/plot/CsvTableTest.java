package org.distree.sim.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.distree.sim.Round;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path tmp;

    @Test
    void readsWhatTheSimulatorWritesByColumnName() throws Exception {
        Path file = Runs.stop(tmp.resolve("stop-30.csv"), 20, 6, 0.968, 0.961, 0.9993);
        CsvTable t = CsvTable.read(file);

        assertThat(t.file()).isEqualTo(file);
        assertThat(t.name()).isEqualTo("stop-30");
        assertThat(String.join(",", t.columns())).isEqualTo(Round.CSV_HEADER);
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.line(0)).isEqualTo(2);
        assertThat(t.has("min_recall")).isTrue();
        assertThat(t.has("max_recall")).isFalse();
        assertThat(t.numbers("round")).containsExactly(0, 1, 2, 3, 4);
        assertThat(t.numbers("running")).containsExactly(20, 20, 14, 14, 14);
        assertThat(t.numbers("min_recall")).containsExactly(0.2, 1, 0.85, 0.9, 0.9993);
        double[] before = t.numbersOrEmpty("before_repair_min_recall");
        assertThat(before[2]).isEqualTo(0.968);
        assertThat(before[0]).isNaN();
        assertThat(before[4]).isNaN();
    }

    @Test
    void anEmptyFieldIsANumberOnlyWhereAllowed() throws Exception {
        CsvTable t = CsvTable.read(Runs.recalls(tmp.resolve("run.csv"), 5, 0.5, 1));
        assertThatThrownBy(() -> t.numbers("before_repair_min_recall"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(tmp.resolve("run.csv") + ":2: before_repair_min_recall is empty")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(2));
    }

    @Test
    void blankLinesAndCarriageReturnsAreSkippedAndLinesStillCounted() throws Exception {
        Path file = tmp.resolve("s.csv");
        Files.writeString(
                file, "\r\na,b,name\r\n1,2.5,x\r\n\r\n-3,4e2,y\r\n", StandardCharsets.UTF_8);
        CsvTable t = CsvTable.read(file);
        assertThat(t.columns()).containsExactly("a", "b", "name");
        assertThat(t.numbers("a")).containsExactly(1, -3);
        assertThat(t.numbers("b")).containsExactly(2.5, 400);
        assertThat(t.texts("name")).containsExactly("x", "y");
        assertThat(t.line(1)).isEqualTo(5);
        assertThatThrownBy(() -> t.numbers("name"))
                .hasMessage(file + ":3: name is \"x\", not a number");
        assertThatThrownBy(() -> t.texts("nope"))
                .hasMessage(file + ":2: no column nope (the header names a,b,name)");
    }

    @Test
    void refusesWhatIsNotASimulatorCsvNamingTheFileAndLine() throws Exception {
        assertThat(refusal("", "x")).isEqualTo("empty: no header line");
        assertThat(refusal("round,min_recall\n", "x")).isEqualTo("a header line and no rows");
        assertThat(refusal("round,min_recall\n0,0.5\n1\n", "x"))
                .isEqualTo("3: 1 fields, but the header names 2 columns");
        assertThat(refusal("round,,x\n0,1,2\n", "x"))
                .isEqualTo("1: a column without a name in the header");
        assertThat(refusal("round,round\n0,1\n", "x")).isEqualTo("1: column round named twice");
        assertThat(refusal("round\nNaN\n", "round")).isEqualTo("2: round is \"NaN\", not a number");
        assertThat(refusal("round\nInfinity\n", "round"))
                .isEqualTo("2: round is \"Infinity\", not a number");
        assertThat(refusal("round\n+1\n", "round")).isEqualTo("2: round is \"+1\", not a number");
        Path latin = tmp.resolve("latin.csv");
        Files.write(latin, new byte[] {'a', '\n', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> CsvTable.read(latin))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(latin + ": not UTF-8 text");
        assertThatThrownBy(() -> CsvTable.read(tmp.resolve("missing.csv")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void refusesAFileOverTheLimitBeforeReadingIt() throws Exception {
        Path big = tmp.resolve("big.csv");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(CsvTable.MAX_BYTES + 1); // sparse: nothing is written
        }
        assertThatThrownBy(() -> CsvTable.read(big))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(big + ": 67,108,865 bytes, over the 67,108,864 byte limit of a CSV to"
                        + " plot");
    }

    @Test
    void aFileWithoutAnExtensionIsNamedWhole() throws Exception {
        Path file = Files.writeString(tmp.resolve("run"), "round\n0\n", StandardCharsets.UTF_8);
        assertThat(CsvTable.read(file).name()).isEqualTo("run");
        Path hidden = Files.writeString(tmp.resolve(".run"), "round\n0\n", StandardCharsets.UTF_8);
        assertThat(CsvTable.read(hidden).name()).isEqualTo(".run");
    }

    /** What reading {@code text} and then its {@code column} says, after the file's name. */
    private String refusal(String text, String column) throws Exception {
        Path file = tmp.resolve("bad.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try {
            CsvTable.read(file).numbers(column);
        } catch (CsvFormatException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage())
                    .isEqualTo(file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.reason());
            return e.getMessage().substring(file.toString().length() + 1).strip();
        }
        throw new AssertionError("read " + text);
    }
}
