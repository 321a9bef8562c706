package org.distree.html;

import java.util.List;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.jspecify.annotations.Nullable;

/**
 * How a leaf's items are written ({@link NodeWriter}): an entry's item, and a record list
 * (format version 2: record entries of one key in one item). Keys and targets seen lately are
 * kept rendered: entries come in key order, and the entries of a page share one target, so a
 * bulk build renders each once rather than once an entry. The caches hold immutable objects
 * only, so threads share them without locks.
 */
final class EntryItems {
    private EntryItems() {}

    /**
     * Sets of two slots in {@link #RENDERED} (a power of two): 4,096 targets, about 2 MB at
     * most; a site of 1,200 pages has few sets with a third target.
     */
    private static final int RENDERED_SETS = 2048;

    /**
     * An entry's item without its key: the attributes after {@code data-key} and the {@code >},
     * then what follows the visible key ({@code ": <a href…>title</a> comment</li>"}); null
     * until the target is seen a second time.
     */
    private static final class Rendered {
        final Entry.Target target;
        final byte @Nullable [] attrs;
        final byte @Nullable [] rest;

        Rendered(Entry.Target target, byte @Nullable [] attrs, byte @Nullable [] rest) {
            this.target = target;
            this.attrs = attrs;
            this.rest = rest;
        }
    }

    /**
     * Targets seen lately, placed and found by identity, with their rendering once seen twice: the
     * entries of a page share one target (see {@link Entry#withKey}), so a bulk build renders a
     * page's target once rather than once a word, and entries that share nothing (parsed from a
     * file) cost one small object each. Slots are overwritten freely; their objects have only
     * final fields, so threads may share the table without locks.
     */
    private static final @Nullable Rendered[] RENDERED = new Rendered[2 * RENDERED_SETS];

