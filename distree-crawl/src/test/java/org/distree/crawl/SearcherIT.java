package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leafOfRow;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.distree.html.IndexPage;
import org.distree.html.NodeReader;
import org.distree.model.ChildRef;
import org.distree.model.Node;
import org.distree.rules.Rules;
import org.distree.testing.StubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trees spread over Jetty servers on 127.0.0.2, .3 and .4, standing in for three machines.
 * Every leaf range has a copy on each machine, and the root on .2 links all three copies.
 */
class SearcherIT {
    static final String[][] LEAVES = {
        {null, "h", "apple", "banana", "cherry"},
        {"h", "p", "kiwi", "lemon", "mango"},
        {"p", null, "pear", "quince", "zucchini"},
    };

    final List<StubServer> machines = new ArrayList<>();
    Searcher searcher;
    String rootPage = "";

    @BeforeEach
    void start() throws Exception {
        for (int i = 2; i <= 4; i++) {
            machines.add(new StubServer("127.0.0." + i));
        }
        List<ChildRef> children = new ArrayList<>();
        for (int l = 0; l < LEAVES.length; l++) {
            String[] spec = LEAVES[l];
            for (StubServer m : machines) {
                m.html("/n/leaf" + l + ".html", leafOfRow(spec));
                String href = m == machines.get(0)
                        ? "n/leaf" + l + ".html"
                        : m.url("/n/leaf" + l + ".html").toString();
                // The copies on other machines are listed first: the walk must still prefer
                // by its own rule, not by order, and route around whichever is down.
                children.add(child(href, spec[0], spec[1], 0, 3));
            }
        }
        rootPage = internal(1, null, null, children.toArray(ChildRef[]::new));
        machines.get(0).html("/root.html", rootPage);
        machines.get(0)
                .html(
                        "/index.html",
                        "<!doctype html><link rel=distree-root"
                                + " href=root.html><p>Search me</p>");
        searcher = new Searcher();
    }

    @AfterEach
    void stop() {
        searcher.close();
        machines.forEach(StubServer::close);
    }

    URI root() {
        return machines.get(0).url("/index.html");
    }

    List<String> keysFound(SearchResult r) {
        return r.hits().stream().map(h -> h.entry().key()).sorted().toList();
    }

    @Test
    void healthyLookupFetchesJustThePath() {
        SearchResult r = searcher.search(SearchRequest.words(List.of(root()), List.of("lemon")));
        assertThat(keysFound(r)).containsExactly("lemon");
        // index page, root, one leaf
        assertThat(r.stats().fetches()).isEqualTo(3);
        assertThat(r.stats().failures()).isZero();
        assertThat(r.skipped()).isEmpty();
        assertThat(r.stats().complete()).isTrue();
    }

    @Test
    void anEntryPageHoldingTheRootsCopySavesTheRequestForTheRoot() throws Exception {
        Node root = NodeReader.parse(rootPage, "root.html").node();
        machines.get(0)
                .bytes(
                        "/index2.html",
                        "text/html",
                        IndexPage.write("root.html", root, false, Rules.MAX_FILE_BYTES));
        machines.get(0).resetHits();

        SearchResult r = searcher.search(SearchRequest.words(
                List.of(machines.get(0).url("/index2.html")), List.of("lemon")));

        assertThat(keysFound(r)).containsExactly("lemon");
        // the entry page (the root with it) and one leaf; the root's own file is not asked for
        assertThat(r.stats().fetches()).isEqualTo(2);
        assertThat(machines.get(0).hits("/root.html")).isZero();
        assertThat(r.stats().complete()).isTrue();
        SearchResult all = searcher.search(
                SearchRequest.range(List.of(machines.get(0).url("/index2.html")), null, null));
        assertThat(keysFound(all)).hasSize(9);
    }

    @Test
    void rangeSearchFindsEveryEntryAcrossMachines() {
        SearchResult r = searcher.search(SearchRequest.range(List.of(root()), null, null));
        assertThat(keysFound(r))
                .containsExactly(
                        "apple",
                        "banana",
                        "cherry",
                        "kiwi",
                        "lemon",
                        "mango",
                        "pear",
                        "quince",
                        "zucchini");
        assertThat(r.stats().fetches()).isEqualTo(2 + LEAVES.length);
    }

    @Test
    void withOneOfThreeCopiesDownEveryEntryIsStillFound() {
        for (int down = 1; down < machines.size(); down++) {
            machines.get(down).close();
            SearchResult r = searcher.search(SearchRequest.range(List.of(root()), null, null));
            assertThat(keysFound(r)).as("machine %d down", down).hasSize(9);
        }
    }

    @Test
    void routesAroundAMissingCopyThroughItsAlternates() {
        for (int l = 0; l < LEAVES.length; l++) {
            machines.get(0).remove("/n/leaf" + l + ".html");
        }
        SearchResult r = searcher.search(SearchRequest.words(List.of(root()), List.of("mango")));
        assertThat(keysFound(r)).containsExactly("mango");
        assertThat(r.visits()).anyMatch(v -> v.why().startsWith("alternate for"));
    }

    @Test
    void everyLeafCopyDownIsReportedNotHidden() {
        for (StubServer m : machines) {
            m.remove("/n/leaf1.html");
        }
        SearchResult r = searcher.search(SearchRequest.words(List.of(root()), List.of("kiwi")));
        assertThat(r.hits()).isEmpty();
        assertThat(r.skipped())
                .extracting(SearchResult.Skip::reason)
                .anyMatch(s -> s.contains("HTTP 404"))
                .anyMatch(s -> s.contains("no reachable node covers"));
    }

    @Test
    void severalRootsAreAllWalked() {
        machines.get(1)
                .html(
                        "/other-root.html",
                        internal(1, null, null, child("n/leaf0.html", null, "h", 0, 3)));
        SearchResult r = searcher.search(SearchRequest.words(
                List.of(root(), machines.get(1).url("/other-root.html")), List.of("apple")));
        assertThat(keysFound(r)).containsExactly("apple");
        assertThat(r.hits().get(0).leaves()).isEqualTo(2);
    }
}
