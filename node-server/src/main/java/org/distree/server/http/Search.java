package org.distree.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.distree.model.Entry;
import org.distree.query.Query;
import org.distree.server.search.Searcher;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /search?q=TEXT&mode=prefix|exact|range&limit=N}: runs the {@link Searcher} and
 * shows the results as a page, or as JSON for {@code Accept: application/json}. A range is
 * written {@code LOW..HIGH} (low inclusive, high exclusive; either may be empty). Every string
 * of a result came from some machine's node file and is escaped; a link that is not http or
 * https is shown as text.
 */
final class Search extends Handler.Abstract {
    /** The longest query text accepted: 256 characters. */
    static final int MAX_QUERY_CHARS = 256;

    private final Searcher searcher;
    private final int maxLimit;

    Search(Searcher searcher, int maxLimit) {
        this.searcher = searcher;
        this.maxLimit = maxLimit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Fields params;
        try {
            params = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "the query string is not valid");
        }
        String q = value(params, "q", "");
        String mode = value(params, "mode", "prefix").toLowerCase(Locale.ROOT);
        boolean json = Replies.wantsJson(request) || value(params, "format", "").equals("json");
        boolean trace = value(params, "trace", "").equals("1");
        if (q.isEmpty() && !json) {
            return Replies.send(
                    response,
                    callback,
                    HttpStatus.OK_200,
                    Replies.HTML,
                    Html.page("Search", "<h1>Search</h1>\n" + form("", mode)));
        }
        Query query;
        int limit;
        try {
            query = query(q, mode);
            limit = limit(value(params, "limit", Integer.toString(maxLimit)));
        } catch (IllegalArgumentException e) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    String.valueOf(e.getMessage()));
        }
        long t0 = System.nanoTime();
        Searcher.Result result = searcher.search(query, limit);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (json) {
            return Replies.json(
                    response, callback, HttpStatus.OK_200, toJson(q, mode, result, trace));
        }
        return Replies.send(
                response,
                callback,
                HttpStatus.OK_200,
                Replies.HTML,
                Html.page(
                        "Search: " + q, "<h1>Search</h1>\n" + form(q, mode) + results(result, ms)));
    }

    private static String value(Fields params, String name, String dflt) {
        Fields.Field f = params.get(name);
        return f == null ? dflt : f.getValue().strip();
    }

    private int limit(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= maxLimit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException("limit must be 1 to " + maxLimit);
    }

    static Query query(String q, String mode) {
        if (q.isEmpty()) {
            throw new IllegalArgumentException("the query is empty (give q=…)");
        }
        if (q.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException("the query is " + q.length()
                    + " characters, over the " + MAX_QUERY_CHARS + " character limit");
        }
        return switch (mode) {
            case "exact" -> Query.exact(q);
            case "prefix" -> Query.prefix(q);
            case "range" -> Query.parseRange(q);
            default -> throw new IllegalArgumentException("mode must be exact, prefix or range");
        };
    }

    /** The search form, filled in with the current query. */
    static String form(String q, String mode) {
        StringBuilder out = new StringBuilder(512);
        out.append("<form action=\"/search\" method=\"get\" role=\"search\">")
                .append("<label>Key <input name=\"q\" value=\"")
                .append(Html.text(q))
                .append("\" maxlength=\"")
                .append(MAX_QUERY_CHARS)
                .append("\" autofocus></label> <select name=\"mode\" aria-label=\"kind\">");
        for (String m : new String[] {"prefix", "exact", "range"}) {
            out.append("<option value=\"")
                    .append(m)
                    .append('"')
                    .append(m.equals(mode) ? " selected" : "")
                    .append('>')
                    .append(m.equals("range") ? "range (low..high)" : m)
                    .append("</option>");
        }
        return out.append("</select> <button type=\"submit\">Search</button></form>\n")
                .toString();
    }

    private static String results(Searcher.Result r, double ms) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<p class=\"summary\">")
                .append(String.format(
                        Locale.ROOT,
                        "%,d result%s%s; %,d nodes visited in %.1f ms.",
                        r.total(),
                        r.total() == 1 ? "" : "s",
                        r.hits().size() < r.total() ? " (" + r.hits().size() + " shown)" : "",
                        r.nodes(),
                        ms))
                .append("</p>\n");
        if (!r.hits().isEmpty()) {
            out.append("<table><thead><tr><th>Key</th><th>Title</th><th>Comment</th>"
                    + "<th>Leaves</th></tr></thead><tbody>\n");
            for (Searcher.Hit h : r.hits()) {
                Entry e = h.entry();
                out.append("<tr><td>")
                        .append(Html.text(e.key()))
                        .append("</td><td>")
                        .append(Html.link(e.link(), e.displayTitle()));
                if (Html.href(e.link()) == null) {
                    out.append(" <code class=\"inert\">")
                            .append(Html.text(e.link()))
                            .append("</code>");
                }
                out.append("</td><td>")
                        .append(Html.text(e.comment()))
                        .append("</td><td>")
                        .append(h.leaves())
                        .append("</td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        if (!r.skipped().isEmpty()) {
            out.append("<details><summary>")
                    .append(r.skipped().size())
                    .append(" node(s) could not be used</summary><ul>");
            for (String s : r.skipped().subList(0, Math.min(50, r.skipped().size()))) {
                out.append("<li>").append(Html.text(s)).append("</li>");
            }
            out.append("</ul></details>\n");
        }
        return out.toString();
    }

    private static ObjectNode toJson(String q, String mode, Searcher.Result r, boolean trace) {
        ObjectNode o = Replies.JSON.createObjectNode();
        o.put("q", q);
        o.put("mode", mode);
        o.put("total", r.total());
        o.put("nodes", r.nodes());
        ArrayNode results = o.putArray("results");
        for (Searcher.Hit h : r.hits()) {
            Entry e = h.entry();
            ObjectNode j = results.addObject();
            j.put("key", e.key());
            j.put("link", e.link());
            j.put("title", e.title());
            j.put("comment", e.comment());
            if (e.digest() != null) {
                j.put("digest", e.digest());
            }
            j.put("leaves", h.leaves());
            if (h.score() > 0) {
                j.put("score", h.score());
            }
        }
        ArrayNode skipped = o.putArray("skipped");
        r.skipped().forEach(skipped::add);
        if (trace) {
            ArrayNode walk = o.putArray("walk");
            r.walk().forEach(walk::add);
        }
        return o;
    }
}
