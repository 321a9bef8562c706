package org.distree.crawl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.model.Links;
import org.distree.query.NodeSource;
import org.junit.jupiter.api.Test;

/**
 * The crawler over another network than the web: machines whose files live in a map, as a
 * simulator holds them. The hosts ({@code *.sim}) do not resolve, so a search that found anything
 * found it through the network given, never through HTTP.
 */
class SearcherOverNetworkTest {
    /** Files by URL; an origin in {@code down} refuses every request. */
    static final class MapNetwork implements NodeSource {
        final Map<URI, String> files = new ConcurrentHashMap<>();
        final Set<String> down = ConcurrentHashMap.newKeySet();
        int requests;

        @Override
        public Fetched fetch(URI url) throws IOException, NodeFormatException {
            requests++;
            if (down.contains(Links.origin(url))) {
                throw new NodeFetchException(url.toString(), 0, "connection refused", true);
            }
            String html = files.get(url);
            if (html == null) {
                throw new NodeFetchException(url.toString(), 404, "not found");
            }
            byte[] bytes = html.getBytes(UTF_8);
            return new Fetched(url, NodeReader.read(bytes, url.toString()), bytes.length);
        }

        @Override
        public org.distree.model.Entry.Target record(URI url)
                throws IOException, NodeFormatException {
            requests++;
            String html = files.get(url);
            if (html == null) {
                throw new NodeFetchException(url.toString(), 404, "not found");
            }
            return org.distree.html.RecordFile.resolved(
                    org.distree.html.RecordFile.parse(html, url.toString()), url);
        }
    }

    final MapNetwork net = new MapNetwork();

    /** a.sim's root: its own leaf below "m", and for the rest b.sim's leaf and c.sim's copy. */
    MapNetwork twoHalves() {
        net.files.put(
                URI.create("http://a.sim/root.html"),
                internal(
                        1,
                        null,
                        null,
                        child("n/left.html", null, "m", 0, 2),
                        child("http://b.sim/n/right.html", "m", null, 0, 2),
                        child("http://c.sim/n/right.html", "m", null, 0, 2)));
        net.files.put(
                URI.create("http://a.sim/n/left.html"),
                leaf(null, "m", "apple", "https://e.org/apple", "kiwi", "https://e.org/kiwi"));
        String right = leaf("m", null, "pear", "https://e.org/pear", "zucchini", "https://e.org/z");
        net.files.put(URI.create("http://b.sim/n/right.html"), right);
        net.files.put(URI.create("http://c.sim/n/right.html"), right);
        return net;
    }

    static List<String> keys(SearchResult r) {
        return r.hits().stream().map(h -> h.entry().key()).sorted().toList();
    }

    @Test
    void findsEveryEntryAcrossMachinesOfTheNetwork() {
        twoHalves();
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            SearchResult r = s.search(
                    SearchRequest.range(List.of(URI.create("http://a.sim/root.html")), null, null));
            assertThat(keys(r)).containsExactly("apple", "kiwi", "pear", "zucchini");
            assertThat(r.stats().fetches()).isEqualTo(3);
            assertThat(r.stats().hosts()).isEqualTo(2);
            assertThat(net.requests).isEqualTo(3);
            assertThat(r.skipped()).isEmpty();
        }
    }

    @Test
    void routesAroundAMachineThatIsDown() {
        twoHalves();
        net.down.add("http://b.sim");
        net.down.add("http://c.sim");
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            List<URI> root = List.of(URI.create("http://a.sim/root.html"));
            SearchResult none = s.search(SearchRequest.words(root, List.of("pear")));
            assertThat(none.hits()).isEmpty();
            assertThat(none.skipped()).isNotEmpty();

            net.down.remove("http://c.sim");
            SearchResult r = s.search(SearchRequest.words(root, List.of("pear")));
            assertThat(keys(r)).containsExactly("pear");
            assertThat(r.stats().failures()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aNarrowerChildWithALargerSubtreeIsPreferredOverAWidePartialOne() {
        // b.sim's node covers every key but holds only what b.sim has (a partial node); the
        // local leaf and c.sim's leaf each hold all of their narrower ranges. Rule 8 prefers
        // those, though b.sim's reaches further.
        net.files.put(
                URI.create("http://a.sim/root.html"),
                internal(
                        1,
                        null,
                        null,
                        child("http://b.sim/n/partial.html", null, null, 0, 1),
                        child("n/left.html", null, "m", 0, 2),
                        child("http://c.sim/n/right.html", "m", null, 0, 2)));
        net.files.put(
                URI.create("http://b.sim/n/partial.html"),
                leaf(null, null, "kiwi", "https://e.org/kiwi"));
        net.files.put(
                URI.create("http://a.sim/n/left.html"),
                leaf(null, "m", "apple", "https://e.org/apple", "kiwi", "https://e.org/kiwi"));
        net.files.put(
                URI.create("http://c.sim/n/right.html"),
                leaf("m", null, "pear", "https://e.org/pear", "zucchini", "https://e.org/z"));
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            SearchResult r = s.search(
                    SearchRequest.range(List.of(URI.create("http://a.sim/root.html")), null, null));
            assertThat(keys(r)).containsExactly("apple", "kiwi", "pear", "zucchini");
            assertThat(r.stats().fetches()).isEqualTo(3);
        }
    }
}
