package org.distree.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.crawl.CrawlConfig;
import org.distree.crawl.SearchRequest;
import org.distree.crawl.SearchResult;
import org.distree.crawl.Searcher;
import org.distree.crawl.Verifier;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code distree search}: find entries by words, prefix or range, walking from roots.
 *
 * <p>Its model is built with picocli's programmatic API, not read from annotations: on Java 17
 * reading picocli's annotations makes a proxy class per annotation type and costs reflection,
 * about 20 ms of every search (issue 15, docs/BENCHMARKS.md). The help, the options, their
 * errors and exit codes are those the annotated model gave.
 */
final class SearchCommand implements Callable<Integer> {
    /** The command's name: {@link Distree} adds this command without reading annotations. */
    static final String NAME = "search";

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    private final PositionalParamSpec args = PositionalParamSpec.builder()
            .arity("0..*")
            .paramLabel("[ROOT] WORD")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .description("Without --root, the first is the root; the rest are words, each"
                    + " looked up as a key (after the root's analyzer) and ranked by how many"
                    + " match (a compound matched whole before its parts alone).")
            .build();

    private final OptionSpec roots = OptionSpec.builder("--root")
            .paramLabel("ROOT")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .description("Where to start; repeat for several roots, all of which are walked.")
            .build();

    private final OptionSpec prefix = OptionSpec.builder("--prefix")
            .paramLabel("PREFIX")
            .type(String.class)
            .description("Keys starting with this.")
            .build();

    private final OptionSpec range = OptionSpec.builder("--range")
            .paramLabel("LOW..HIGH")
            .type(String.class)
            .description("Keys from LOW (inclusive) to HIGH (exclusive); either may be empty.")
            .build();

    private final OptionSpec limit = OptionSpec.builder("--limit")
            .defaultValue("100")
            .paramLabel("N")
            .type(int.class)
            .description("At most N results, best first (default: ${DEFAULT-VALUE}; 0 for all).")
            .build();

    private final OptionSpec json = flag("--json", "One JSON object per result on stdout.");

    private final OptionSpec explain = flag(
            "--explain",
            "Print the walk on stderr: each node, why, from which parent, time and bytes.");

    private final OptionSpec analyzer = OptionSpec.builder("--analyzer")
            .paramLabel("NAME")
            .type(String.class)
            .description("Make keys from words with this analyzer (standard-parts,"
                    + " english-parts, standard, english, none)"
                    + " instead of the one the root declares.")
            .build();

    private final OptionSpec maxNodes = OptionSpec.builder("--max-nodes")
            .defaultValue("1000")
            .paramLabel("N")
            .type(int.class)
            .description("Fetch at most N node files (default: ${DEFAULT-VALUE}).")
            .build();

    private final OptionSpec maxBytes = OptionSpec.builder("--max-bytes")
            .defaultValue("67108864")
            .paramLabel("BYTES")
            .type(long.class)
            .description("Fetch at most this many bytes (default: ${DEFAULT-VALUE}).")
            .build();

    private final OptionSpec timeout = OptionSpec.builder("--timeout")
            .defaultValue("30")
            .paramLabel("SECONDS")
            .type(double.class)
            .description("Give up after this long, with what was found (default:"
                    + " ${DEFAULT-VALUE}).")
            .build();

    private final OptionSpec noRobots = flag("--no-robots", "Do not fetch or obey robots.txt.");

    private final OptionSpec verify = flag(
            "--verify",
            "Fetch what each result links to and check it against the result's digest (sha256-"
                    + " of a site page, a WARC payload digest sha1: of a capture): each result is"
                    + " ok, MISMATCH or unchecked; exit 1 on a mismatch.");

    private SearchCommand() {
        spec.name(NAME);
        spec.usageMessage()
                .sortOptions(false)
                .description(
                        "Search trees from their roots, on this machine or across the web.",
                        "A ROOT is a tree folder, a root or entry page file, or an http, https or file URL.",
                        "Examples:",
                        "  distree search tree/ apple",
                        "  distree search --root https://a.example/tree/ --root https://b.example/ apple pie",
                        "  distree search tree/index.html --prefix app",
                        "  distree search tree/ --range apple..banana   (low inclusive, high exclusive)",
                        "  distree search tree/ apple --json --explain",
                        "A result that is a page record's entry (index-site's trees) shows the page's link,"
                                + " title and snippet, read from the record.");
        spec.addPositional(args);
        spec.addOption(roots);
        // At most one of --prefix and --range.
        spec.addArgGroup(ArgGroupSpec.builder()
                .exclusive(true)
                .addArg(prefix)
                .addArg(range)
                .build());
        for (OptionSpec o : List.of(
                limit, json, explain, analyzer, maxNodes, maxBytes, timeout, noRobots, verify)) {
            spec.addOption(o);
        }
        Distree.addStandardHelpOptions(spec);
    }

