package org.distree.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.distree.input.EntryReader;
import org.distree.input.InputException;
import org.distree.input.InputFormat;
import org.distree.model.Entry;
import org.distree.server.metrics.Metrics;
import org.distree.server.write.EntryWriter;
import org.distree.server.write.Token;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /entries}: adds entries to this machine's tree. Needs {@code Authorization: Bearer
 * TOKEN}. The body is TSV ({@code text/tab-separated-values} or {@code text/plain}: key, link,
 * then optional title, comment, digest, score), JSON Lines ({@code application/x-ndjson}) or
 * JSON ({@code application/json}: one object or an array of objects with the fields key, link,
 * title, comment, digest, score), read by the same {@link EntryReader} as {@code distree add}.
 *
 * <p>All or nothing: the whole body is read and checked first, and one bad record refuses the
 * request (400, naming the line) with nothing stored. The 200 is sent only once the entries are
 * durable on disk, in the daemon's entry log ({@link EntryWriter}); searches and the node files
 * show them once they are applied to the tree, normally within a second, later under a heavy
 * load of writes. With {@code ?wait=applied} the 200 waits until then ({@code "applied": true}
 * in the answer); a failure to apply them answers 500, the entries staying durable in the log.
 */
final class Entries extends Handler.Abstract {
    private final Token token;
    private final EntryWriter writer;
    private final int maxEntries;
    private final int maxBodyBytes;
    private final Metrics metrics;

    Entries(Token token, EntryWriter writer, int maxEntries, int maxBodyBytes, Metrics metrics) {
        this.token = token;
        this.writer = writer;
        this.maxEntries = maxEntries;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        metrics.counter("distree_entries_requests_total", "POST /entries requests, by outcome.");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.METHOD_NOT_ALLOWED_405,
                    "use POST to add entries");
        }
        if (!token.matches(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            metrics.inc("distree_entries_requests_total", "outcome", "unauthorized");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"distree\"");
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.UNAUTHORIZED_401,
                    "a valid bearer token is required (Authorization: Bearer TOKEN)");
        }
        boolean waitApplied;
        String wait = Request.extractQueryParameters(request).getValue("wait");
        if (wait == null || wait.equals("durable")) {
            waitApplied = false;
        } else if (wait.equals("applied")) {
            waitApplied = true;
        } else {
            metrics.inc("distree_entries_requests_total", "outcome", "invalid");
            return Replies.error(
                    request,
                    response,
                    callback,
                    HttpStatus.BAD_REQUEST_400,
                    "wait must be durable (the default) or applied");
        }
        List<Entry> entries;
        try {
            InputFormat format = format(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
            byte[] body = Bodies.read(request, maxBodyBytes);
            entries = parse(body, format, maxEntries);
        } catch (Bodies.BodyException e) {
            metrics.inc("distree_entries_requests_total", "outcome", "invalid");
            return Replies.error(
                    request, response, callback, e.status, String.valueOf(e.getMessage()));
        }
        EntryWriter.Receipt receipt = writer.submit(entries);
        boolean durable = false;
        try {
            receipt.durable().get();
            durable = true;
            if (waitApplied) {
                receipt.applied().get();
            }
        } catch (ExecutionException e) {
            metrics.inc("distree_entries_requests_total", "outcome", "failed");
            Throwable cause = e.getCause() == null ? e : e.getCause();
            int status = cause instanceof EntryWriter.StoppingException
                    ? HttpStatus.SERVICE_UNAVAILABLE_503
                    : HttpStatus.INTERNAL_SERVER_ERROR_500;
            // A failure to apply says itself that the entries are kept.
            String said = durable
                    ? String.valueOf(cause.getMessage())
                    : "the entries were not stored: " + cause.getMessage();
            return Replies.error(request, response, callback, status, said);
        }
        metrics.inc("distree_entries_requests_total", "outcome", "added");
        ObjectNode o = Replies.JSON.createObjectNode();
        o.put("added", entries.size());
        o.put("applied", waitApplied);
        return Replies.json(response, callback, HttpStatus.OK_200, o);
    }

    /** The format a Content-Type names, or a 415 (EntriesBodyFuzzTest). */
    static InputFormat format(@Nullable String contentType) throws Bodies.BodyException {
        String t = contentType == null
                ? ""
                : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "text/tab-separated-values", "text/plain" -> InputFormat.TSV;
            case "application/x-ndjson", "application/jsonl", "application/json" ->
                InputFormat.JSONL;
            default ->
                throw new Bodies.BodyException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        "Content-Type must be text/tab-separated-values, application/json or"
                                + " application/x-ndjson");
        };
    }

    /**
     * The entries of a body, at least one and at most {@code maxEntries}, or a 400 or 413 saying
     * why not (EntriesBodyFuzzTest).
     */
    static List<Entry> parse(byte[] body, InputFormat format, int maxEntries)
            throws Bodies.BodyException {
        byte[] lines = format == InputFormat.JSONL ? jsonLines(body) : body;
        List<Entry> out = new ArrayList<>();
        try (EntryReader reader =
                new EntryReader(new ByteArrayInputStream(lines), "body", format, false)) {
            Entry e;
            while ((e = reader.next()) != null) {
                if (out.size() >= maxEntries) {
                    throw new Bodies.BodyException(
                            HttpStatus.PAYLOAD_TOO_LARGE_413,
                            "more than " + maxEntries + " entries in one request");
                }
                out.add(e);
            }
        } catch (InputException e) {
            throw new Bodies.BodyException(
                    HttpStatus.BAD_REQUEST_400, String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw new Bodies.BodyException(
                    HttpStatus.BAD_REQUEST_400, String.valueOf(e.getMessage()));
        }
        if (out.isEmpty()) {
            throw new Bodies.BodyException(
                    HttpStatus.BAD_REQUEST_400, "the body holds no" + " entries");
        }
        return out;
    }

    /**
     * A JSON array becomes one line per item (so a bad item is reported by its number); JSON
     * Lines and a single object pass through.
     */
    private static byte[] jsonLines(byte[] body) throws Bodies.BodyException {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i == body.length || body[i] != '[') {
            return body;
        }
        JsonNode array;
        try {
            // UTF-8 only, as a JSON Lines body: given bytes, Jackson would also take UTF-16 and
            // UTF-32 (found by EntriesBodyFuzzTest's seeds: a UTF-16 array was accepted where
            // the same entries as JSON Lines were refused).
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            array = Replies.JSON.readTree(text);
        } catch (CharacterCodingException e) {
            throw new Bodies.BodyException(HttpStatus.BAD_REQUEST_400, "body: bytes are not UTF-8");
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage();
            throw new Bodies.BodyException(
                    HttpStatus.BAD_REQUEST_400, "body: not valid JSON: " + why);
        }
        StringBuilder out = new StringBuilder(body.length + 16);
        for (JsonNode item : array) {
            out.append(item.isObject() ? item.toString() : "null").append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
