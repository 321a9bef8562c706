package org.distree.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.distree.archive.internal.JsStrings;
import org.distree.archive.internal.RequestRecord;
import org.jspecify.annotations.Nullable;

/**
 * The URL that keys a capture whose request was not a GET, and the {@code method} and {@code
 * requestBody} fields of its JSON block, as {@code warcio cdx-index} 2.4.11 makes them (its
 * {@code postToGetUrl}): the request body flattened into a query string, then {@code
 * __wb_method=} and the method, and that query, appended to the URL. So two POSTs to one URL
 * with different bodies get different SURT keys.
 *
 * <p>The body, by the part of the request's Content-Type before its first {@code ;} (compared
 * exactly, case and blanks included):
 *
 * <ul>
 *   <li>{@code application/x-www-form-urlencoded}: the body as UTF-8 text;
 *   <li>{@code application/json} and {@code text/plain}: the body read as JSON and flattened,
 *       each string, number, boolean and null a parameter named by its nearest key (an array
 *       repeats its key; a repeated name gets {@code .2_}, {@code .3_} …), in JavaScript's
 *       property order (integer keys first, ascending); a body that is not JSON flattens to
 *       nothing;
 *   <li>{@code multipart/form-data}: each part with {@code name="…"} and a blank line, its first
 *       line as the value;
 *   <li>anything else (no Content-Type included): {@code __wb_post_data=} and the body in base
 *       64.
 * </ul>
 *
 * <p>The query is cut to its first {@link #MAX_QUERY} UTF-16 units: that is {@code
 * requestBody}; for the URL it is then percent-decoded as {@code decodeURI} does (escapes of
 * {@code ;/?:@&=+$,#} kept), or dropped when that fails (a bad escape, an escape cut by the
 * cap). The URL is the target URI, {@code ?} (or {@code &} when it has a {@code ?} after its
 * first character), {@code __wb_method=}, the method as sent, {@code &}, and the query.
 *
 * <p>Limits: the JSON, text and multipart rules need the whole body, so a body of those types
 * over {@link RequestRecord#MAX_BLOCK} (what is read of a request) is refused, as is JSON nested
 * deeper than {@link #MAX_DEPTH} and a multipart boundary that is empty of meaning to a regular
 * expression (warcio builds one from it: a boundary with {@code \ ^ $ . | ? * + ( ) [ ] { }}, a
 * character outside printable ASCII, or more than {@link #MAX_BOUNDARY} characters): each with an
 * {@link IllegalArgumentException} naming the reason, which makes the capture a bad record.
 */
final class RequestQuery {
    /** warcio's cap on the query, in UTF-16 units: 4,096. */
    static final int MAX_QUERY = 4096;

    /** The deepest JSON nesting flattened: 1,000 (warcio's own recursion ends near 10,000). */
    static final int MAX_DEPTH = 1000;

    /** The longest multipart boundary read: 1,000 characters (RFC 2046 allows 70). */
    static final int MAX_BOUNDARY = 1000;

    // Enough body bytes for a base-64 query of MAX_QUERY characters (a multiple of 3).
    private static final int BASE64_BYTES = 3 * (MAX_QUERY / 4);

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    // The names an empty JavaScript object already answers `in` for (Object.prototype's).
    private static final Set<String> PROTOTYPE_NAMES = Set.of(
            "constructor",
            "__defineGetter__",
            "__defineSetter__",
            "hasOwnProperty",
            "__lookupGetter__",
            "__lookupSetter__",
            "isPrototypeOf",
            "propertyIsEnumerable",
            "toString",
            "valueOf",
            "__proto__",
            "toLocaleString");

    /**
     * What a request changes in a capture's index line.
     *
     * @param url the URL whose SURT keys the capture
     * @param method the {@code method} field, or null when the method is empty
     * @param requestBody the {@code requestBody} field, or null when the query is empty
     */
    record Result(
            String url, @Nullable String method, @Nullable String requestBody) {}

    private RequestQuery() {}

    /**
     * The key URL and fields for a capture of {@code url} whose request is {@code request}, or
     * null when the request changes nothing (its method is GET, or it has no request line).
     *
     * @throws IllegalArgumentException for a body this cannot flatten as warcio does (see the
     *     class comment)
     */
    static @Nullable Result of(String url, RequestRecord request) {
        String method = request.method();
        if (method == null || method.equals("GET")) {
            return null;
        }
        String contentType = request.contentType();
        int semicolon = contentType.indexOf(';');
        String mime = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        byte[] body = request.body();
        String query = switch (mime) {
            case "application/x-www-form-urlencoded" -> JsStrings.utf8(body, 0, body.length);
            case "application/json", "text/plain" -> json(text(request, mime));
            case "multipart/form-data" -> multipart(text(request, mime), contentType);
            default -> base64(body);
        };
        if (query.length() > MAX_QUERY) {
            query = query.substring(0, MAX_QUERY);
        }
        String decoded;
        try {
            decoded = JsStrings.decodeUri(query);
        } catch (IllegalArgumentException e) {
            decoded = ""; // warcio drops a query that decodeURI refuses
        }
        String keyUrl = method.isEmpty()
                ? url
                : url + (url.indexOf('?') > 0 ? "&" : "?") + "__wb_method=" + method + "&"
                        + decoded;
        return new Result(keyUrl, method.isEmpty() ? null : method, query.isEmpty() ? null : query);
    }

