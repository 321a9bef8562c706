package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.distree.model.Entry;
import org.distree.model.NodeFile;

/**
 * Fuzz tests of the node reader and the page record reader, the parsers of node files fetched
 * from other machines (docs/RELIABILITY.md, "Fuzzing"). Without {@code JAZZER_FUZZ} they run the
 * inputs kept under {@code NodeReaderFuzzTestInputs/} as regression tests.
 *
 * <p>What must hold for any bytes:
 *
 * <ul>
 *   <li>the reader returns a file or refuses it with a {@link NodeFormatException} (a {@link
 *       RootPointerException} is one) whose message starts with the file's name; no other
 *       exception, in bounded time (Jazzer's per-input timeout) and memory;
 *   <li>what it returns is written back by {@link NodeWriter} (or {@link RecordFile#write}) and
 *       read again to an equal value.
 * </ul>
 */
class NodeReaderFuzzTest {
    private static final String NAME = "fuzz/1a.html";

    @DictionaryEntries({
        "<distree ",
        "</distree>",
        "version=\"1\"",
        "version=\"2\"",
        "height=\"0\"",
        "height=\"1\"",
        " id=",
        " low=",
        " high=",
        "-link=",
        "size=\"1\"",
        "updated=\"2026-11-22T10:00:00Z\"",
        " analyzer=",
        "<ol>",
        "</ol>",
        "<li data-key=\"",
        "</li>",
        " data-records",
        " data-score=\"",
        " data-scores=\"",
        " data-digest=\"",
        "<a href=\"",
        "</a>",
        " data-low=\"",
        " data-high=\"",
        " data-height=\"0\"",
        " data-size=\"",
        " data-checked=\"",
        " data-status=\"ok\"",
        " data-partial=\"true\"",
        "rel=distree-root",
        "&amp;",
        "<!--",
        "<p>",
        "<table>"
    })
    @FuzzTest(maxDuration = "10m")
    void nodeFileReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws NodeFormatException {
        NodeFile file;
        try {
            file = NodeReader.read(bytes, NAME);
        } catch (NodeFormatException e) {
            assertThat(e.file()).isEqualTo(NAME);
            assertThat(e.getMessage()).startsWith(NAME).doesNotContain("\n");
            return;
        }
        // A NodeFormatException here is a finding: the writer wrote what the reader refuses.
        NodeFile again = NodeReader.read(NodeWriter.write(file), NAME);
        assertThat(again).isEqualTo(file);
    }

    @DictionaryEntries({
        "<distree-record",
        "</distree-record>",
        " data-digest=\"",
        "<a href=\"",
        "</a>"
    })
    @FuzzTest(maxDuration = "10m")
    void recordFileReadsOrIsRefusedAndRoundTrips(byte[] bytes) throws NodeFormatException {
        Entry.Target target;
        try {
            target = RecordFile.read(bytes, NAME);
        } catch (NodeFormatException e) {
            assertThat(e.file()).isEqualTo(NAME);
            return;
        }
        assertThat(RecordFile.read(RecordFile.write(target), NAME)).isEqualTo(target);
    }
}
