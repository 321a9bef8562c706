package org.distree.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.distree.site.SearchAssets;
import org.distree.store.NodeStore;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpDateTime;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Serves the tree's files: {@code /index.html} and the node files {@code /n/<hex>.html} that
 * {@code NodeStore} writes, and for a site index (format version 2) its page records {@code
 * /p/<name>.html}, its search page and script ({@link SearchAssets}), and nothing else (any other path is left to the next handler), from
 * a {@link FileCache} that is always current.
 *
 * <pre>
 * GET/HEAD ─► allow-list ─► FileCache (stat; read on change)
 *   ─► If-Match / If-Unmodified-Since (412) ─► If-None-Match / If-Modified-Since (304)
 *   ─► Range (206, 416) ─► one write
 * </pre>
 *
 * <p>Each response is the status line, headers made once per file version (strong ETag,
 * Last-Modified, Content-Length) and the body in one buffer, so it leaves in one write. A
 * client that accepts gzip gets the gzipped bytes (made once per version) with their own ETag;
 * {@code Vary: Accept-Encoding} tells caches. One byte range is served as 206; several ranges
 * are answered with the whole file (RFC 9110 lets a server ignore Range).
 *
 * <p>Why an allow-list: a path reaches here only after Jetty has decoded and normalized it and
 * refused ambiguous forms (an encoded dot segment or slash gets 400); the list then admits only
 * names NodeStore makes, so no path can leave the data folder or reach {@code .distree/} (lock,
 * journal, token, submission queue), and no folder is ever listed.
 */
final class NodeFiles extends Handler.Abstract {
    /**
     * The names NodeStore gives node files, under its {@code n/} folder, and those a site index
     * adds: page records under {@code p/}, the search page and its script.
     */
    private static final Pattern SERVED = Pattern.compile("/index\\.html|/n/[0-9a-f]{1,16}\\.html|/"
            + NodeStore.RECORD_DIR
            + "/"
            + NodeStore.RECORD_NAME
            + "\\.html"
            + "|/"
            + Pattern.quote(SearchAssets.PAGE)
            + "|/"
            + Pattern.quote(SearchAssets.SCRIPT));

    private static final HttpField TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
    private static final HttpField SCRIPT_TYPE =
            new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/javascript;charset=utf-8");
    private static final HttpField VARY =
            new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding");
    private static final HttpField RANGES =
            new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    private static final HttpField GZIP =
            new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");
    private static final HttpField ALLOW = new PreEncodedHttpField(HttpHeader.ALLOW, "GET, HEAD");

    private final Path data;
    private final HttpField cacheControl;
    private final FileCache cache;