    /** The whole body as text, for the rules that read all of it. */
    private static String text(RequestRecord request, String mime) {
        if (!request.whole()) {
            throw new IllegalArgumentException(String.format(
                    java.util.Locale.ROOT,
                    "the request's %s body is over %,d bytes; its key needs all of it",
                    mime,
                    RequestRecord.MAX_BLOCK));
        }
        byte[] body = request.body();
        return JsStrings.utf8(body, 0, body.length);
    }

    private static String base64(byte[] body) {
        int n = body.length > BASE64_BYTES ? BASE64_BYTES : body.length;
        byte[] head = n == body.length ? body : java.util.Arrays.copyOf(body, n);
        return "__wb_post_data=" + Base64.getEncoder().encodeToString(head);
    }

    /** {@code URLSearchParams}, as far as warcio uses it: set (first place kept), has, toString. */
    private static final class Params {
        private final Map<String, String> pairs = new LinkedHashMap<>();
        private final Map<String, Integer> dupes = new HashMap<>();

        void set(String name, String value) {
            pairs.put(JsStrings.usv(name), JsStrings.usv(value));
        }

        /** warcio's getKey: a name already set gets {@code .2_}, {@code .3_} …. */
        String key(String key) {
            if (!pairs.containsKey(JsStrings.usv(key))) {
                return key;
            }
            if (PROTOTYPE_NAMES.contains(key)) {
                return key + ".NaN_"; // `key in dupes` holds for these, and ++ of a function is NaN
            }
            int n = dupes.getOrDefault(key, 1) + 1;
            dupes.put(key, n);
            return key + "." + n + "_";
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, String> e : pairs.entrySet()) {
                if (out.length() > 0) {
                    out.append('&');
                }
                JsStrings.formEncode(e.getKey(), out);
                out.append('=');
                JsStrings.formEncode(e.getValue(), out);
            }
            return out.toString();
        }
    }

    // ---- JSON (application/json, text/plain) ----

    private static final Object NULL = new Object();

    /** A JSON object in JavaScript's property order: integer keys ascending, then the others. */
    private static final class JsObject {
        final TreeMap<Long, Object> indexed = new TreeMap<>();
        final Map<String, Object> named = new LinkedHashMap<>();

        void put(String key, Object value) {
            long index = arrayIndex(key);
            if (index >= 0) {
                indexed.put(index, value);
            } else {
                named.put(key, value); // a repeated key keeps its first place, as JSON.parse does
            }
        }
    }

    /** The array index a key names (canonical digits up to 2^32 - 2), or -1. */
    private static long arrayIndex(String key) {
        int n = key.length();
        if (n == 0 || n > 10 || (n > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 4294967294L ? v : -1;
    }

    /** warcio's jsonToQueryString: the body parsed (as {@code {}} when it is not JSON), flattened. */
    static String json(String text) {
        Object root;
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            root = t == null ? new JsObject() : value(p, t);
            if (p.nextToken() != null) {
                root = new JsObject(); // JSON.parse refuses what follows the value
            }
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException(
                    "the request's JSON body is nested deeper than " + MAX_DEPTH + " levels", e);
        } catch (JsonProcessingException e) {
            root = new JsObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String does not fail to read
        }
        Params q = new Params();
        flatten(root, "", q);
        return q.toString();
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                JsObject o = new JsObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.put(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                List<Object> a = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(value(p, next));
                }
                return a;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return Double.parseDouble(p.getText());
            }
            case VALUE_TRUE -> {
                return true;
            }
            case VALUE_FALSE -> {
                return false;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default ->
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
    }

    /** warcio's parser: each leaf a parameter under its nearest key; empty strings left out. */
    private static void flatten(Object v, String key, Params q) {
        if (v instanceof JsObject o) {
            for (Map.Entry<Long, Object> e : o.indexed.entrySet()) {
                flatten(e.getValue(), Long.toString(e.getKey()), q);
            }
            for (Map.Entry<String, Object> e : o.named.entrySet()) {
                flatten(e.getValue(), e.getKey(), q);
            }
        } else if (v instanceof List<?> a) {
            for (Object item : a) {
                flatten(item, key, q);
            }
        } else if (v == NULL) {
            q.set(q.key(key), "null");
        } else if (v instanceof String s) {
            if (!s.isEmpty()) {
                q.set(q.key(key), s);
            }
        } else if (v instanceof Double d) {
            q.set(q.key(key), JsStrings.number(d));
        } else {
            q.set(q.key(key), v.toString()); // a Boolean: true or false
        }
    }

    // ---- multipart/form-data ----

    /**
     * warcio's mfdToQueryString: the body split at {@code -*BOUNDARY-*} (a regular expression,
     * ASCII case ignored), each part trimmed, and of each its first {@code name="N"} followed by
     * CR LF CR LF and a value up to the end of the line, set as N.
     */
    static String multipart(String body, String contentType) {
        int at = contentType.indexOf("boundary=");
        String boundary;
        if (at < 0) {
            boundary = "undefined"; // String(undefined), as warcio's RegExp is given
        } else {
            int from = at + "boundary=".length();
            int next = contentType.indexOf("boundary=", from);
            boundary = next < 0 ? contentType.substring(from) : contentType.substring(from, next);
        }
        Params q = new Params();
        if (boundary.isEmpty()) {
            return ""; // -*-* splits the body into single characters: no part names anything
        }
        if (boundary.length() > MAX_BOUNDARY) {
            throw new IllegalArgumentException(
                    "the request's multipart boundary is over " + MAX_BOUNDARY + " characters");
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            if (c < 0x20 || c > 0x7E || "\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("the request's multipart boundary holds '" + c
                        + "', which warcio's regular expression reads specially");
            }
        }
        for (String part : splitAtBoundary(body, boundary)) {
            namedValue(JsStrings.trim(part), q);
        }
        return q.toString();
    }

    /**
     * {@code body.split(/-*BOUNDARY-* /i)} for a boundary of literal characters: a match is a run
     * of at least as many dashes as the boundary starts with, the rest of the boundary, and the
     * dashes after it.
     */
    static List<String> splitAtBoundary(String s, String boundary) {
        int dashes = 0;
        while (dashes < boundary.length() && boundary.charAt(dashes) == '-') {
            dashes++;
        }
        String rest = boundary.substring(dashes);
        List<String> parts = new ArrayList<>();
        int n = s.length();
        int p = 0;
        int q = 0;
        while (q < n) {
            int start = -1;
            int end = -1;
            if (rest.isEmpty()) {
                // Only dashes: the first run of at least that many from q.
                int i = q;
                while (i < n) {
                    if (s.charAt(i) != '-') {
                        i++;
                        continue;
                    }
                    int j = i;
                    while (j < n && s.charAt(j) == '-') {
                        j++;
                    }
                    if (j - i >= dashes) {
                        start = i;
                        end = j;
                        break;
                    }
                    i = j;
                }
            } else {
                int run = q; // where the run of dashes before b starts, not before q
                for (int b = q; b + rest.length() <= n; b++) {
                    if (b > q && s.charAt(b - 1) != '-') {
                        run = b;
                    }
                    if (b - run >= dashes && matchesIgnoreAsciiCase(s, b, rest)) {
                        start = run;
                        end = b + rest.length();
                        while (end < n && s.charAt(end) == '-') {
                            end++;
                        }
                        break;
                    }
                }
            }
            if (start < 0) {
                break;
            }
            parts.add(s.substring(p, start));
            p = end;
            q = end;
        }
        parts.add(s.substring(p));
        return parts;
    }

    private static boolean matchesIgnoreAsciiCase(String s, int at, String literal) {
        for (int k = 0; k < literal.length(); k++) {
            char a = s.charAt(at + k);
            char b = literal.charAt(k);
            if (a != b && !(a < 0x80 && Character.toLowerCase(a) == Character.toLowerCase(b))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Of one part, the first match of {@code /name="([^"]+)"\r\n\r\n(.*)/i}: the value runs to
     * the first line terminator (LF, CR, U+2028, U+2029).
     */
    private static void namedValue(String part, Params q) {
        int n = part.length();
        int quote = -1; // the first quote at or after the current name's start
        for (int i = indexOfName(part, 0); i >= 0; i = indexOfName(part, i + 1)) {
            int from = i + 6;
            if (quote < from) {
                quote = part.indexOf('"', from);
                if (quote < 0) {
                    return;
                }
            }
            if (quote > from && part.startsWith("\r\n\r\n", quote + 1)) {
                int v = quote + 5;
                int e = v;
                while (e < n && "\n\r\u2028\u2029".indexOf(part.charAt(e)) < 0) {
                    e++;
                }
                q.set(part.substring(from, quote), part.substring(v, e));
                return;
            }
        }
    }

    /** The next {@code name="} at or after {@code from}, ASCII case ignored, or -1. */
    private static int indexOfName(String s, int from) {
        for (int i = from; i + 6 <= s.length(); i++) {
            if (matchesIgnoreAsciiCase(s, i, "name=\"")) {
                return i;
            }
        }
        return -1;
    }
}
