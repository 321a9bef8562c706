package org.distree.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distree.analysis.KeyAnalyzer;
import org.distree.archive.Capture;
import org.distree.archive.CaptureQuery;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code distree cdx ROOT URL}: the captures of a URL (or of a prefix, host or domain) in a
 * capture index, found by the crawler's search from the root, as the CDX server API answers
 * ({@link CaptureQuery}).
 */
@Command(
        name = "cdx",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Query a capture index (index-warc, build --format cdxj) as a CDX server would:"
                    + " one CDXJ line (or JSON object) per capture.",
            "A ROOT is a tree folder, a root or entry page file, or an http, https or file URL.",
            "Examples:",
            "  distree cdx index/ example.com/docs/a.html",
            "  distree cdx index/ example.com/a.html --closest 20240101",
            "  distree cdx https://a.example/index/ '*.example.com' --from 2023 --to 2024",
            "  distree cdx index/ example.com/docs/ --match-type prefix --output json",
            "  distree cdx index/ 'example.com/*' --filter '=status:200' --collapse urlkey"
                    + " --fl url,timestamp"
        })
final class CdxCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROOT", description = "Where the search starts.")
    String root;

    @Parameters(
            index = "1",
            paramLabel = "URL",
            description = "The URL; *.example.com asks for a domain, a trailing * for a prefix.")
    String url;

    @Option(
            names = "--match-type",
            paramLabel = "TYPE",
            description = "exact (default), prefix, host or domain.")
    @Nullable
    String matchType;

    @Option(names = "--from", paramLabel = "TIMESTAMP", description = "1 to 14 digits.")
    @Nullable
    String from;

    @Option(names = "--to", paramLabel = "TIMESTAMP", description = "1 to 14 digits, inclusive.")
    @Nullable
    String to;

    @Option(
            names = "--closest",
            paramLabel = "TIMESTAMP",
            description = "Nearest to this time first.")
    @Nullable
    String closest;

    @Option(names = "--sort", paramLabel = "ORDER", description = "default, reverse or closest.")
    @Nullable
    String sort;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "At most N captures (default: 0, all found).")
    int limit;

    @Option(
            names = "--filter",
            paramLabel = "FILTER",
            description = "[!][=|~]FIELD:EXPRESSION, as pywb's filter=: contains, = equals, ~ a"
                    + " regular expression from the start; ! negates. Repeat: all must pass.")
    List<String> filters = new ArrayList<>();

    @Option(
            names = "--collapse",
            paramLabel = "FIELD[:N]",
            description = "Of adjacent captures whose FIELD (its first N characters) is the"
                    + " same, keep the first. Repeatable.")
    List<String> collapses = new ArrayList<>();

    @Option(
            names = "--collapse-time",
            paramLabel = "N",
            description = "Of adjacent captures with the same first N timestamp digits and"
                    + " status, keep the first (pywb's collapseTime).")
    @Nullable
    String collapseTime;

    @Option(
            names = "--fl",
            paramLabel = "FIELDS",
            description = "The fields to write, comma-separated: urlkey, timestamp, url, mime,"
                    + " status, digest, length, offset, filename.")
    @Nullable
    String fl;

    @Option(
            names = "--output",
            defaultValue = "cdxj",
            paramLabel = "FORMAT",
            description = "cdxj (default) or json (one object per line, as pywb's output=json).")
    String output;

    @Option(
            names = "--max-nodes",
            defaultValue = "1000",
            paramLabel = "N",
            description = "Fetch at most N node files (default: ${DEFAULT-VALUE}).")
    int maxNodes;

    @Option(
            names = "--timeout",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description = "Give up after this long, with what was found (default:"
                    + " ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--no-robots", description = "Do not fetch or obey robots.txt.")
    boolean noRobots;

    @Override
    public Integer call() throws Exception {
        String fmt = output.toLowerCase(Locale.ROOT);
        if (!fmt.equals("cdxj") && !fmt.equals("json")) {
            throw UserException.usage("--output '" + output + "' is not cdxj or json");
        }
        if (limit < 0 || maxNodes < 1 || !(timeout > 0)) {
            throw UserException.usage(
                    "--limit must be at least 0, --max-nodes at least 1, --timeout above 0");
        }
        Map<String, List<String>> params = new HashMap<>();
        params.put("url", List.of(url));
        put(params, "matchType", matchType);
        put(params, "from", from);
        put(params, "to", to);
        put(params, "closest", closest);
        put(params, "sort", sort);
        put(params, "collapseTime", collapseTime);
        put(params, "fl", fl);
        params.put("limit", List.of(Integer.toString(limit)));
        params.put("filter", filters);
        params.put("collapse", collapses);
        CaptureQuery query = CaptureQuery.parseAll(name -> params.getOrDefault(name, List.of()), 0);
        URI start = Targets.start(root);
        SearchResult result;
        try (Searcher searcher = new Searcher(CrawlConfig.defaults().withRobots(!noRobots))) {
            result = searcher.search(request(List.of(start), query.keyQuery())
                    .withAnalyzer(KeyAnalyzer.NONE)
                    .withBudgets(maxNodes, SearchRequest.DEFAULT_MAX_BYTES, Duration.ofMillis((long)
                            (timeout * 1000))));
        }
        List<Entry> found = new ArrayList<>(result.hits().size());
        for (SearchResult.Hit h : result.hits()) {
            found.add(h.entry());
        }
        List<Capture> captures = query.select(found);
        PrintWriter out = spec.commandLine().getOut();
        for (Capture c : captures) {
            out.println(query.format(c, fmt.equals("json")));
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (SearchResult.Skip s : result.skipped()) {
            err.println("skipped " + s.url() + ": " + s.reason());
        }
        err.println(String.format(
                Locale.ROOT,
                "%,d capture%s; %,d node%s fetched, %,d bytes, %.1f ms%s",
                captures.size(),
                captures.size() == 1 ? "" : "s",
                result.stats().fetches(),
                result.stats().fetches() == 1 ? "" : "s",
                result.stats().bytes(),
                result.stats().millis(),
                result.stats().complete() ? "" : " (stopped early)"));
        err.flush();
        return captures.isEmpty() ? Distree.EXIT_FAILURE : Distree.EXIT_OK;
    }

    /** The crawler's request for a key query: a prefix, or a key range. */
    static SearchRequest request(List<URI> roots, Query q) {
        if (q.kind() == Query.Kind.PREFIX) {
            return SearchRequest.prefix(roots, q.text());
        }
        Bound low = q.range().low();
        Bound high = q.range().high();
        return SearchRequest.range(
                roots, low == null ? "" : low.key(), high == null ? "" : high.key());
    }

    private static void put(Map<String, List<String>> params, String name, @Nullable String value) {
        if (value != null) {
            params.put(name, List.of(value));
        }
    }
}
