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
 * <p>A leaf's entry is held to the limits above ({@link #requireLeafSized}: the constructor from
 * fields, {@link #of}, {@link #record} and every reader of a leaf check them, and the writer of a
 * leaf refuses an entry over them). A page record may hold a larger target (link, title and
 * comment up to {@value #MAX_RECORD_FIELD_BYTES} bytes each, docs/FORMAT.md, <em>Page
 * records</em>): an entry made of a record's target with {@link #Entry(String, Target)}, as a
 * search that shows the record makes it, is not checked against a leaf's limits.
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
    /**
     * The most bytes of a page record's link, title and comment, each: 16,384 (a leaf's entry
     * holds at most {@value #MAX_LINK_BYTES}, {@value #MAX_TITLE_BYTES} and {@value
     * #MAX_COMMENT_BYTES}).
     */
    public static final int MAX_RECORD_FIELD_BYTES = 16_384;
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
        this(
                Keys.requireKey(key),
                requireLeafSized(new Target(link, title, comment, digest, extra)));
    }

    /**
     * Checks that a target fits a leaf's entry: link at most {@value #MAX_LINK_BYTES} bytes, title
     * {@value #MAX_TITLE_BYTES}, comment {@value #MAX_COMMENT_BYTES}.
     *
     * @return the target
     * @throws IllegalArgumentException naming the part over its limit
     */
    public static Target requireLeafSized(Target target) {
        // A UTF-16 unit is at most 3 bytes in UTF-8: most parts pass without being measured.
        if (target.link().length() * 3 > MAX_LINK_BYTES) {
            Text.requireMaxBytes("link", target.link(), MAX_LINK_BYTES);
        }
        if (target.title().length() * 3 > MAX_TITLE_BYTES) {
            Text.requireMaxBytes("title", target.title(), MAX_TITLE_BYTES);
        }
        if (target.comment().length() * 3 > MAX_COMMENT_BYTES) {
            Text.requireMaxBytes("comment", target.comment(), MAX_COMMENT_BYTES);
        }
        return target;
    }

    /** True when {@link #requireLeafSized} passes this target. */
    public static boolean isLeafSized(Target target) {
        return fits(target.link(), MAX_LINK_BYTES)
                && fits(target.title(), MAX_TITLE_BYTES)
                && fits(target.comment(), MAX_COMMENT_BYTES);
    }

    private static boolean fits(String s, int max) {
        return s.length() * 3 <= max || Keys.utf8Length(s) <= max;
    }

    /**
     * What an entry leads to, checked and put in canonical form once however many entries share
     * it. The constructor checks a page record's limits ({@value #MAX_RECORD_FIELD_BYTES} bytes
     * for link, title and comment); a leaf's entry needs {@link #requireLeafSized} too.
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
            Text.requireMaxBytes("link", link, MAX_RECORD_FIELD_BYTES);
            requireNoControl("link", link);
            title = Text.normalize(title);
            // A leaf shows the link where there is no title, and a reader sees that text as the
            // title: compare before the title's limit, so a link longer than a title can be
            // read back, and compare with the link as visible text, so "a  b" reads back as no
            // title.
            if (title.equals(Text.normalize(link))) {
                title = "";
            }
            Text.requireMaxBytes("title", title, MAX_RECORD_FIELD_BYTES);
            comment = Text.requireMaxBytes(
                    "comment", Text.normalize(comment), MAX_RECORD_FIELD_BYTES);
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
                requireLeafSized(new Target(recordLink, label, "", null, Map.of(), true, score)));
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