    /** Writes a leaf's items, {@code entries} in their order. */
    static void items(HtmlOut out, List<Entry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.isRecord()) {
                boolean more = i > 0 && continues(entries.get(i - 1), e);
                boolean last = i + 1 == entries.size() || !continues(e, entries.get(i + 1));
                recordEntry(out, more, e, last, more ? null : listScores(entries, i));
            } else {
                entry(out, e);
            }
        }
    }

    /** {@link NodeWriter#itemBytes(Entry, Entry)}: counted as {@link #items} writes it. */
    static int itemBytes(@Nullable Entry prev, Entry e) {
        HtmlOut out = new HtmlOut(null);
        if (e.isRecord()) {
            boolean more = continues(prev, e);
            recordEntry(out, more, e, !more, more ? null : Integer.toString(e.score()));
            if (more) {
                out.bytes += 1 + digits(e.score()); // " S" in the list's data-scores
            }
        } else {
            entry(out, e);
        }
        return out.bytes;
    }

    /** True when record entry {@code e} joins the record list of {@code prev}. */
    private static boolean continues(@Nullable Entry prev, Entry e) {
        return prev != null && prev.isRecord() && e.isRecord() && prev.key().equals(e.key());
    }

    private static void entry(HtmlOut out, Entry e) {
        RenderedKey key = renderedKey(e.key());
        out.bytes(key.start);
        Entry.Target t = e.target();
        byte[][] rendered = rendered(t);
        if (rendered != null) {
            out.bytes(rendered[0]).bytes(key.shown).bytes(rendered[1]);
        } else {
            // Checked once a target, when first rendered: a page record's target may be larger
            // than a leaf's entry (Entry#requireLeafSized), and a leaf never holds one.
            Entry.requireLeafSized(t);
            targetAttrs(out, t);
            out.bytes(key.shown);
            targetRest(out, t);
        }
    }

    /**
     * A record entry: the start of a record list ({@code <li data-key="…" data-records
     * data-scores="…">key: }, with {@code scores} the list's {@value NodeWriter#SCORES}) unless it
     * continues one ({@code more}), its link, and the list's end when it is the {@code last} of
     * its key. Measured ({@link NodeWriter#itemBytes(Entry, Entry)}), the first entry of a list carries the
     * list's start (with its own score) and end, a later one a space, its link, and a space and
     * its score in the list's start.
     */
    private static void recordEntry(
            HtmlOut out, boolean more, Entry e, boolean last, @Nullable String scores) {
        if (more) {
            out.raw(" ");
        } else {
            RenderedKey key = renderedKey(e.key());
            out.bytes(key.start).raw(" ").raw(NodeWriter.RECORDS);
            out.raw(" " + NodeWriter.SCORES + "=\"")
                    .raw(scores == null ? "" : scores)
                    .raw("\"");
            out.raw(">").bytes(key.shown).raw(": ");
        }
        out.raw("<a");
        out.attr("href", e.link());
        out.raw(">").text(e.displayTitle()).raw("</a>");
        if (last) {
            out.raw("</li>\n");
        }
    }

    /**
     * The scores of the record list that starts at {@code from}, in its order, separated by
     * spaces: 0 for an entry without one.
     */
    private static String listScores(List<Entry> entries, int from) {
        StringBuilder sb = new StringBuilder();
        sb.append(entries.get(from).score());
        for (int k = from + 1;
                k < entries.size() && continues(entries.get(k - 1), entries.get(k));
                k++) {
            sb.append(' ').append(entries.get(k).score());
        }
        return sb.toString();
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /**
     * An entry's key as written: the start of its item ({@code <li data-key="…"}) and the key as
     * shown before the link.
     */
    private static final class RenderedKey {
        final String key;
        final byte[] start;
        final byte[] shown;

        RenderedKey(String key, byte[] start, byte[] shown) {
            this.key = key;
            this.start = start;
            this.shown = shown;
        }
    }

    /**
     * The last key rendered: entries come in key order, so most follow an entry with the same
     * key (a site's word has an entry for each page holding it). Immutable, so threads may share
     * it without locks.
     */
    private static volatile @Nullable RenderedKey lastKey;

    private static RenderedKey renderedKey(String key) {
        RenderedKey last = lastKey;
        if (last != null && last.key.equals(key)) {
            return last;
        }
        HtmlOut start = new HtmlOut(new byte[128]);
        start.raw("<li");
        start.attr("data-key", key);
        HtmlOut shown = new HtmlOut(new byte[64]);
        shown.text(shownKey(key));
        RenderedKey r = new RenderedKey(key, start.toBytes(), shown.toBytes());
        lastKey = r;
        return r;
    }

    /**
     * The rendering of a target seen before ({@link #RENDERED}): its attributes and its rest,
     * or null the first time.
     */
    @SuppressWarnings("ReferenceEquality") // a cache by identity, on purpose
    private static byte @Nullable [][] rendered(Entry.Target t) {
        // Two slots a set, the one used last first: a third target pushes out the older.
        int slot = 2 * (System.identityHashCode(t) & (RENDERED_SETS - 1));
        Rendered r = RENDERED[slot];
        // By identity: equal targets that are not the same object (entries parsed from files)
        // would cost a comparison of every field for nothing, as they are seldom seen twice.
        if (r == null || t != r.target) {
            Rendered other = RENDERED[slot + 1];
            RENDERED[slot + 1] = r;
            if (other == null || t != other.target) {
                RENDERED[slot] = new Rendered(t, null, null);
                return null;
            }
            r = other;
            RENDERED[slot] = r;
        }
        byte[] attrs = r.attrs;
        byte[] rest = r.rest;
        if (attrs == null || rest == null) {
            HtmlOut a = new HtmlOut(new byte[256]);
            targetAttrs(a, t);
            HtmlOut z = new HtmlOut(new byte[512]);
            targetRest(z, t);
            attrs = a.toBytes();
            rest = z.toBytes();
            RENDERED[slot] = new Rendered(t, attrs, rest);
        }
        return new byte[][] {attrs, rest};
    }

    /** The key as an entry shows it, before the link, for a person browsing. */
    private static String shownKey(String key) {
        return Keys.abbreviate(key, NodeWriter.SHOWN_KEY_CHARS);
    }

    /** An entry's attributes after its key, and the end of its start tag. */
    private static void targetAttrs(HtmlOut out, Entry.Target t) {
        if (t.digest() != null) {
            out.attr("data-digest", t.digest());
        }
        if (t.score() != 0) {
            out.raw(" " + NodeWriter.SCORE + "=\"").num(t.score()).raw("\"");
        }
        out.attrs(t.extra());
        out.raw(">");
    }

    /** What follows the visible key: the link with its title, and the comment. */
    private static void targetRest(HtmlOut out, Entry.Target t) {
        out.raw(": <a");
        out.attr("href", t.link());
        out.raw(">").text(t.displayTitle()).raw("</a>");
        if (!t.comment().isEmpty()) {
            out.raw(" ").text(t.comment());
        }
        out.raw("</li>\n");
    }
}
