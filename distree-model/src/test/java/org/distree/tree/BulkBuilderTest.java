package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.distree.model.Entry;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkBuilderTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir Path dir;

    private BulkBuilder.Result build(Path into, List<Entry> sorted) throws Exception {
        try (NodeStore store = NodeStore.open(into, false)) {
            return new BulkBuilder(store, BulkBuilder.DEFAULT_FILL, null, T, n -> {})
                    .build(sorted.iterator());
        }
    }

    @Test
    void leavesOfVeryDifferentSizesKeepTheSixteenXRule() throws Exception {
        List<Entry> all = LocalTreeTest.fatThenTiny(400, 1000);

        BulkBuilder.Result result = build(dir, all);

        assertThat(Trees.lint(dir).violations()).isEmpty();
        assertThat(Trees.ruleBreaks(dir)).isEmpty();
        assertThat(result.height()).isGreaterThanOrEqualTo(2);
        assertThat(Trees.all(dir)).containsExactlyElementsOf(all);
    }
}
