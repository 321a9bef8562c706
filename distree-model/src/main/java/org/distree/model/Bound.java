package org.distree.model;

/**
 * A point in key order: a key, and a link that breaks ties between entries with the same key.
 *
 * <p>An entry sits at the point (key, link). A bound with an empty link sits before every entry
 * with that key, which is the usual case: the link part is only needed where one key has more
 * entries than fit in one leaf. The key of a bound made by a query may be any string (it need not
 * be a valid key).
 */
public record Bound(String key, String link) implements Comparable<Bound> {
    /** A bound before every entry with this key. */
    public static Bound of(String key) {
        return new Bound(key, "");
    }

    @Override
    public int compareTo(Bound o) {
        int c = Keys.compare(key, o.key);
        return c != 0 ? c : Keys.compare(link, o.link);
    }

    /**
     * The shortest bound {@code b} with {@code prev < b <= next}: a separator between two nodes.
     */
    public static Bound between(Bound prev, Bound next) {
        if (prev.compareTo(next) >= 0) {
            throw new IllegalArgumentException("separator needs prev < next");
        }
        if (!prev.key.equals(next.key)) {
            return of(Keys.shortestSeparator(prev.key, next.key));
        }
        return new Bound(next.key, Keys.shortestSeparator(prev.link, next.link));
    }

    @Override
    public String toString() {
        return link.isEmpty() ? key : key + " @" + link;
    }
}
