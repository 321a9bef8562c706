package org.distree.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;

/**
 * A query of the CDX server API, as pywb and the Wayback Machine answer it: the captures of a
 * URL ({@code matchType=exact}), of every URL that starts with it ({@code prefix}), of its host
 * ({@code host}) or of its domain and every subdomain ({@code domain}); only those from {@code
 * from} to {@code to} (timestamps of 1 to 14 digits: {@code 2015} is the year 2015, both ends
 * inclusive); ordered by SURT and time (CDXJ order), reversed ({@code sort=reverse}), or by
 * distance from {@code closest} ({@code sort=closest}, the default when {@code closest} is
 * given); at most {@code limit} ({@code 0}: all). As in pywb, {@code url=*.example.com} is a
 * domain query and {@code url=example.com/path*} a prefix query; a URL without a scheme is taken
 * as {@code http://}.
 *
 * <p>The work is split in two so that any search can run it: {@link #keyQuery()} is the key
 * query to run on the tree (a prefix of the key rule's keys, or for one URL with a time range,
 * a key range), and {@link #select} keeps, from the entries it found, the captures that match
 * the whole SURT and the times (a cut key's prefix finds more than asked), and orders and limits
 * them.
 *
 * @param surt the SURT of the URL asked for (for prefix queries, the prefix)
 * @param match how the SURT is matched
 * @param from the earliest timestamp, padded to 14 digits, or null
 * @param to the latest timestamp, padded to 14 digits, or null
 * @param closest the timestamp to sort by distance from, padded, or null
 * @param sort the order
 * @param limit at most this many captures; 0 for all
 */
