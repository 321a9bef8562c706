package org.distree.html;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;

/**
 * A node from its {@code <distree>} tag and its items, as either reader gives them ({@link
 * CanonicalReader} from the writer's bytes, {@link NodeReader} from the HTML parser's document):
 * the checks of docs/FORMAT.md on a node, its entries, record lists and scores, and its children,
 * in one place, so that a page gives the same node, or the same error, whichever reader read it.
 * No HTML parser here: a search that reads only canonical files loads none.
 */
final class BlockReader {
    private static final Set<String> NODE_ATTRS = Set.of(
            "version",
            "height",
            "id",
            "low",
            "low-link",
            "high",
            "high-link",
            "size",
            "updated",
            "analyzer");
    private static final Set<String> ENTRY_ATTRS =
            Set.of("data-key", "data-digest", NodeWriter.SCORE, NodeWriter.RECORDS);
    private static final Set<String> CHILD_ATTRS = Set.of(
            "href",
            "data-low",
            "data-low-link",
            "data-high",
            "data-high-link",
            "data-height",
            "data-size",
            "data-checked",
            "data-status");

    /** The longest value of an unknown attribute that is kept, in UTF-8 bytes. */
    private static final int MAX_EXTRA_BYTES = 256;

    /**
     * A start tag's attributes as both readers give them: names in lower case, values with
     * their character references decoded.
     */
    interface Tag {
        /** True when the tag has the attribute. */
        boolean has(String name);

        /** The attribute's value, or "" when the tag has none. */
        String attr(String name);

        /** Every attribute, in the order of the source. */
        Map<String, String> all();
    }

    /** A link of an item ({@code <a href>}) and its text. */
    record Link(Tag a, String text) {}

    /**
     * One item of a node ({@code <li>} of its list): its tag, its links in order, and the text
     * after the first link ({@link NodeReader#textAfter}), the comment of an entry.
     */
    record Item(Tag li, List<Link> links, String afterFirst) {}

