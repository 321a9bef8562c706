package org.distree.maintain.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.distree.model.Bound;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * Which machines hold which keys: consistent hashing laid over the key order, so that each
 * machine holds a few ranges of keys and a range stays a range (a range search reads few
 * machines).
 *
 * <p>Each machine takes {@code positions} places: for place {@code i}, the first 8 bytes of
 * SHA-256 of {@code ORIGIN#i} as a fraction {@code u} in [0, 1), mapped to a point through the
 * <em>scale</em>, a sorted sample of the points in the index (entries' positions, key and link,
 * and the bounds of nodes): the point at {@code u} of the way through it. Keys drawn unevenly
 * (most words start with a few letters) so still spread evenly over the machines, and a hot key
 * (one key with many entries) takes places between its links, so several machines share it. A
 * point is held by the machine whose place is the last at or before it (the ring wraps: points
 * before the first place belong to the last) and by the machines of the places before that,
 * until {@code replicas} distinct machines hold it.
 *
 * <p>Every machine computes the ring from what it knows (the machines it reached, the keys it
 * read), so two machines agree when they know the same; where they do not, a range may briefly
 * have fewer holders or more, which the search survives (it prefers the node that vouches for a
 * range, {@link org.distree.model.Node#PARTIAL}, and reads alternates past partial ones).
 * Immutable.
 */
public final class Ring {
    /** Keys kept in a scale at most: more are thinned evenly. */
    public static final int MAX_SCALE = 4096;

    private record Place(Bound at, String machine) {}

    private final List<Place> places;
    private final int replicas;
    private final int machines;

    private Ring(List<Place> places, int replicas, int machines) {
        this.places = places;
        this.replicas = replicas;
        this.machines = machines;
    }

    /**
     * The ring of these machines.
     *
     * @param machines origins ({@code scheme://host[:port]}); repeats count once
     * @param scale points seen in the index (entries' positions, nodes' bounds), in any order;
     *     repeats count once; at most {@link #MAX_SCALE} are used, evenly spread
     * @param positions places per machine, at least 1
     * @param replicas holders per key, at least 1
     */
    public static Ring of(
            Collection<String> machines, Collection<Bound> scale, int positions, int replicas) {
        Map<String, List<Bound>> published = new LinkedHashMap<>();
        for (String m : machines) {
            published.put(m, placesOf(m, scale, positions));
        }
        return of(published, replicas);
    }

    /**
     * The places machine {@code origin} takes over {@code scale} (see the class comment): {@code
     * positions} points, in order of {@code i}. A place that falls inside the entries of one key
     * (a hot key, whose entries fill many points of the scale) is a point between two of its
     * links, so that a key with more entries than a machine's share is held by several machines
     * in link order; any other place is a key. Their encoding fits {@value #MAX_ENCODED}
     * characters: the longest are shortened first (a prefix is a place a little before).
     */
    public static List<Bound> placesOf(String origin, Collection<Bound> scale, int positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("positions " + positions + " must be 1 or more");
        }
        List<Bound> points = thin(new ArrayList<>(new TreeSet<>(scale)));
        List<Bound> out = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            if (points.isEmpty()) {
                out.add(Bound.of(""));
                continue;
            }
            int j = (int) (fraction(origin + "#" + i) * points.size());
            Bound at = points.get(j);
            boolean insideKey = j > 0 && points.get(j - 1).key().equals(at.key());
            out.add(insideKey ? Bound.between(points.get(j - 1), at) : Bound.of(at.key()));
        }
        return fit(out);
    }

    /**
     * The places, each shortened as little as needed so that all fit in one attribute ({@value
     * #MAX_ENCODED} characters encoded, spaces included): the longest are shortened first, and a
     * shortened place is a place a little before ({@link #shorten}).
     */
    public static List<Bound> fit(List<Bound> places) {
        int room = room(places, MAX_ENCODED - (places.size() - 1));
        List<Bound> fitted = new ArrayList<>();
        for (Bound b : places) {
            fitted.add(shorten(b, room));
        }
        return fitted;
    }

    /**
     * The most characters each place may take, encoded, so that all fit in {@code budget}: no
     * limit (the budget) when they fit as they are, else the highest level that the places over
     * it can be cut to.
     */
    private static int room(List<Bound> places, int budget) {
        int lo = 0;
        int hi = budget;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            long used = 0;
            for (Bound b : places) {
                used += Math.min(mid, encode(List.of(b)).length());
            }
            if (used <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The place, shortened so that its encoding takes at most {@code room} characters: the key
     * when the link part does not fit, the key's longest prefix (whole code points) when the key
     * does not fit; either is a place a little before, so that a machine's places fit in one
     * attribute ({@value #MAX_ENCODED} bytes, FORMAT.md's limit for an unknown attribute).
     */
    static Bound shorten(Bound place, int room) {
        int keyCost = encodeKey(place.key()).length();
        if (keyCost > room) {
            return Bound.of(prefixWithin(place.key(), room, Ring::encodeKey));
        }
        String link = prefixWithin(place.link(), room - keyCost - 1, Ring::encodeLink);
        return new Bound(place.key(), link);
    }

    /** The longest prefix of {@code text} (whole code points) whose encoding fits {@code room}. */
    private static String prefixWithin(
            String text, int room, java.util.function.UnaryOperator<String> encoding) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String one = new String(Character.toChars(cp));
            int cost = encoding.apply(one).length();
            if (used + cost > room) {
                break;
            }
            out.append(one);
            used += cost;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** The most characters a machine's places take, encoded. */
    static final int MAX_ENCODED = 256;

    /**
     * The ring of machines whose places are known: each machine's keys as it published them
     * ({@link #decode}); a machine with none is not on the ring.
     */
    public static Ring of(Map<String, List<Bound>> places, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas " + replicas + " must be 1 or more");
        }
        List<Place> out = new ArrayList<>();
        int machines = 0;
        for (Map.Entry<String, List<Bound>> m : places.entrySet()) {
            Set<Bound> points = new TreeSet<>(m.getValue());
            if (points.isEmpty()) {
                continue;
            }
            machines++;
            points.forEach(b -> out.add(new Place(b, m.getKey())));
        }
        out.sort(Comparator.comparing(Place::at).thenComparing(Place::machine));
        return new Ring(List.copyOf(out), replicas, machines);
    }

    /**
     * The name of this ring ({@link org.distree.model.Node#RING}): 16 lowercase hex digits of a
     * SHA-256 over its machines and their places, in order. Equal for two machines that see the
     * same machines at the same places.
     */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Place p : places) {
                sha.update((p.machine() + " " + p.at() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Places one machine may publish at most; more are not read. */
    public static final int MAX_PLACES = 16;

    /**
     * A machine's places as its root publishes them ({@code data-places}), separated by spaces:
     * each place's key percent-encoded in UTF-8, then, for a place inside one key's entries,
     * {@code ~} and its link, percent-encoded but for letters, digits and {@code -._*:/}.
     */
    public static String encode(List<Bound> places) {
        StringBuilder sb = new StringBuilder();
        for (Bound b : places) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(encodeKey(b.key()));
            if (!b.link().isEmpty()) {
                sb.append('~').append(encodeLink(b.link()));
            }
        }
        return sb.toString();
    }

    private static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A link part: a URL's usual characters kept, so that a place's link takes little room. */
    private static String encodeLink(String link) {
        StringBuilder sb = new StringBuilder();
        for (byte b : link.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean kept = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._*:/".indexOf(c) >= 0;
            if (kept) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(java.util.Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    /**
     * The places in a root's {@code data-places} value, or none when it is missing or cannot be
     * read whole (another machine's file: a bad value is ignored, not trusted in part); at most
     * {@link #MAX_PLACES}.
     */
    public static List<Bound> decode(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        if (value.length() > MAX_ENCODED) {
            return List.of();
        }
        String[] parts = value.trim().split(" +", -1);
        if (parts.length > MAX_PLACES) {
            return List.of();
        }
        List<Bound> out = new ArrayList<>();
        try {
            for (String p : parts) {
                int tilde = p.indexOf('~');
                String k = URLDecoder.decode(
                        tilde < 0 ? p : p.substring(0, tilde), StandardCharsets.UTF_8);
                String link = tilde < 0
                        ? ""
                        : URLDecoder.decode(p.substring(tilde + 1), StandardCharsets.UTF_8);
                if (k.length() > MAX_PLACE_CHARS) {
                    return List.of();
                }
                out.add(new Bound(k, link));
            }
        } catch (IllegalArgumentException bad) {
            return List.of();
        }
        return out;
    }

    /** The longest key a place may be, in chars (a key's limit, FORMAT.md). */
    static final int MAX_PLACE_CHARS = 64;

    /** The number of distinct machines on the ring. */
    public int machines() {
        return machines;
    }

    /**
     * The machines that hold {@code point}, the first being the owner of the place at or before
     * it: {@code replicas} of them, or every machine when there are fewer.
     */
    public List<String> holders(Bound point) {
        if (places.isEmpty()) {
            return List.of();
        }
        int at = placeAtOrBefore(point);
        return holdersOfSegment(at);
    }

    /**
     * One of a machine's places and the segment it starts.
     *
     * @param place the place, as published
     * @param own the keys from the place to the next place on the ring, which the machine holds
     *     first: one range, or two when it wraps round (the piece up to the end of the key space,
     *     then the piece from its start), in ring order; none when another machine's place is at
     *     the same point after it
     * @param heldBefore true when the machine also holds the segment that ends at the place (it
     *     has another place among the {@code replicas} machines back): moving the place forward
     *     then passes keys that it still holds
     */
    public record Share(Bound place, List<Range> own, boolean heldBefore) {}

    /** The places of {@code machine} on this ring, in ring order; none for one not on it. */
    public List<Share> shares(String machine) {
        List<Share> out = new ArrayList<>();
        for (int j = 0; j < places.size(); j++) {
            if (places.get(j).machine().equals(machine)) {
                boolean before =
                        holdersOfSegment(Math.floorMod(j - 1, places.size())).contains(machine);
                out.add(new Share(places.get(j).at(), segment(j), before));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The keys of segment {@code j}, from place {@code j} to the next: none when the next place
     * is at the same point, two ranges for the last segment (it wraps round), else one.
     */
    private List<Range> segment(int j) {
        int n = places.size();
        Bound at = places.get(j).at();
        if (j == n - 1) {
            Bound first = places.get(0).at();
            return first.compareTo(Bound.of("")) > 0
                    ? List.of(new Range(at, null), new Range(null, first))
                    : List.of(new Range(at, null));
        }
        Bound next = places.get(j + 1).at();
        return at.compareTo(next) < 0 ? List.of(new Range(at, next)) : List.of();
    }

    /** True when {@code machine} holds {@code point}. */
    public boolean holds(String machine, Bound point) {
        return holders(point).contains(machine);
    }

    /**
     * The ranges {@code machine} holds, in key order, adjacent ones joined; the whole key space
     * when the ring has no more machines than replicas; none for a machine not on the ring.
     */
    public List<Range> arcs(String machine) {
        if (places.isEmpty()) {
            return List.of();
        }
        if (machines <= replicas) {
            boolean on = places.stream().anyMatch(p -> p.machine().equals(machine));
            return on ? List.of(Range.ALL) : List.of();
        }
        int n = places.size();
        // Segment j runs from place j to place j + 1; the last wraps round to the first, so
        // in key order it is two pieces: [last, +inf) and (-inf, first).
        boolean lastHeld = holdersOfSegment(n - 1).contains(machine);
        List<Range> out = new ArrayList<>();
        Bound start = null;
        boolean open = lastHeld; // the wrapped segment's lower piece opens the key space
        for (int j = 0; j < n; j++) {
            Bound at = places.get(j).at();
            if (j < n - 1 && places.get(j + 1).at().equals(at)) {
                // Places of several machines at one key (hot keys): the segments between them
                // hold no key, so they neither end an arc nor start one.
                continue;
            }
            boolean held = j == n - 1 ? lastHeld : holdersOfSegment(j).contains(machine);
            if (held && !open) {
                start = at;
                open = true;
            } else if (!held && open) {
                add(out, start, at);
                open = false;
            }
        }
        if (open) {
            add(out, start, null);
        }
        return List.copyOf(out);
    }

    /** True when every key of {@code range} is in one of {@code arcs} (joined, in order). */
    public static boolean within(List<Range> arcs, Range range) {
        for (Range a : arcs) {
            if (a.encloses(range)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code point} is in one of {@code arcs}. */
    public static boolean contains(List<Range> arcs, Bound point) {
        for (Range a : arcs) {
            if (a.contains(point)) {
                return true;
            }
        }
        return false;
    }

    /** The keys in both lists of ranges, as ranges in key order. */
    public static List<Range> intersect(List<Range> a, List<Range> b) {
        List<Range> out = new ArrayList<>();
        for (Range x : a) {
            for (Range y : b) {
                if (x.meets(y)) {
                    out.add(x.intersect(y));
                }
            }
        }
        out.sort((x, y) -> Range.compareLows(x.low(), y.low()));
        return out;
    }

    /** True when some key of {@code range} is in one of {@code arcs}. */
    public static boolean meets(List<Range> arcs, Range range) {
        for (Range a : arcs) {
            if (a.meets(range)) {
                return true;
            }
        }
        return false;
    }

    private static void add(List<Range> out, @Nullable Bound low, @Nullable Bound high) {
        if (low != null && high != null && low.compareTo(high) >= 0) {
            return; // places at one key: an empty segment
        }
        out.add(new Range(low, high));
    }

    /** The index of the last place at or before the point; the last place for one before all. */
    private int placeAtOrBefore(Bound point) {
        int lo = 0;
        int hi = places.size() - 1;
        int found = places.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (places.get(mid).at().compareTo(point) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private List<String> holdersOfSegment(int j) {
        Set<String> out = new LinkedHashSet<>();
        int n = places.size();
        for (int k = 0; k < n && out.size() < replicas; k++) {
            out.add(places.get(Math.floorMod(j - k, n)).machine());
        }
        return List.copyOf(out);
    }

    private static List<Bound> thin(List<Bound> sorted) {
        if (sorted.size() <= MAX_SCALE) {
            return sorted;
        }
        List<Bound> out = new ArrayList<>(MAX_SCALE);
        for (int i = 0; i < MAX_SCALE; i++) {
            out.add(sorted.get((int) ((long) i * sorted.size() / MAX_SCALE)));
        }
        return out;
    }

    /** The first 8 bytes of SHA-256 of the text, as a fraction in [0, 1). */
    static double fraction(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return (v >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
