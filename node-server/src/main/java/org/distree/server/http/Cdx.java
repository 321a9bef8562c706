package org.distree.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.archive.Capture;
import org.distree.archive.CaptureQuery;
import org.distree.model.Entry;
import org.distree.server.search.Searcher;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /cdx?url=…}: the CDX server API of pywb and the Wayback Machine over a capture index
 * (docs/ARCHIVE.md), so that tools written for those servers can use this daemon as their index.
 * Parameters: {@code url} (required; {@code *.example.com} for a domain, a trailing {@code *} for
 * a prefix), {@code matchType} ({@code exact}, {@code prefix}, {@code host}, {@code domain}),
 * {@code from}, {@code to}, {@code closest}, {@code sort} ({@code closest}, {@code reverse}),
 * {@code limit} (at most the daemon's search limit), {@code filter} (repeated), {@code collapse}
 * (repeated), {@code collapseTime}, {@code fl} ({@link CaptureQuery#parseAll}), {@code output}
 * ({@code cdxj}, the default: one CDXJ line per capture, {@code text/plain}; or {@code json}: one
 * JSON object per line, {@code application/x-ndjson}). No capture is an empty 200, as pywb
 * answers.
 *
 * <pre>
 * /cdx ─► CaptureQuery ─► key query (prefix or range) ─► Searcher (the crawler, across
 *         machines) ─► CaptureQuery.select (whole SURT, times, order, limit) ─► lines
 * </pre>
 */
final class Cdx extends Handler.Abstract {
    static final String NDJSON = "application/x-ndjson;charset=utf-8";

    private final Searcher searcher;
    private final int maxLimit;

    Cdx(Searcher searcher, int maxLimit) {
        this.searcher = searcher;
        this.maxLimit = maxLimit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        CaptureQuery query;
        boolean json;
        try {
            Fields params = Request.extractQueryParameters(request);
            query = CaptureQuery.parseAll(params::getValuesOrEmpty, maxLimit);
            String output = params.getValue("output");
            String o = output == null ? "cdxj" : output.toLowerCase(Locale.ROOT);
            if (!o.equals("cdxj") && !o.equals("json")) {
                throw new IllegalArgumentException("output '" + output + "' is not cdxj or json");
            }
            json = o.equals("json");
        } catch (IllegalArgumentException e) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    String.valueOf(e.getMessage()));
        }
        Searcher.Result result = searcher.search(query.keyQuery(), 0);
        List<Entry> found = new ArrayList<>(result.hits().size());
        for (Searcher.Hit h : result.hits()) {
            found.add(h.entry());
        }
        StringBuilder body = new StringBuilder();
        for (Capture c : query.select(found)) {
            body.append(query.format(c, json)).append('\n');
        }
        return Replies.send(
                response,
                callback,
                HttpStatus.OK_200,
                json ? NDJSON : Replies.TEXT,
                body.toString());
    }
}
