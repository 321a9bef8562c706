package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.html.IndexPage;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.tree.LocalTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /search} walks across machines: daemon A (127.0.0.2) has a root that links, besides
 * its own leaf, a leaf of daemon B (127.0.0.3) for keys from {@code m} on.
 */
class CrossMachineSearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void searchOnOneMachineFindsAnEntryOnAnotherItLinks() throws Exception {
        try (TestDaemon b = machineB();
                TestDaemon a = machineA(b, "true")) {
            JsonNode r =
                    JSON.readTree(a.get("/search?q=zebra&mode=exact", "Accept", "application/json")
                            .body());
            assertThat(r.get("total").asInt()).as(r.toString()).isEqualTo(1);
            assertThat(r.get("results").get(0).get("link").asText())
                    .isEqualTo("https://b.example/zebra");
            assertThat(r.get("nodes").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(r.has("walk")).as("the walk only when asked").isFalse();

            // With trace=1 the answer says which nodes the search read, on which machine.
            JsonNode traced = JSON.readTree(
                    a.get("/search?q=zebra&mode=exact&format=json&trace=1").body());
            List<String> walk = new ArrayList<>();
            traced.get("walk").forEach(w -> walk.add(w.asText()));
            assertThat(walk).as(traced.toString()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(walk.get(0)).contains("index.html").contains("root");
            assertThat(walk).anyMatch(w -> w.contains(b.url.getAuthority()) && w.contains("<- "));

            String page = a.get("/search?q=z&mode=prefix").body();
            assertThat(page).contains("Zebra on B").contains("Zulu on B").contains("2 results");

            JsonNode own = JSON.readTree(
                    a.get("/search?q=apple&mode=exact&format=json").body());
            assertThat(own.get("total").asInt()).isEqualTo(1);
            JsonNode range =
                    JSON.readTree(a.get("/search?q=m..&mode=range&format=json").body());
            assertThat(range.get("total").asInt()).as(range.toString()).isEqualTo(4);
        }
    }

    @Test
    void searchRefusesLoopbackPeersUnlessAllowed() throws Exception {
        try (TestDaemon b = machineB();
                TestDaemon a = machineA(b, "false")) {
            JsonNode r =
                    JSON.readTree(a.get("/search?q=zebra&mode=exact", "Accept", "application/json")
                            .body());
            assertThat(r.get("total").asInt()).isZero();
            assertThat(r.get("skipped").toString()).contains("127.0.0.3");
        }
    }

    /** B: a one-leaf tree of keys from m on, the leaf also being its root. */
    private TestDaemon machineB() throws Exception {
        TestDaemon b = TestDaemon.start(dir.resolve("b"), Map.of("bind", "127.0.0.3"));
        String tsv = """
                     mango\thttps://b.example/mango\tMango on B
                     peach\thttps://b.example/peach\tPeach on B
                     zebra\thttps://b.example/zebra\tZebra on B
                     zulu\thttps://b.example/zulu\tZulu on B
                     """;
        assertThat(b.postEntries(tsv).statusCode()).isEqualTo(200);
        return b;
    }

    /** A: its own leaf, and a root linking it and B's leaf for [m, +inf). */
    private TestDaemon machineA(TestDaemon b, String allowPrivate) throws Exception {
        String leaf = IndexPage.rootHref(Files.readString(b.data.resolve("index.html")));
        URI bLeaf = b.url.resolve("/" + leaf);
        Path data = dir.resolve("a-" + allowPrivate);
        try (LocalTree tree = LocalTree.open(data)) {
            tree.insert(List.of(Entry.of("apple", "https://a.example/apple", "Apple on A", "")));
            String root = tree.rootName();
            ChildRef remote = new ChildRef(
                    bLeaf.toString(),
                    new Range(Bound.of("m"), null),
                    0,
                    4,
                    Instant.now(),
                    Status.OK,
                    Map.of());
            assertThat(tree.editChildren(Map.of(root, children -> {
                        List<ChildRef> out = new ArrayList<>(children);
                        out.add(remote);
                        return out;
                    })))
                    .isPositive();
        }
        return TestDaemon.start(data, Map.of("bind", "127.0.0.2", "allow-private", allowPrivate));
    }
}