public record CaptureQuery(
        String surt,
        MatchType match,
        @Nullable String from,
        @Nullable String to,
        @Nullable String closest,
        Sort sort,
        int limit) {
    /** How a capture's SURT is matched. */
    public enum MatchType {
        EXACT,
        PREFIX,
        HOST,
        DOMAIN
    }

    /** The order of the answer. */
    public enum Sort {
        /** CDXJ order: SURT, then time. */
        DEFAULT,
        /** CDXJ order reversed. */
        REVERSE,
        /** Nearest to {@code closest} first; ties in CDXJ order. */
        CLOSEST
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern(
                    "uuuuMMddHHmmss", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    public CaptureQuery {
        CaptureKey.requireSurt(surt);
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        if (sort == Sort.CLOSEST && closest == null) {
            throw new IllegalArgumentException("sort=closest needs closest=TIMESTAMP");
        }
        if (from != null && to != null && Keys.compare(from, to) > 0) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /**
     * The query that CDX server parameters ask for, read by name: {@code url} (required), {@code
     * matchType}, {@code from}, {@code to}, {@code closest}, {@code sort}, {@code limit}.
     *
     * @param param a parameter's value by name, or null when it is absent
     * @param maxLimit the most captures one answer may hold; a larger or absent {@code limit} is
     *     this (0: no cap)
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public static CaptureQuery parse(Function<String, @Nullable String> param, int maxLimit) {
        String url = param.apply("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        url = url.strip();
        String m = param.apply("matchType");
        MatchType match = m == null ? null : matchType(m);
        if (url.startsWith("*.")) {
            url = url.substring(2);
            match = match == null ? MatchType.DOMAIN : match;
        } else if (url.endsWith("*")) {
            url = url.substring(0, url.length() - 1);
            match = match == null ? MatchType.PREFIX : match;
        }
        if (match == null) {
            match = MatchType.EXACT;
        }
        if (!url.contains("://")) {
            url = "http://" + url;
        }
        String surt = Surt.of(url);
        String closest = pad(param.apply("closest"), "closest", "10000101000000");
        String s = param.apply("sort");
        Sort sort;
        if (s == null || s.isEmpty()) {
            sort = closest != null ? Sort.CLOSEST : Sort.DEFAULT;
        } else {
            sort = switch (s.toLowerCase(Locale.ROOT)) {
                case "closest" -> Sort.CLOSEST;
                case "reverse" -> Sort.REVERSE;
                case "default" -> Sort.DEFAULT;
                default ->
                    throw new IllegalArgumentException(
                            "sort '" + s + "' is not closest, reverse or default");
            };
        }
        int limit = maxLimit;
        String l = param.apply("limit");
        if (l != null && !l.isEmpty()) {
            try {
                limit = Integer.parseInt(l.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit '" + l + "' is not a number");
            }
            if (maxLimit > 0 && (limit > maxLimit || limit == 0)) {
                limit = maxLimit;
            }
        }
        return new CaptureQuery(
                surt,
                match,
                pad(param.apply("from"), "from", "00000000000000"),
                pad(param.apply("to"), "to", "99999999999999"),
                closest,
                sort,
                limit);
    }

    private static MatchType matchType(String m) {
        return switch (m.toLowerCase(Locale.ROOT)) {
            case "exact" -> MatchType.EXACT;
            case "prefix" -> MatchType.PREFIX;
            case "host" -> MatchType.HOST;
            case "domain" -> MatchType.DOMAIN;
            default ->
                throw new IllegalArgumentException(
                        "matchType '" + m + "' is not exact, prefix, host or domain");
        };
    }

    /** A timestamp of 1 to 14 digits, completed from {@code fill}; null stays null. */
    private static @Nullable String pad(@Nullable String ts, String name, String fill) {
        if (ts == null || ts.isEmpty()) {
            return null;
        }
        String t = ts.strip();
        if (t.length() > 14 || t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " '" + ts + "' is not 1 to 14 digits");
        }
        return t + fill.substring(t.length());
    }

    /** What a capture's SURT must start with for this query (for domain: and more, see select). */
    String surtPrefix() {
        return switch (match) {
            case EXACT, PREFIX -> surt;
            case HOST -> Surt.hostPart(surt) + ")/";
            case DOMAIN -> domain();
        };
    }

    /** The domain's SURT host, without a port. */
    private String domain() {
        String host = Surt.hostPart(surt);
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The key query to run on a capture index: a prefix, or a key range. */
    public Query keyQuery() {
        if (match == MatchType.EXACT) {
            String part = CaptureKey.keyPart(surt) + " ";
            if (from == null && to == null) {
                return Query.prefix(part);
            }
            // Keys of one SURT differ only in their 14 digits: "!" sorts above none of them.
            return Query.range(
                    part + (from == null ? "" : from),
                    part + (to == null ? "99999999999999" : to) + "!");
        }
        return Query.prefix(CaptureKey.searchPrefix(surtPrefix()));
    }

    /** True when a capture answers this query. */
    public boolean matches(Capture c) {
        String s = c.surt();
        boolean where = switch (match) {
            case EXACT -> s.equals(surt);
            case PREFIX, HOST -> s.startsWith(surtPrefix());
            case DOMAIN -> {
                String d = domain();
                String host = Surt.hostPart(s);
                yield host.equals(d) || host.startsWith(d + ",") || host.startsWith(d + ":");
            }
        };
        return where
                && (from == null || Keys.compare(c.timestamp(), from) >= 0)
                && (to == null || Keys.compare(c.timestamp(), to) <= 0);
    }

    /**
     * The answer from the entries a search of {@link #keyQuery()} found, in any order and with
     * repeats: the captures that match, once each, in this query's order, at most {@code limit}.
     * Entries that are not captures are passed over.
     */
    public List<Capture> select(Iterable<Entry> found) {
        Map<String, Capture> byLine = new LinkedHashMap<>();
        for (Entry e : found) {
            Capture c = Capture.fromEntry(e);
            if (c != null && matches(c)) {
                byLine.putIfAbsent(c.line(), c);
            }
        }
        List<Capture> out = new ArrayList<>(byLine.values());
        Comparator<Capture> cdxj = Comparator.comparing(Capture::line, Keys.ORDER);
        switch (sort) {
            case DEFAULT -> out.sort(cdxj);
            case REVERSE -> out.sort(cdxj.reversed());
            case CLOSEST -> {
                long target = seconds(java.util.Objects.requireNonNull(closest));
                out.sort(Comparator.<Capture>comparingLong(
                                c -> Math.abs(seconds(c.timestamp()) - target))
                        .thenComparing(cdxj));
            }
        }
        return limit > 0 && out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Seconds since 1970 of a 14-digit timestamp; one that is no date sorts last. */
    private static long seconds(String ts) {
        try {
            return LocalDateTime.parse(ts, TS).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /**
     * A capture as pywb's {@code output=json} writes it: one JSON object with {@code urlkey} and
     * {@code timestamp}, then the fields of its JSON block.
     */
    public static String json(Capture c) {
        ObjectNode o = Capture.JSON.createObjectNode();
        o.put("urlkey", c.surt());
        o.put("timestamp", c.timestamp());
        try {
            JsonNode fields = Capture.JSON.readTree(c.json());
            if (fields instanceof ObjectNode obj) {
                o.setAll(obj);
            }
            return Capture.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a capture's JSON block was checked when read", e);
        }
    }
}
