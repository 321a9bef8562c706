package org.distree.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.query.FileSource;
import org.distree.query.NodeSource;
import org.distree.query.Query;
import org.distree.query.Walk;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distree search}: find entries by key, prefix or range, walking from a root. */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {
            "Search a tree from its root: a folder, a node or entry page file, or a URL.",
            "Examples:",
            "  distree search tree/ apple",
            "  distree search tree/index.html --prefix app",
            "  distree search tree/ --range apple..banana   (low inclusive, high exclusive)"
        })
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ROOT",
            description = "A tree folder, a root or entry page file, or a file: URL.")
    String root;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "An exact key.")
    String key;

    @ArgGroup(exclusive = true)
    Kind kind;

    static final class Kind {
        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Keys starting with this.")
        String prefix;

        @Option(names = "--range", paramLabel = "LOW..HIGH",
                description = "Keys from LOW (inclusive) to HIGH (exclusive); either may be empty.")
        String range;
    }

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "At most N results (default: ${DEFAULT-VALUE}; 0 for all).")
    int limit;

    @Option(names = "--json", description = "One JSON object per result.")
    boolean json;

    @Option(names = "--max-nodes", defaultValue = "100000", paramLabel = "N",
            description = "Visit at most N nodes (default: ${DEFAULT-VALUE}).")
    int maxNodes;

    @Override
    public Integer call() throws Exception {
        Query query = query();
        if (limit < 0 || maxNodes < 1) {
            throw UserException.usage("--limit must be at least 0 and --max-nodes at least 1");
        }
        URI start = Targets.start(root);
        NodeSource source = source(start);
        long t0 = System.nanoTime();
        Walk.Result result = Walk.run(source, start, query, maxNodes);
        double ms = (System.nanoTime() - t0) / 1e6;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Walk.Hit> hits = result.hits();
        int shown = limit == 0 ? hits.size() : Math.min(limit, hits.size());
        if (json) {
            for (Walk.Hit h : hits.subList(0, shown)) {
                out.println(JSON.writeValueAsString(toJson(h)));
            }
        } else {
            printTable(out, hits.subList(0, shown));
        }
        out.flush();
        for (Walk.Skip s : result.skipped()) {
            err.println("skipped " + s.url() + ": " + s.reason());
        }
        err.println(String.format(Locale.ROOT, "%,d result%s%s; %,d nodes, %,d bytes, %.1f ms",
                hits.size(), hits.size() == 1 ? "" : "s",
                shown < hits.size() ? " (" + shown + " shown; --limit 0 for all)" : "",
                result.nodes(), result.bytes(), ms));
        return hits.isEmpty() ? Distree.EXIT_FAILURE : Distree.EXIT_OK;
    }

    private Query query() {
        int given = (key != null ? 1 : 0) + (kind != null ? 1 : 0);
        if (given != 1) {
            throw UserException.usage("give one of KEY, --prefix PREFIX or --range LOW..HIGH");
        }
        if (key != null) {
            return Query.exact(key);
        }
        if (kind.prefix != null) {
            return Query.prefix(kind.prefix);
        }
        return Query.parseRange(kind.range);
    }

    private static NodeSource source(URI start) {
        if ("file".equalsIgnoreCase(start.getScheme())) {
            return new FileSource();
        }
        throw UserException.usage("searching over http needs the crawler, which is not built"
                + " into this version; give a folder or file");
    }

    private static ObjectNode toJson(Walk.Hit h) {
        Entry e = h.entry();
        ObjectNode o = JSON.createObjectNode();
        o.put("key", e.key());
        o.put("title", e.displayTitle());
        o.put("link", e.link());
        o.put("comment", e.comment());
        if (e.digest() != null) {
            o.put("digest", e.digest());
        }
        o.put("leaves", h.leaves());
        return o;
    }

    static void printTable(PrintWriter out, List<Walk.Hit> hits) {
        if (hits.isEmpty()) {
            return;
        }
        int keyWidth = 3;
        int titleWidth = 5;
        for (Walk.Hit h : hits) {
            keyWidth = Math.max(keyWidth, Math.min(24, width(h.entry().key())));
            titleWidth = Math.max(titleWidth, Math.min(40, width(h.entry().displayTitle())));
        }
        out.println(pad("KEY", keyWidth) + "  " + pad("TITLE", titleWidth) + "  LINK");
        for (Walk.Hit h : hits) {
            Entry e = h.entry();
            out.println(pad(Keys.abbreviate(e.key(), 24), keyWidth) + "  "
                    + pad(Keys.abbreviate(e.displayTitle(), 40), titleWidth) + "  " + e.link());
        }
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
