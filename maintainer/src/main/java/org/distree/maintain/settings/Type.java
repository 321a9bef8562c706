package org.distree.maintain.settings;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a setting's value: how its text (already stripped of surrounding blanks) is read
 * and what it must be. A text that is not a value says why in a phrase that follows the value in
 * the message, such as "is not a whole number" or "must be at least 1".
 *
 * <p>Numbers may group digits with underscores ({@code 1_000_000}). Byte counts may end in
 * {@code k}, {@code m} or {@code g} (or {@code KiB}, {@code MiB}, {@code GiB}), powers of 1024
 * as in nginx: {@code 64m} is 67,108,864 bytes. Booleans and choices ignore case.
 *
 * @param <T> the value's Java type
 */
public final class Type<T> {
    /** Why a text is not a value of a type. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String why) {
            super(why, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(String text) throws Invalid;
    }

    private static final Pattern WHOLE = Pattern.compile("-?[0-9][0-9_]*");
    private static final Pattern BYTES =
            Pattern.compile("(-?[0-9][0-9_]*) *(?:([kmg])(?:ib)?)?", Pattern.CASE_INSENSITIVE);

    private final Reader<T> reader;
    private final boolean emptyIsNone;

    private Type(Reader<T> reader, boolean emptyIsNone) {
        this.reader = reader;
        this.emptyIsNone = emptyIsNone;
    }

    /** Reads a value; the caller has checked {@link #isNone} first. */
    T read(String text) throws Invalid {
        return reader.read(text);
    }

    /** True when {@code text} stands for no value (see {@link #orNone}). */
    boolean isNone(String text) {
        return emptyIsNone && text.isEmpty();
    }

    /** This type, where an empty text means that there is no value (rather than a bad one). */
    public Type<T> orNone() {
        return new Type<>(reader, true);
    }

    /** {@code true} or {@code false}, in any case. */
    public static Type<Boolean> bool() {
        return new Type<>(
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new Invalid("must be true or false");
                },
                false);
    }

    /** A whole number from {@code min} to {@code max} that fits an {@code int}. */
    public static Type<Integer> integer(int min, int max) {
        return new Type<>(text -> (int) within(whole(text), min, max, Integer.MAX_VALUE), false);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Type<Long> number(long min, long max) {
        return new Type<>(text -> within(whole(text), min, max, Long.MAX_VALUE), false);
    }

    /**
     * A count of bytes from {@code min} to {@code max}: a whole number, or one followed by
     * {@code k}, {@code m} or {@code g} (KiB, MiB, GiB).
     */
    public static Type<Long> bytes(long min, long max) {
        long typeMax = max <= Integer.MAX_VALUE ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return new Type<>(
                text -> {
                    Matcher m = BYTES.matcher(text);
                    if (!m.matches()) {
                        throw new Invalid("is not a byte count (a whole number, or one with k, m"
                                + " or g for KiB, MiB or GiB, such as 64m)");
                    }
                    BigInteger n =
                            new BigInteger(Objects.requireNonNull(m.group(1)).replace("_", ""));
                    String unit = m.group(2);
                    int shift = unit == null
                            ? 0
                            : switch (unit.toLowerCase(Locale.ROOT)) {
                                case "k" -> 10;
                                case "m" -> 20;
                                default -> 30; // g: the pattern takes no other unit
                            };
                    return within(n.shiftLeft(shift), min, max, typeMax);
                },
                false);
    }

    /** A time in whole milliseconds, at least {@code min}. */
    public static Type<Duration> millis(long min) {
        return new Type<>(
                text -> Duration.ofMillis(within(whole(text), min, Long.MAX_VALUE, Long.MAX_VALUE)),
                false);
    }

    /** Any text, the empty text included. */
    public static Type<String> text() {
        return new Type<>(text -> text, false);
    }

    /** A file or folder path; not empty. */
    public static Type<Path> path() {
        return new Type<>(
                text -> {
                    if (text.isEmpty()) {
                        throw new Invalid("is empty");
                    }
                    try {
                        return Path.of(text);
                    } catch (InvalidPathException e) {
                        throw new Invalid("is not a path (" + e.getReason() + ")");
                    }
                },
                false);
    }

    /** An http or https URL with a host. */
    public static Type<URI> httpUrl() {
        return new Type<>(text -> http(text, "is not an http or https URL with a host"), false);
    }

    /**
     * The public URL of a machine's tree folder: an http or https URL with a host and no query
     * or fragment, read with a slash added at its end when it has none.
     */
    public static Type<URI> baseUrl() {
        String why = "is not an http or https URL with a host and no query, such as"
                + " https://node.example.org/";
        return new Type<>(
                text -> {
                    URI u = http(text.endsWith("/") ? text : text + "/", why);
                    if (u.getRawQuery() != null || u.getRawFragment() != null) {
                        throw new Invalid(why);
                    }
                    return u;
                },
                false);
    }

    /** One of the constants of {@code choices}, named in lower case (any case is read). */
    public static <E extends Enum<E>> Type<E> choice(Class<E> choices) {
        List<E> all = List.copyOf(EnumSet.allOf(choices));
        StringBuilder names = new StringBuilder("must be ");
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                names.append(i == all.size() - 1 ? " or " : ", ");
            }
            names.append(all.get(i).name().toLowerCase(Locale.ROOT));
        }
        String why = names.toString();
        return new Type<>(
                text -> {
                    for (E e : all) {
                        if (e.name().equalsIgnoreCase(text)) {
                            return e;
                        }
                    }
                    throw new Invalid(why);
                },
                false);
    }

    /**
     * Values of {@code element} separated by commas, each stripped of blanks; empty items are
     * skipped, so an empty text is an empty list.
     */
    public static <E> Type<List<E>> list(Type<E> element) {
        return new Type<>(
                text -> {
                    List<E> out = new ArrayList<>();
                    for (String item : text.split(",", -1)) {
                        String s = item.strip();
                        if (s.isEmpty()) {
                            continue;
                        }
                        try {
                            out.add(element.read(s));
                        } catch (Invalid e) {
                            throw new Invalid("holds '" + s + "', which " + e.getMessage());
                        }
                    }
                    return List.copyOf(out);
                },
                false);
    }

    private static URI http(String text, String why) throws Invalid {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new Invalid("is not a URL (" + e.getReason() + ")");
        }
        String scheme = u.getScheme();
        if (scheme == null
                || (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https"))
                || u.getHost() == null) {
            throw new Invalid(why);
        }
        return u;
    }

    private static BigInteger whole(String text) throws Invalid {
        if (!WHOLE.matcher(text).matches()) {
            throw new Invalid("is not a whole number");
        }
        return new BigInteger(text.replace("_", ""));
    }

    /**
     * {@code n} if it is from {@code min} to {@code max}; {@code typeMax} is the most the Java
     * type holds, a bound that goes unsaid when it is {@code max}.
     */
    private static long within(BigInteger n, long min, long max, long typeMax) throws Invalid {
        if (n.compareTo(BigInteger.valueOf(min)) >= 0
                && n.compareTo(BigInteger.valueOf(max)) <= 0) {
            return n.longValueExact();
        }
        if (max == typeMax) {
            throw new Invalid(
                    n.signum() < 0 || n.compareTo(BigInteger.valueOf(min)) < 0
                            ? "must be at least " + grouped(min)
                            : "must be at most " + grouped(max));
        }
        throw new Invalid("must be " + grouped(min) + " to " + grouped(max));
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
