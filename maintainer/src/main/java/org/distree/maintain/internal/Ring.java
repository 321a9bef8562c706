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
 * SHA-256 of {@code ORIGIN#i} as a fraction {@code u} in [0, 1), mapped to a key through the
 * <em>scale</em>, a sorted sample of the keys in the index: the key at {@code u} of the way
 * through it. Keys drawn unevenly (most words start with a few letters) so still spread evenly
 * over the machines. A key is held by the machine whose place is the last at or before it (the
 * ring wraps: keys before the first place belong to the last) and by the machines of the places
 * before that, until {@code replicas} distinct machines hold it.
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
     * @param scale keys seen in the index, in any order; repeats count once; at most {@link
     *     #MAX_SCALE} are used, evenly spread
     * @param positions places per machine, at least 1
     * @param replicas holders per key, at least 1
     */
    public static Ring of(
            Collection<String> machines, Collection<String> scale, int positions, int replicas) {
        Map<String, List<String>> published = new LinkedHashMap<>();
        for (String m : machines) {
            published.put(m, placesOf(m, scale, positions));
        }
        return of(published, replicas);
    }

    /**
     * The places machine {@code origin} takes over {@code scale} (see the class comment): {@code
     * positions} keys, in order of {@code i}.
     */
    public static List<String> placesOf(String origin, Collection<String> scale, int positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("positions " + positions + " must be 1 or more");
        }
        List<String> keys = thin(new ArrayList<>(new TreeSet<>(scale)));
        int room = (MAX_ENCODED - (positions - 1)) / positions;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            double u = fraction(origin + "#" + i);
            out.add(shorten(keys.isEmpty() ? "" : keys.get((int) (u * keys.size())), room));
        }
        return out;
    }

    /**
     * The longest prefix of {@code key} (whole code points) whose encoding takes at most {@code
     * room} characters: a place a little before the key, so that a machine's places fit in one
     * attribute ({@value #MAX_ENCODED} bytes, FORMAT.md's limit for an unknown attribute).
     */
    static String shorten(String key, int room) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            String one = new String(Character.toChars(cp));
            int cost = encode(List.of(one)).length();
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
    public static Ring of(Map<String, List<String>> places, int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas " + replicas + " must be 1 or more");
        }
        List<Place> out = new ArrayList<>();
        int machines = 0;
        for (Map.Entry<String, List<String>> m : places.entrySet()) {
            Set<String> keys = new TreeSet<>(m.getValue());
            if (keys.isEmpty()) {
                continue;
            }
            machines++;
            keys.forEach(k -> out.add(new Place(Bound.of(k), m.getKey())));
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
     * A machine's places as its root publishes them ({@code data-places}): each key
     * percent-encoded in UTF-8, separated by spaces.
     */
    public static String encode(List<String> places) {
        StringBuilder sb = new StringBuilder();
        for (String k : places) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /**
     * The places in a root's {@code data-places} value, or none when it is missing or cannot be
     * read whole (another machine's file: a bad value is ignored, not trusted in part); at most
     * {@link #MAX_PLACES}.
     */
    public static List<String> decode(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        if (value.length() > MAX_ENCODED) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        for (String p : value.trim().split(" +", -1)) {
            parts.add(p);
        }
        if (parts.size() > MAX_PLACES) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            for (String p : parts) {
                String k = URLDecoder.decode(p, StandardCharsets.UTF_8);
                if (k.length() > MAX_PLACE_CHARS) {
                    return List.of();
                }
                out.add(k);
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

    private static List<String> thin(List<String> sorted) {
        if (sorted.size() <= MAX_SCALE) {
            return sorted;
        }
        List<String> out = new ArrayList<>(MAX_SCALE);
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