    /**
     * A node from its {@code <distree>} tag and items: the checks both readers share, so that
     * a page gives the same node, or the same error, whichever reader read it.
     */
    static Node node(Tag block, String file, boolean first, List<Item> items)
            throws NodeFormatException {
        String id = block.has("id") ? block.attr("id").strip() : null;
        if (!first && (id == null || id.isEmpty())) {
            throw new NodeFormatException(
                    file, null, "id", "a second <distree> element (an orphan copy) needs an id");
        }
        if (first && id != null) {
            throw new NodeFormatException(
                    file,
                    id,
                    "id",
                    "the first <distree> element is the file's own node and has" + " no id");
        }
        Ctx ctx = new Ctx(file, id);
        int version = ctx.intAttr(block, "version", 1, Integer.MAX_VALUE);
        if (version > Node.FORMAT_VERSION) {
            throw ctx.error(
                    "version",
                    "version " + version + " is newer than this reader (" + Node.FORMAT_VERSION
                            + ")");
        }
        int height = ctx.intAttr(block, "height", 0, Node.MAX_HEIGHT);
        Range range = ctx.range(block, "");
        long size = ctx.longAttr(block, "size");
        Instant updated = ctx.instant(block, "updated");
        String analyzer = block.has("analyzer") ? block.attr("analyzer").strip() : null;
        Map<String, String> extra = extra(block, NODE_ATTRS);

        List<Entry> entries = new ArrayList<>();
        List<ChildRef> children = new ArrayList<>();
        int index = 0;
        for (Item li : items) {
            index++;
            Ctx item = new Ctx(file, (id == null ? "" : id + "/") + "item " + index);
            if (height == 0 && li.li().has(NodeWriter.RECORDS)) {
                if (version < 2) {
                    throw item.error(
                            NodeWriter.RECORDS,
                            "a record list needs format version 2 (this node says " + version
                                    + ")");
                }
                entries.addAll(item.records(li));
            } else if (height == 0) {
                entries.add(item.entry(li));
            } else {
                children.add(item.child(li));
            }
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i - 1).compareTo(entries.get(i)) >= 0) {
                throw new Ctx(file, (id == null ? "" : id + "/") + "item " + (i + 1))
                        .error(
                                "data-key",
                                "entry '" + entries.get(i).key() + "' is not after '"
                                        + entries.get(i - 1).key()
                                        + "' (entries must be in key order,"
                                        + " one per key and link)");
            }
        }
        for (int i = 1; i < children.size(); i++) {
            if (Range.compareLows(
                            children.get(i - 1).range().low(),
                            children.get(i).range().low())
                    > 0) {
                throw new Ctx(file, (id == null ? "" : id + "/") + "item " + (i + 1))
                        .error("data-low", "children must be in order of their low");
            }
        }
        if (height == 0 && size != entries.size()) {
            throw ctx.error(
                    "size", "size " + size + " but the leaf holds " + entries.size() + " entries");
        }
        try {
            return new Node(
                    version, height, range, size, updated, analyzer, id, entries, children, extra);
        } catch (IllegalArgumentException e) {
            throw ctx.error("distree", String.valueOf(e.getMessage()));
        }
    }

    private static final Pattern EXTRA_NAME = Pattern.compile("data-[a-z0-9][a-z0-9-]{0,40}");

    private static Map<String, String> extra(Tag e, Set<String> known) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : e.all().entrySet()) {
            String key = a.getKey();
            // Values are limited in UTF-8 bytes, as Text.requireExtra checks them; a longer
            // one is ignored like any other attribute this version does not keep.
            if (!known.contains(key)
                    && EXTRA_NAME.matcher(key).matches()
                    && Keys.utf8Length(a.getValue()) <= MAX_EXTRA_BYTES) {
                extra.put(key, a.getValue());
            }
        }
        return extra;
    }

    /** Where in a file an item is read, for error messages. */
    record Ctx(String file, @Nullable String fragment) {
        NodeFormatException error(String field, String reason) {
            return new NodeFormatException(file, fragment, field, reason);
        }

        String required(Tag e, String attr) throws NodeFormatException {
            if (!e.has(attr)) {
                throw error(attr, "missing");
            }
            return e.attr(attr).strip();
        }

        int intAttr(Tag e, String attr, int min, int max) throws NodeFormatException {
            String v = required(e, attr);
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw error(attr, n + " is outside " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException ex) {
                throw error(attr, "'" + abbreviate(v) + "' is not a whole number");
            }
        }

        long longAttr(Tag e, String attr) throws NodeFormatException {
            String v = required(e, attr);
            try {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw error(attr, n + " is negative");
                }
                return n;
            } catch (NumberFormatException ex) {
                throw error(attr, "'" + abbreviate(v) + "' is not a whole number");
            }
        }

        Instant instant(Tag e, String attr) throws NodeFormatException {
            String v = required(e, attr);
            try {
                return org.distree.model.UtcTimes.parse(v);
            } catch (DateTimeParseException ex) {
                throw error(
                        attr,
                        "'" + abbreviate(v) + "' is not a UTC time such as"
                                + " 2026-11-22T10:00:00Z");
            }
        }

        @Nullable
        Bound bound(Tag e, String name) throws NodeFormatException {
            if (!e.has(name)) {
                if (e.has(name + "-link")) {
                    throw error(name + "-link", "given without " + name);
                }
                return null;
            }
            String key = e.attr(name);
            if (key.isEmpty()) {
                throw error(name, "empty (leave the attribute out for no bound)");
            }
            return new Bound(key, e.attr(name + "-link"));
        }

        Range range(Tag e, String prefix) throws NodeFormatException {
            Bound low = bound(e, prefix + "low");
            Bound high = bound(e, prefix + "high");
            try {
                return new Range(low, high);
            } catch (IllegalArgumentException ex) {
                throw error(prefix + "low", String.valueOf(ex.getMessage()));
            }
        }

        Entry entry(Item li) throws NodeFormatException {
            String key = required(li.li(), "data-key");
            if (li.links().isEmpty()) {
                throw error("a", "an entry needs a link (<a href>)");
            }
            Link a = li.links().get(0);
            Tag tag = li.li();
            String digest = tag.has("data-digest") ? tag.attr("data-digest") : null;
            int score = tag.has(NodeWriter.SCORE)
                    ? intAttr(tag, NodeWriter.SCORE, 0, Entry.MAX_SCORE)
                    : 0;
            try {
                return new Entry(
                        tag.attr("data-key"),
                        Entry.requireLeafSized(new Entry.Target(
                                a.a().attr("href"),
                                a.text(),
                                li.afterFirst(),
                                digest,
                                extra(tag, ENTRY_ATTRS),
                                false,
                                score)));
            } catch (IllegalArgumentException ex) {
                throw error(
                        key.isEmpty() ? "data-key" : "entry '" + abbreviate(key) + "'",
                        String.valueOf(ex.getMessage()));
            }
        }

        /** A record list: one record entry per link, all with the item's key. */
        List<Entry> records(Item li) throws NodeFormatException {
            String key = required(li.li(), "data-key");
            int[] scores = li.li().has(NodeWriter.SCORES) ? scores(li) : null;
            List<Entry> out = new ArrayList<>();
            for (Link link : li.links()) {
                Tag a = link.a();
                try {
                    if (scores != null && a.has(NodeWriter.SCORE)) {
                        throw error(
                                NodeWriter.SCORE,
                                "a link of a record list with " + NodeWriter.SCORES
                                        + " has a score of its own");
                    }
                    int score = scores != null
                            ? scores[out.size()]
                            : a.has(NodeWriter.SCORE)
                                    ? intAttr(a, NodeWriter.SCORE, 0, Entry.MAX_SCORE)
                                    : 0;
                    out.add(Entry.record(
                            li.li().attr("data-key"), a.attr("href"), link.text(), score));
                } catch (IllegalArgumentException ex) {
                    throw error(
                            key.isEmpty() ? "data-key" : "entry '" + abbreviate(key) + "'",
                            String.valueOf(ex.getMessage()));
                }
            }
            if (out.isEmpty()) {
                throw error("a", "a record list needs at least one link (<a href>)");
            }
            return out;
        }

        /**
         * A record list's {@value NodeWriter#SCORES}: one whole number from 0 to {@link
         * Entry#MAX_SCORE} a link, separated by single spaces.
         */
        private int[] scores(Item li) throws NodeFormatException {
            String v = li.li().attr(NodeWriter.SCORES);
            int links = li.links().size();
            int[] out = new int[links];
            int n = 0;
            int start = 0;
            while (start <= v.length()) {
                int end = v.indexOf(' ', start);
                if (end < 0) {
                    end = v.length();
                }
                if (n == links) {
                    throw error(
                            NodeWriter.SCORES, "more scores than the list's " + links + " links");
                }
                String one = v.substring(start, end);
                if (one.isEmpty()
                        || one.length() > 7
                        || !one.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw error(
                            NodeWriter.SCORES,
                            "'" + abbreviate(one) + "' is not a whole number from 0 to "
                                    + Entry.MAX_SCORE);
                }
                int score = Integer.parseInt(one);
                if (score > Entry.MAX_SCORE) {
                    throw error(NodeWriter.SCORES, score + " is outside 0.." + Entry.MAX_SCORE);
                }
                out[n++] = score;
                start = end + 1;
            }
            if (n != links) {
                throw error(NodeWriter.SCORES, n + " scores for the list's " + links + " links");
            }
            return out;
        }

        ChildRef child(Item li) throws NodeFormatException {
            if (li.links().isEmpty()) {
                throw error("a", "a child item needs a link (<a href>)");
            }
            Tag a = li.links().get(0).a();
            if (li.li().has("data-key")) {
                throw error("data-key", "an entry in a node of height above 0");
            }
            Range range = range(a, "data-");
            int height = intAttr(a, "data-height", 0, Node.MAX_HEIGHT);
            long size = longAttr(a, "data-size");
            Instant checked = a.has("data-checked") ? instant(a, "data-checked") : null;
            Status status;
            try {
                status = a.has("data-status")
                        ? Status.parse(a.attr("data-status").strip())
                        : Status.OK;
            } catch (IllegalArgumentException ex) {
                throw error("data-status", String.valueOf(ex.getMessage()));
            }
            try {
                return new ChildRef(
                        a.attr("href"),
                        range,
                        height,
                        size,
                        checked,
                        status,
                        extra(a, CHILD_ATTRS));
            } catch (IllegalArgumentException ex) {
                throw error("href", String.valueOf(ex.getMessage()));
            }
        }

        private static String abbreviate(String s) {
            return org.distree.model.Keys.abbreviate(s, 40);
        }
    }

    private BlockReader() {}
}
