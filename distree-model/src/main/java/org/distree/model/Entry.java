package org.distree.model;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A leaf item: a key and the {@link Target} it leads to (a link, the link's title, a short
 * comment, a digest).
 *
 * <p>Entries sort by key, then by link (both in code point order); a leaf holds at most one
 * entry per (key, link). Title and comment are kept in canonical form (see {@link Text}); a title
 * equal to the link (as visible text) is the same as no title. Limits: key {@value
 * Keys#MAX_KEY_BYTES} bytes, link {@value #MAX_LINK_BYTES}, title {@value #MAX_TITLE_BYTES},
 * comment {@value #MAX_COMMENT_BYTES}, digest {@value #MAX_DIGEST_BYTES}.
 *
 * <p>The words of one page are many entries with one target: {@link #withKey} makes them
 * sharing it, checking only the new key, and writers may reuse what they made of a target they
 * have seen (see NodeWriter).
 *
 * <p>A <em>record entry</em> ({@link #record(String, String, String)}, format version 2) leads
 * to a page record rather than to the page: its link names a record file ({@code
 * ../p/1a.html}) that holds the page's link, title, comment and digest once for all its words,
 * and its title is a short label. It has no comment, digest or extra attributes of its own.
 *
 * <p>Any entry may carry a <em>score</em>: how well its link answers its key ({@link
 * Target#score()}, higher is better): a record entry's in its record list's {@code data-scores},
 * a plain entry's in its item's {@code data-score} (FORMAT.md, <em>Scores</em>).
 */
public record Entry(String key, Target target) implements Comparable<Entry> {
    public static final int MAX_LINK_BYTES = 2048;
    public static final int MAX_TITLE_BYTES = 512;
    public static final int MAX_COMMENT_BYTES = 1024;
    public static final int MAX_DIGEST_BYTES = 128;
    /** The largest score an entry may carry: 1,000,000. */
    public static final int MAX_SCORE = 1_000_000;

    public Entry {
        Keys.requireKey(key);
        java.util.Objects.requireNonNull(target, "target");
    }

    /**
     * An entry made of its fields.
     *
     * @param digest a digest of the linked content, such as {@code sha256-…}, or null
     * @param extra attributes of the item that this version of Distree does not know; kept as
     *     read
     */
    public Entry(
            String key,
            String link,
            String title,
            String comment,
            @Nullable String digest,
            Map<String, String> extra) {
        // The key is checked first, so a bad key is what a bad entry is told of; the canonical
        // constructor's check of it again costs one scan of a short string.
        this(Keys.requireKey(key), new Target(link, title, comment, digest, extra));
    }

    /**
     * What an entry leads to, checked and put in canonical form once however many entries share
     * it.
     *
     * @param digest a digest of the linked content, such as {@code sha256-…}, or null
     * @param extra attributes of the item that this version of Distree does not know; kept as
     *     read
     * @param record true when the link names a page record (format version 2) and the title is
     *     its label: then comment, digest and extra are empty, since the record holds them
     * @param score the entry's relevance score for its key, 1 to {@value #MAX_SCORE} (higher
     *     is better), or 0 for none
     */
    public record Target(
            String link,
            String title,
            String comment,
            @Nullable String digest,
            Map<String, String> extra,
            boolean record,
            int score) {
        /** A target that is not a record link. */
        public Target(
                String link,
                String title,
                String comment,
                @Nullable String digest,
                Map<String, String> extra) {
            this(link, title, comment, digest, extra, false, 0);
        }

        /** A target without a score. */
        public Target(
                String link,
                String title,
                String comment,
                @Nullable String digest,
                Map<String, String> extra,
                boolean record) {
            this(link, title, comment, digest, extra, record, 0);
        }

        public Target {
            link = link.strip();
            if (link.isEmpty()) {
                throw new IllegalArgumentException("link is empty");
            }
            Text.requireMaxBytes("link", link, MAX_LINK_BYTES);
            requireNoControl("link", link);
            title = Text.normalize(title);
            // A leaf shows the link where there is no title, and a reader sees that text as the
            // title: compare before the title's limit, so a link longer than a title can be
            // read back, and compare with the link as visible text, so "a  b" reads back as no
            // title.
            if (title.equals(Text.normalize(link))) {
                title = "";
            }
            Text.requireMaxBytes("title", title, MAX_TITLE_BYTES);
            comment = Text.requireMaxBytes("comment", Text.normalize(comment), MAX_COMMENT_BYTES);
            if (digest != null) {
                digest = Text.requireMaxBytes("digest", digest.strip(), MAX_DIGEST_BYTES);
                requireNoControl("digest", digest);
                if (digest.isEmpty()) {
                    digest = null;
                }
            }
            extra = Text.requireExtra(extra);
            if (record && (!comment.isEmpty() || digest != null || !extra.isEmpty())) {
                throw new IllegalArgumentException("a record link carries no comment, digest or"
                        + " attributes of its own: its record holds them");
            }
            if (score < 0 || score > MAX_SCORE) {
                throw new IllegalArgumentException(
                        "score " + score + " is outside 0.." + MAX_SCORE);
            }
        }

        /** The same target with another score (0 for none). */
        public Target withScore(int newScore) {
            return newScore == score
                    ? this
                    : new Target(link, title, comment, digest, extra, record, newScore);
        }

        /** The title, or the link when there is no title. */
        public String displayTitle() {
            return title.isEmpty() ? link : title;
        }
    }

    /**
     * {@link Keys#requireNoControl}, after a quick pass that passes printable ASCII (most links
     * and every digest) without looking at code points.
     */
    private static void requireNoControl(String what, String value) {
        if (!Keys.isPrintableAscii(value)) {
            Keys.requireNoControl(what, value);
        }
    }

    /** An entry with no digest and no extra attributes. */
    public static Entry of(String key, String link, String title, String comment) {
        return new Entry(key, link, title, comment, null, Map.of());
    }

    /**
     * A record entry: {@code key} leads to the page record at {@code recordLink} (relative to
     * the leaf, such as {@code ../p/1a.html}), shown as {@code label} in the leaf.
     */
    public static Entry record(String key, String recordLink, String label) {
        return record(key, recordLink, label, 0);
    }

    /**
     * A record entry with a score: how well its page answers {@code key}, 1 to {@value
     * #MAX_SCORE} (0 for none).
     */
    public static Entry record(String key, String recordLink, String label, int score) {
        return new Entry(
                Keys.requireKey(key),
                new Target(recordLink, label, "", null, Map.of(), true, score));
    }

    /** This entry's score for its key, or 0 when it has none. */
    public int score() {
        return target.score();
    }

    /** True when this entry's link names a page record (format version 2). */
    public boolean isRecord() {
        return target.record();
    }

    /** An entry with the same target under another key; only the key is checked. */
    public Entry withKey(String key) {
        return new Entry(key, target);
    }

    /** The link, stripped of surrounding blanks. */
    public String link() {
        return target.link();
    }

    /** The title in canonical form, or "" when there is none. */
    public String title() {
        return target.title();
    }

    /** The comment in canonical form, or "". */
    public String comment() {
        return target.comment();
    }

    /** The digest of the linked content, or null. */
    public @Nullable String digest() {
        return target.digest();
    }

    /** Attributes of the item that this version of Distree does not know; kept as read. */
    public Map<String, String> extra() {
        return target.extra();
    }

    /** Where this entry sits in key order. */
    public Bound position() {
        return new Bound(key, link());
    }

    /** The title, or the link when there is no title. */
    public String displayTitle() {
        return target.displayTitle();
    }

    @Override
    public int compareTo(Entry o) {
        int c = Keys.compare(key, o.key);
        return c != 0 ? c : Keys.compare(link(), o.link());
    }
}
