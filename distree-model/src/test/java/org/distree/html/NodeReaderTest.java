package org.distree.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.distree.model.Entry;
import org.distree.model.ModelArbitraries;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.junit.jupiter.api.Test;

class NodeReaderTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static NodeFile roundTrip(NodeFile file) throws NodeFormatException {
        return NodeReader.read(NodeWriter.write(file), "n/1.html");
    }

    private static Node leaf(Entry... entries) {
        return Node.leaf(Range.ALL, List.of(entries), T);
    }

    @Test
    void readsBackAnUntitledEntryWhoseLinkIsLongerThanATitleMayBe() throws Exception {
        Node leaf = leaf(Entry.of("k", "https://example.org/" + "a".repeat(900), "", ""));

        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
    }

    @Test
    void readsBackAnUntitledEntryWhoseLinkHasRunsOfSpaces() throws Exception {
        Node leaf = leaf(Entry.of("k", "https://example.org/a  b\u00a0c", "", ""));

        assertThat(roundTrip(NodeFile.of(leaf)).node()).isEqualTo(leaf);
    }

    @Property(tries = 300)
    void readingWhatWasWrittenGivesTheSameNode(@ForAll("nodes") Node node) throws Exception {
        assertThat(roundTrip(NodeFile.of(node)).node()).isEqualTo(node);
    }

    @Property(tries = 300)
    void byteSizeIsTheWrittenLength(@ForAll("nodes") Node node) {
        assertThat(NodeWriter.byteSize(node)).isEqualTo(NodeWriter.write(NodeFile.of(node)).length);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Node> nodes() {
        return ModelArbitraries.nodes();
    }
}
