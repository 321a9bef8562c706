package org.distree.archive;

import org.distree.archive.internal.RequestRecord;
import org.distree.archive.internal.WarcHeader;
import org.jspecify.annotations.Nullable;

/**
 * Which request record goes with which response, as {@code warcio cdx-index} 2.4.11 pairs them:
 * by adjacency alone (not by {@code WARC-Concurrent-To}). Each record is held until the next one
 * is read; a {@code response} or {@code revisit} and a {@code request} next to it, in either
 * order, with the same target URI (both without one counting as the same), are a pair, and
 * neither is held any longer; any other record is let go unpaired when the next one comes, or at
 * the end. wget writes each request just before its response, so each response is paired.
 *
 * <pre>
 * request A, response A   ─► (response A, request A)
 * response A, request A   ─► (response A, request A)
 * request A, response B   ─► (request A, -) (response B, ...)   URIs differ: no pair
 * response A, metadata A, request A ─► (response A, -) ...      not next to each other
 * </pre>
 *
 * <p>Holds one record (a request with up to {@link RequestRecord#MAX_BLOCK} bytes of its body)
 * at a time. Not thread-safe: one per file reader.
 */
final class RequestPairing {
    /**
     * A record to index (or pass over: the caller filters), with the request it pairs with, if
     * any.
     */
    record Pair(WarcHeader record, @Nullable RequestRecord request) {}

    private @Nullable WarcHeader last;
    private @Nullable RequestRecord lastRequest;

    /**
     * Takes the next record of the file ({@code request} given for a request record) and returns
     * what is decided now: the record held before, unpaired or with this request; this record,
     * with the request held before; or null.
     */
    @Nullable
    Pair next(WarcHeader record, @Nullable RequestRecord request) {
        WarcHeader prev = last;
        RequestRecord prevRequest = lastRequest;
        last = record;
        lastRequest = request;
        if (prev == null) {
            return null;
        }
        if (!java.util.Objects.equals(uri(prev), uri(record))) {
            return new Pair(prev, null);
        }
        if (record.type().equals("request") && capture(prev)) {
            clear();
            return new Pair(prev, request);
        }
        if (capture(record) && prev.type().equals("request")) {
            clear();
            return new Pair(record, prevRequest);
        }
        return new Pair(prev, null);
    }

    /** At the end of the records read (or before a bad one): the record held, unpaired, or null. */
    @Nullable
    Pair end() {
        WarcHeader prev = last;
        clear();
        return prev == null ? null : new Pair(prev, null);
    }

    private void clear() {
        last = null;
        lastRequest = null;
    }

    private static boolean capture(WarcHeader h) {
        return h.type().equals("response") || h.type().equals("revisit");
    }

    /** The target URI as warcio compares it: trimmed, without the {@code <>} wget puts around it. */
    static @Nullable String uri(WarcHeader h) {
        String url = h.targetUri();
        if (url == null) {
            return null;
        }
        url = url.strip();
        if (url.startsWith("<") && url.endsWith(">")) {
            url = url.substring(1, url.length() - 1);
        }
        return url;
    }
}