    /**
     * @param cacheMaxAge seconds a client may keep a file (Cache-Control max-age)
     * @param cacheBytes the most bytes of files kept in memory; 0 keeps none
     */
    NodeFiles(Path data, int cacheMaxAge, long cacheBytes) {
        // Answers from memory without blocking, so Jetty may call it on a selector thread; a
        // file that must be read from disk is read on a pool thread.
        super(InvocationType.NON_BLOCKING);
        this.data = data;
        this.cacheControl =
                new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "public, max-age=" + cacheMaxAge);
        this.cache = new FileCache(cacheBytes, Clock.systemUTC());
    }

    /** True when the decoded path names a file this handler may serve. */
    static boolean served(String path) {
        return SERVED.matcher(path).matches();
    }

    /** The Content-Type of a file served: HTML, but the search script. */
    private static HttpField typeOf(String path) {
        return path.endsWith(".js") ? SCRIPT_TYPE : TYPE;
    }

    /** The request headers this handler reads, found in one pass. */
    private static final class Asked {
        @Nullable
        String ifMatch;

        @Nullable
        String ifNoneMatch;

        @Nullable
        String ifModifiedSince;

        @Nullable
        String ifUnmodifiedSince;

        @Nullable
        String range;

        @Nullable
        String ifRange;

        boolean gzip;

        Asked(HttpFields headers) {
            for (HttpField f : headers) {
                HttpHeader h = f.getHeader();
                if (h == null) {
                    continue;
                }
                switch (h) {
                    case IF_MATCH -> ifMatch = f.getValue();
                    case IF_NONE_MATCH -> ifNoneMatch = f.getValue();
                    case IF_MODIFIED_SINCE -> ifModifiedSince = f.getValue();
                    case IF_UNMODIFIED_SINCE -> ifUnmodifiedSince = f.getValue();
                    case RANGE -> range = f.getValue();
                    case IF_RANGE -> ifRange = f.getValue();
                    case ACCEPT_ENCODING -> gzip |= acceptsGzip(f.getValue());
                    default -> {
                        // Not a header that changes the answer.
                    }
                }
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws IOException {
        String path = Request.getPathInContext(request);
        if (!served(path)) {
            return false;
        }
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(ALLOW);
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.METHOD_NOT_ALLOWED_405,
                    "a file can only be read (GET, HEAD)");
        }
        Path file = data.resolve(path.substring(1));
        FileCache.Version kept = cache.kept(file);
        if (kept != null) {
            return send(request, response, callback, kept, head, typeOf(path));
        }
        // Reading the disk may block: not on a selector thread.
        request.getComponents().getExecutor().execute(() -> {
            try {
                FileCache.Version v = cache.get(file);
                if (v == null) {
                    Replies.error(
                            request, response, callback, HttpStatus.NOT_FOUND_404, "not found");
                } else {
                    send(request, response, callback, v, head, typeOf(path));
                }
            } catch (Throwable t) {
                callback.failed(t);
            }
        });
        return true;
    }

    private boolean send(
            Request request,
            Response response,
            Callback callback,
            FileCache.Version v,
            boolean head,
            HttpField type) {
        Asked asked = new Asked(request.getHeaders());

        // RFC 9110 section 13.2.2: the preconditions, in this order.
        if (asked.ifMatch != null
                ? !anyTag(asked.ifMatch, v, true)
                : asked.ifUnmodifiedSince != null && modifiedAfter(v, asked.ifUnmodifiedSince)) {
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.PRECONDITION_FAILED_412,
                    "precondition failed");
        }
        boolean notModified = asked.ifNoneMatch != null
                ? anyTag(asked.ifNoneMatch, v, false)
                : asked.ifModifiedSince != null && notModifiedSince(v, asked.ifModifiedSince);

        // A range is of the plain bytes; a whole file goes gzipped to a client that takes it.
        List<ByteRange> ranges = asked.range != null && !notModified && rangeApplies(asked, v)
                ? ByteRange.parse(List.of(asked.range), v.size())
                : null;
        boolean gzip = asked.gzip && ranges == null;
        FileCache.Gzipped gz = gzip ? cache.gzipped(v) : null;

        HttpFields.Mutable h = response.getHeaders();
        h.put(gz != null ? gz.etagField() : v.etagField());
        h.put(v.lastModified());
        h.put(cacheControl);
        h.put(VARY);
        if (notModified) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            response.write(true, null, callback);
            return true;
        }
        h.put(type);
        h.put(RANGES);
        ByteBuffer body;
        if (ranges == null || ranges.size() > 1) {
            response.setStatus(HttpStatus.OK_200);
            if (gz != null) {
                h.put(GZIP);
                h.put(gz.contentLength());
                body = gz.bytes();
            } else {
                h.put(v.contentLength());
                body = v.bytes();
            }
        } else if (ranges.isEmpty()) {
            h.put(HttpHeader.CONTENT_RANGE, ByteRange.toNonSatisfiableHeaderValue(v.size()));
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.RANGE_NOT_SATISFIABLE_416,
                    "range not satisfiable");
        } else {
            ByteRange r = ranges.get(0);
            response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
            h.put(HttpHeader.CONTENT_RANGE, r.toHeaderValue(v.size()));
            h.put(HttpHeader.CONTENT_LENGTH, r.getLength());
            body = v.bytes();
            body.limit((int) r.last() + 1).position((int) r.first());
        }
        // HEAD: the same headers, no body (Content-Length says what a GET would send).
        response.write(true, head ? null : body, callback);
        return true;
    }

    /** Whether a Range applies: there is no If-Range, or it names this version. */
    private static boolean rangeApplies(Asked asked, FileCache.Version v) {
        String ifRange = asked.ifRange;
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"")) {
            return ifRange.equals(v.etag());
        }
        long since = HttpDateTime.parseToEpoch(ifRange);
        return since >= 0 && since / 1000 == v.modifiedSeconds();
    }

    /**
     * Whether a list of entity tags ({@code If-Match}, {@code If-None-Match}) names {@code v};
     * {@code *} names any file. {@code strong}: a weak tag never matches (If-Match).
     */
    private static boolean anyTag(String list, FileCache.Version v, boolean strong) {
        for (String tag : list.split(",", -1)) {
            String t = tag.strip();
            if (t.equals("*") || (!(strong && t.startsWith("W/")) && v.isTag(t))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an HTTP date is readable and {@code v} did not change after it; an unreadable date
     * is ignored (RFC 9110 section 13.1.3), so the whole file is sent.
     */
    private static boolean notModifiedSince(FileCache.Version v, String date) {
        long since = HttpDateTime.parseToEpoch(date);
        return since >= 0 && v.modifiedSeconds() <= since / 1000;
    }

    /** Whether {@code v} changed after an HTTP date; an unreadable date says no. */
    private static boolean modifiedAfter(FileCache.Version v, String date) {
        long since = HttpDateTime.parseToEpoch(date);
        return since >= 0 && v.modifiedSeconds() > since / 1000;
    }

    /**
     * Whether an Accept-Encoding value accepts gzip: {@code gzip} or {@code x-gzip} with a
     * quality above 0, or else {@code *} with a quality above 0.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        @Nullable Boolean gzip = null;
        boolean any = false;
        for (String item : acceptEncoding.split(",", -1)) {
            String[] parts = item.split(";", -1);
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean wanted = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        wanted = Double.parseDouble(p.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        wanted = false;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = wanted;
            } else if (coding.equals("*")) {
                any = wanted;
            }
        }
        return gzip != null ? gzip : any;
    }
}
