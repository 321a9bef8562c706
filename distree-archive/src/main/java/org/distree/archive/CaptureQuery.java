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
 * given); at most {@code limit} ({@code 0}: all). Filters ({@code filter=}, repeated: all
 * must pass) and collapsing ({@code collapse=}, {@code collapseTime=}) keep some of them, and
 * {@code fl=} picks the fields written ({@link #format}): see {@link #parseAll}. As in pywb, {@code url=*.example.com} is a
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
 * @param filters the filters a capture must all pass
 * @param collapses each drops a capture whose field (or its first characters) is that of the
 *     capture kept before it, in CDXJ order
 * @param collapseTime pywb's {@code collapseTime}: drops a capture whose first {@code
 *     collapseTime} digits of timestamp and whose status are those of the capture kept before
 *     it; 0 for none
 * @param fields the fields written ({@code fl}), full names; empty for all
 */
public record CaptureQuery(
        String surt,
        MatchType match,
        @Nullable String from,
        @Nullable String to,
        @Nullable String closest,
        Sort sort,
        int limit,
        List<CaptureFilter> filters,
        List<Collapse> collapses,
        int collapseTime,
        List<String> fields) {
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

    /**
     * One {@code collapse=FIELD[:N]}, as the Wayback Machine's CDX server defines it: of
     * adjacent captures whose field (its first {@code chars} characters; 0: all of it) is the
     * same, only the first is kept.
     *
     * @param field the field's full name
     * @param chars how many characters are compared; 0 for the whole value
     */
    public record Collapse(String field, int chars) {
        public Collapse {
            if (chars < 0) {
                throw new IllegalArgumentException("collapse: " + chars + " is negative");
            }
        }

        /** The part of a capture's fields this compares. */
        String token(Map<String, String> f) {
            String v = f.getOrDefault(field, "");
            return chars > 0 && v.length() > chars ? v.substring(0, chars) : v;
        }
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
        if (collapseTime < 0 || collapseTime > 14) {
            throw new IllegalArgumentException("collapseTime " + collapseTime + " is not 0 to 14");
        }
        filters = List.copyOf(filters);
        collapses = List.copyOf(collapses);
        fields = List.copyOf(fields);
    }

    /** A query without filters, collapsing or a field list. */
    public CaptureQuery(
            String surt,
            MatchType match,
            @Nullable String from,
            @Nullable String to,
            @Nullable String closest,
            Sort sort,
            int limit) {
        this(surt, match, from, to, closest, sort, limit, List.of(), List.of(), 0, List.of());
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
        return parseAll(
                name -> {
                    String v = param.apply(name);
                    return v == null ? List.of() : List.of(v);
                },
                maxLimit);
    }

    /**
     * The query that CDX server parameters ask for, each name with all its values (a parameter
     * given once has one, an absent one none; where one value is meant, the first is taken).
     * Besides those of {@link #parse}:
     *
     * <ul>
     *   <li>{@code filter}, any number of times: {@link CaptureFilter} ({@code
     *       [!][=|~]FIELD:EXPRESSION}, as pywb defines it); a capture must pass them all;
     *   <li>{@code collapse=FIELD[:N]}, any number of times (the Wayback Machine's CDX server:
     *       pywb has no {@code collapse}): of adjacent captures, in CDXJ order after filtering,
     *       whose field, or its first N characters, is the same, the first is kept;
     *   <li>{@code collapseTime=N} (pywb's): of adjacent captures whose first N digits of
     *       timestamp and whose status are the same, the first is kept;
     *   <li>{@code fl} (or pywb's {@code fields}): the fields written, comma-separated ({@code
     *       urlkey}, {@code timestamp}, {@code url}, {@code mime}, {@code status}, {@code digest},
     *       {@code length}, {@code offset}, {@code filename}; also the short names of {@link
     *       CdxFields#name}).
     * </ul>
     *
     * <p>As in pywb: filtering and collapsing come before the order ({@code sort}, {@code
     * closest}) and the limit.
     *
     * @param values all the values of a parameter by name; empty when it is absent
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public static CaptureQuery parseAll(Function<String, List<String>> values, int maxLimit) {
        Function<String, @Nullable String> param = name -> {
            List<String> v = values.apply(name);
            return v.isEmpty() ? null : v.get(0);
        };
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
        List<CaptureFilter> filters = new ArrayList<>();
        for (String f : values.apply("filter")) {
            filters.add(CaptureFilter.parse(f));
        }
        List<Collapse> collapses = new ArrayList<>();
        for (String c : values.apply("collapse")) {
            int colon = c.indexOf(':');
            String field = colon < 0 ? c : c.substring(0, colon);
            if (field.isEmpty()) {
                throw new IllegalArgumentException("collapse '" + c + "' names no field");
            }
            int chars = colon < 0 ? 0 : number("collapse", c.substring(colon + 1), 1);
            collapses.add(new Collapse(CdxFields.name(field), chars));
        }
        String ct = param.apply("collapseTime");
        int collapseTime = ct == null || ct.isEmpty() ? 0 : number("collapseTime", ct, 1);
        if (collapseTime > 14) {
            throw new IllegalArgumentException("collapseTime '" + ct + "' is not 1 to 14");
        }
        List<String> fields = new ArrayList<>();
        List<String> fl = new ArrayList<>(values.apply("fl"));
        fl.addAll(values.apply("fields"));
        for (String list : fl) {
            for (String f : list.split(",", -1)) {
                String name = f.strip();
                if (!name.isEmpty()) {
                    fields.add(CdxFields.name(name));
                }
            }
        }
        return new CaptureQuery(
                surt,
                match,
                pad(param.apply("from"), "from", "00000000000000"),
                pad(param.apply("to"), "to", "99999999999999"),
                closest,
                sort,
                limit,
                filters,
                collapses,
                collapseTime,
                fields);
    }

    /** A whole number of at least {@code min}, named for its message. */
    private static int number(String name, String s, int min) {
        int n;
        try {
            n = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + s + "' is not a number");
        }
        if (n < min) {
            throw new IllegalArgumentException(name + " '" + s + "' is below " + min);
        }
        return n;
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
        out.sort(cdxj);
        if (!filters.isEmpty() || !collapses.isEmpty() || collapseTime > 0) {
            out = refine(out);
        }
        switch (sort) {
            case DEFAULT -> {}
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

    /** The captures, in CDXJ order, that pass the filters and are not collapsed. */
    private List<Capture> refine(List<Capture> sorted) {
        List<Capture> out = new ArrayList<>();
        String[] last = new String[collapses.size()];
        String lastTime = null;
        for (Capture c : sorted) {
            Map<String, String> f = CdxFields.of(c);
            boolean keep = true;
            for (CaptureFilter filter : filters) {
                keep &= filter.test(c, f);
            }
            // Each collapse sees what the ones before it kept, as a chain of them would.
            for (int i = 0; keep && i < last.length; i++) {
                String t = collapses.get(i).token(f);
                keep = !t.equals(last[i]);
                last[i] = t;
            }
            if (keep && collapseTime > 0) {
                String ts = c.timestamp().substring(0, collapseTime);
                String t = ts + " " + f.getOrDefault("status", "");
                keep = !t.equals(lastTime);
                lastTime = t;
            }
            if (keep) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * A capture as this query writes it: the CDXJ line or, for {@code output=json}, {@link
     * #json}; with a field list ({@code fl}), as pywb writes it: for JSON, an object of the
     * listed fields the capture has, in the list's order; for CDXJ, the SURT, the timestamp and
     * an object of the listed fields other than those two.
     */
    public String format(Capture c, boolean asJson) {
        if (fields.isEmpty()) {
            return asJson ? json(c) : c.line();
        }
        Map<String, String> f = CdxFields.of(c);
        ObjectNode o = Capture.mapper().createObjectNode();
        for (String name : fields) {
            String v = f.get(name);
            if (v != null && (asJson || !(name.equals("urlkey") || name.equals("timestamp")))) {
                o.put(name, v);
            }
        }
        try {
            String obj = Capture.mapper().writeValueAsString(o);
            return asJson ? obj : c.surt() + " " + c.timestamp() + " " + obj;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object of strings is always written", e);
        }
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
        ObjectNode o = Capture.mapper().createObjectNode();
        o.put("urlkey", c.surt());
        o.put("timestamp", c.timestamp());
        try {
            JsonNode fields = Capture.mapper().readTree(c.json());
            if (fields instanceof ObjectNode obj) {
                o.setAll(obj);
            }
            return Capture.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a capture's JSON block was checked when read", e);
        }
    }
}
