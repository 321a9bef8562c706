package org.distree.crawl;

import java.net.URI;
import java.util.List;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * What a search found, what it skipped and why, and how it went.
 *
 * @param hits the results, best first, at most the request's limit
 * @param total the number of results before the limit
 * @param keys the keys looked up (the words after analysis), or the prefix or range bounds
 * @param analyzer the analyzer that made them
 * @param skipped what the walk could not use, and why, in the order met
 * @param visits the walk itself: each node visited, for {@code --explain}
 * @param stats counts and time
 */
public record SearchResult(
        List<Hit> hits,
        int total,
        List<String> keys,
        String analyzer,
        List<Skip> skipped,
        List<Visit> visits,
        Stats stats) {
    public SearchResult {
        hits = List.copyOf(hits);
        keys = List.copyOf(keys);
        skipped = List.copyOf(skipped);
        visits = List.copyOf(visits);
    }

    /**
     * One result: an entry, the keys under which its link was found, and how many distinct
     * leaves list its link.
     *
     * @param entry the entry (for several words, the one found for the first word it matched);
     *     for a record entry whose page record was read, the record's target under the entry's
     *     key: the page's link, title, comment and digest
     * @param matched the keys whose lookups found the link, in query order
     * @param leaves distinct leaf nodes that list the link under a matching key
     * @param record the page record the entry linked (format version 2), or null when the entry
     *     was not a record entry; when the record could not be read, the entry is the record
     *     entry itself (its link the record's, its title a label), and why is in {@link
     *     SearchResult#skipped()}
     * @param score the sum, over the matched keys, of the record entries' scores for them
     *     ({@code data-score}, FORMAT.md; the highest where a key lists the link more than
     *     once); 0 when none carried one
     */
    public record Hit(
            Entry entry,
            List<String> matched,
            int leaves,
            @Nullable URI record,
            long score) {
        public Hit {
            matched = List.copyOf(matched);
        }

        /** A result that did not come through a page record, without a score. */
        public Hit(Entry entry, List<String> matched, int leaves) {
            this(entry, matched, leaves, null, 0);
        }

        /** A result that did not come through a page record yet, with its score. */
        public Hit(Entry entry, List<String> matched, int leaves, long score) {
            this(entry, matched, leaves, null, score);
        }

        /** How many of the query's keys found this link. */
        public int words() {
            return matched.size();
        }
    }

    /** Something the walk could not use, and why. */
    public record Skip(String url, String reason) {}

    /**
     * A node the walk visited.
     *
     * @param url the node's URL, with its fragment for an orphan copy
     * @param parent the node whose link led here, or null for a root
     * @param why why it was visited: {@code root}, {@code covers RANGE}, {@code alternate for
     *     RANGE}, {@code root page pointer}
     * @param height the node's height, or -1 when it could not be read
     * @param millis time from asking for the file to having it parsed (0 when shared)
     * @param bytes bytes fetched for it (0 when its file was already fetched by this search)
     * @param error why it could not be used, or null
     */
    public record Visit(
            URI url,
            @Nullable URI parent,
            String why,
            int height,
            double millis,
            int bytes,
            @Nullable String error) {

        /**
         * The visit on one line, as {@code search --trace} prints it: time, bytes, height, URL,
         * why, the parent and why it failed (control characters shown as {@code ?}).
         */
        public String describe() {
            return String.format(
                            java.util.Locale.ROOT,
                            "%8.1f ms %9s B  %-4s %s  %s%s%s",
                            millis,
                            String.format(java.util.Locale.ROOT, "%,d", bytes),
                            height < 0 ? "h=?" : "h=" + height,
                            url,
                            why,
                            parent == null ? "" : "  <- " + parent,
                            error == null ? "" : "  FAILED: " + error)
                    .replaceAll("[\\p{Cntrl}\\p{Cf}&&[^\\u200d]]", "?");
        }
    }

    /**
     * What a search cost.
     *
     * @param fetches files asked for (each at most once per search): node files and page
     *     records
     * @param nodes nodes read and used
     * @param hosts distinct hosts asked
     * @param bytes bytes of node files received
     * @param failures fetches or nodes that failed
     * @param millis the search's wall time
     * @param complete false when a budget ran out before the walk ended
     * @param records page records asked for, of {@code fetches}
     */
    public record Stats(
            int fetches,
            int nodes,
            int hosts,
            long bytes,
            int failures,
            double millis,
            boolean complete,
            int records) {}
}
