package org.distree.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a capture by name, as pywb's CDX server sees them: {@code urlkey} (the SURT),
 * {@code timestamp}, then the JSON block's fields in their order ({@code url}, {@code mime},
 * {@code status}, {@code digest}, {@code length}, {@code offset}, {@code filename}, and any
 * other), each as text. Names may also be given as pywb's short and old forms ({@link #name}).
 */
final class CdxFields {
    private CdxFields() {}

    /**
     * The field a name stands for, as pywb's {@code CDXObject.CDX_ALT_FIELDS} maps them: {@code
     * u} and {@code original} are {@code url}; {@code statuscode} is {@code status}; {@code
     * mimetype} and {@code m} are {@code mime}; {@code l} and {@code s} are {@code length}
     * (pywb's table names {@code s} twice, and the second, {@code length}, is the one it keeps);
     * {@code o} is {@code offset}, {@code d} {@code digest}, {@code t} {@code timestamp}, {@code
     * k} {@code urlkey}, {@code f} {@code filename}; any other name is itself.
     */
    static String name(String n) {
        return switch (n) {
            case "u", "original" -> "url";
            case "statuscode" -> "status";
            case "mimetype", "m" -> "mime";
            case "l", "s" -> "length";
            case "o" -> "offset";
            case "d" -> "digest";
            case "t" -> "timestamp";
            case "k" -> "urlkey";
            case "f" -> "filename";
            default -> n;
        };
    }

    /** The capture's fields, in order; a JSON value that is not a string is its JSON text. */
    static Map<String, String> of(Capture c) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("urlkey", c.surt());
        out.put("timestamp", c.timestamp());
        JsonNode node;
        try {
            node = Capture.mapper().readTree(c.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a capture's JSON block was checked when read", e);
        }
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                JsonNode v = f.getValue();
                out.put(name(f.getKey()), v.isTextual() ? v.asText() : v.toString());
            }
        }
        return out;
    }
}