    /** A new model of the command, holding a new command object that runs it. */
    static CommandSpec model() {
        return new SearchCommand().spec;
    }

    /** An option without a value: false unless given. */
    private static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name)
                .arity("0")
                .type(boolean.class)
                .initialValue(false)
                .description(description)
                .build();
    }

    /** The values of a list option or parameter: a new list, empty when none were given. */
    private static List<String> strings(ArgSpec arg) {
        List<String> values = arg.getValue();
        return values == null ? new ArrayList<>() : new ArrayList<>(values);
    }

    private static boolean given(OptionSpec flag) {
        Boolean on = flag.getValue();
        return on != null && on;
    }

    @Override
    public Integer call() throws Exception {
        List<String> words = strings(args);
        List<String> rootNames = strings(roots);
        List<URI> starts = new ArrayList<>();
        if (rootNames.isEmpty()) {
            if (words.isEmpty()) {
                throw UserException.usage("give a ROOT (or --root) and what to search for");
            }
            starts.add(Targets.start(words.remove(0)));
        } else {
            for (String r : rootNames) {
                starts.add(Targets.start(r));
            }
        }
        int limit = this.limit.getValue();
        int maxNodes = this.maxNodes.getValue();
        long maxBytes = this.maxBytes.getValue();
        double timeout = this.timeout.getValue();
        if (limit < 0 || maxNodes < 1 || maxBytes < 1 || !(timeout > 0)) {
            throw UserException.usage("--limit must be at least 0, --max-nodes and --max-bytes"
                    + " at least 1, and --timeout above 0");
        }
        @Nullable String analyzer = this.analyzer.getValue();
        SearchRequest request = request(starts, words)
                .withAnalyzer(analyzer)
                .withLimit(limit)
                .withBudgets(maxNodes, maxBytes, Duration.ofMillis((long) (timeout * 1000)));
        SearchResult result;
        try (Searcher searcher =
                new Searcher(CrawlConfig.defaults().withRobots(!given(noRobots)))) {
            result = searcher.search(request);
        }
        List<Verifier.Check> checks = List.of();
        if (given(verify)) {
            List<String> links = new ArrayList<>();
            List<@Nullable String> digests = new ArrayList<>();
            for (SearchResult.Hit h : result.hits()) {
                links.add(h.entry().link());
                digests.add(h.entry().digest());
            }
            try (Verifier verifier = new Verifier(CrawlConfig.defaults())) {
                checks = verifier.verify(links, digests);
            }
        }
        print(result, checks);
        boolean mismatch = checks.stream().anyMatch(c -> c.outcome() == Verifier.Outcome.MISMATCH);
        return result.total() == 0 || mismatch ? Distree.EXIT_FAILURE : Distree.EXIT_OK;
    }

    private SearchRequest request(List<URI> starts, List<String> words) {
        @Nullable String prefix = this.prefix.getValue();
        @Nullable String range = this.range.getValue();
        // The group is exclusive: picocli has refused both.
        int given = (words.isEmpty() ? 0 : 1) + (prefix != null || range != null ? 1 : 0);
        if (given != 1) {
            throw UserException.usage("give words, or one of --prefix PREFIX or --range LOW..HIGH");
        }
        if (range == null) {
            return prefix == null
                    ? SearchRequest.words(starts, words)
                    : SearchRequest.prefix(starts, prefix);
        }
        int i = range.indexOf("..");
        if (i < 0) {
            throw UserException.usage("range '" + range + "' is not of the form LOW..HIGH"
                    + " (either end may be empty)");
        }
        return SearchRequest.range(starts, range.substring(0, i), range.substring(i + 2));
    }

    private void print(SearchResult result, List<Verifier.Check> checks) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (given(json)) {
            Json.print(out, result, checks);
        } else {
            printTable(out, result.hits());
            for (Verifier.Check c : checks) {
                out.println(String.format(
                                Locale.ROOT,
                                "%-9s %s",
                                c.outcome() == Verifier.Outcome.MISMATCH
                                        ? "MISMATCH"
                                        : c.outcome().name().toLowerCase(Locale.ROOT),
                                clean(c.link()))
                        + (c.detail().isEmpty() ? "" : ": " + clean(c.detail())));
            }
        }
        if (!checks.isEmpty()) {
            err.println(String.format(
                    Locale.ROOT,
                    "verify: %,d ok, %,d mismatched, %,d unchecked",
                    count(checks, Verifier.Outcome.OK),
                    count(checks, Verifier.Outcome.MISMATCH),
                    count(checks, Verifier.Outcome.UNCHECKED)));
        }
        out.flush();
        if (given(explain)) {
            printWalk(err, result);
        }
        for (SearchResult.Skip s : result.skipped()) {
            err.println(clean("skipped " + s.url() + ": " + s.reason()));
        }
        SearchResult.Stats st = result.stats();
        int shown = result.hits().size();
        err.println(String.format(
                Locale.ROOT,
                "%,d result%s%s; %,d node%s%s fetched from %,d host%s, %,d bytes, %,d failure%s,"
                        + " %.1f ms%s",
                result.total(),
                result.total() == 1 ? "" : "s",
                shown < result.total() ? " (" + shown + " shown; --limit 0 for all)" : "",
                st.fetches() - st.records(),
                st.fetches() - st.records() == 1 ? "" : "s",
                st.records() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " and %,d page record%s",
                                st.records(),
                                st.records() == 1 ? "" : "s"),
                st.hosts(),
                st.hosts() == 1 ? "" : "s",
                st.bytes(),
                st.failures(),
                st.failures() == 1 ? "" : "s",
                st.millis(),
                st.complete() ? "" : " (stopped early)"));
        err.flush();
    }

    private static void printWalk(PrintWriter err, SearchResult result) {
        err.println("walk (" + result.analyzer() + " analyzer; keys "
                + String.join(", ", result.keys()) + "):");
        for (SearchResult.Visit v : result.visits()) {
            err.println("  " + v.describe());
        }
    }

    private static long count(List<Verifier.Check> checks, Verifier.Outcome o) {
        return checks.stream().filter(c -> c.outcome() == o).count();
    }

    /**
     * The {@code --json} output, one object a result. A class of its own, so that Jackson's
     * classes are loaded only for it: not for a plain search, nor for {@code --help}.
     */
    private static final class Json {
        private Json() {}

        static void print(PrintWriter out, SearchResult result, List<Verifier.Check> checks)
                throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < result.hits().size(); i++) {
                ObjectNode o = toJson(mapper, result.hits().get(i));
                if (i < checks.size()) {
                    o.put("verify", checks.get(i).outcome().name().toLowerCase(Locale.ROOT));
                    o.put("verify_detail", checks.get(i).detail());
                }
                out.println(mapper.writeValueAsString(o));
            }
        }

        private static ObjectNode toJson(ObjectMapper mapper, SearchResult.Hit h) {
            Entry e = h.entry();
            ObjectNode o = mapper.createObjectNode();
            o.put("key", e.key());
            o.put("title", e.displayTitle());
            o.put("link", e.link());
            o.put("comment", e.comment());
            if (e.digest() != null) {
                o.put("digest", e.digest());
            }
            if (h.record() != null) {
                o.put("record", h.record().toString());
            }
            ArrayNode matched = o.putArray("matched");
            h.matched().forEach(matched::add);
            o.put("leaves", h.leaves());
            if (h.score() > 0) {
                o.put("score", h.score());
            }
            return o;
        }
    }

    static void printTable(PrintWriter out, List<SearchResult.Hit> hits) {
        if (hits.isEmpty()) {
            return;
        }
        int keyWidth = 3;
        int titleWidth = 5;
        for (SearchResult.Hit h : hits) {
            keyWidth = Math.max(keyWidth, Math.min(24, width(shownKey(h))));
            titleWidth = Math.max(titleWidth, Math.min(40, width(clean(h.entry().displayTitle()))));
        }
        out.println(pad("KEY", keyWidth) + "  " + pad("TITLE", titleWidth) + "  LINK");
        for (SearchResult.Hit h : hits) {
            Entry e = h.entry();
            out.println(pad(Keys.abbreviate(shownKey(h), 24), keyWidth) + "  "
                    + pad(Keys.abbreviate(clean(e.displayTitle()), 40), titleWidth) + "  "
                    + clean(e.link()));
        }
    }

    private static String shownKey(SearchResult.Hit h) {
        return clean(
                h.matched().size() > 1
                        ? String.join("+", h.matched())
                        : h.entry().key());
    }

    /** Text from other machines reaches a terminal: no escape sequences or control codes. */
    private static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}\\p{Cf}&&[^\\u200d]]", "?");
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = width(s); i < w; i++) {
            sb.append(' ');
        }
        return sb.toString();
    }
}
