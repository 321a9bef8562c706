package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.State;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Status;
import org.distree.query.NodeSource;
import org.distree.rules.Cover;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Link check: re-fetch every remote child of every local node and bring its item up to date.
 * Each file is fetched with a conditional GET ({@code If-None-Match}, {@code If-Modified-Since})
 * from the validators its server sent last time (kept in the maintainer's state); a {@code 304}
 * changes nothing but the item's checked date and status (ok), and nothing is parsed.
 *
 * <ul>
 *   <li>Orphan copies in the child's file are adopted first, when they meet the parent's range
 *       and are acceptable children, under {@link Adoption}'s rule (redundancy, 85% of 10 KB,
 *       16x): the node the copy links ({@code data-moved-to}, on the same
 *       machine) when it can be had and is acceptable, else the copy itself ({@code
 *       file.html#id}), which is frozen and goes at the end of its aging period.
 *   <li>A child that now breaks a rule (its height is not below the parent's, its range misses
 *       the parent's, 10 KB or 16x) is spliced out; its acceptable children replace it.
 *   <li>Otherwise its range, height, size and checked date are updated and its status is ok.
 *   <li>A failed fetch marks it failing; after {@code dead-after-failures} failures in a row
 *       over at least {@code dead-after-ms}, dead (searches then skip it). The item is written
 *       when its status changes, or when its check date is a day old, not at every failure.
 *       A child that failed {@code dead-after-failures} times in a row is checked again after a
 *       wait that doubles with each failure, from {@link #FIRST_WAIT} to a 24th of {@code
 *       dead-after-ms} (an hour by default; none when it is 0), not every run: a link to a file
 *       its machine removed is mostly {@code 404}s until it is dead, and at a ring of 50
 *       machines with 1,000 entries each, such checks were 1,270 of the some 2,200 requests a
 *       round that were not {@code 304}s in the steady state.
 * </ul>
 */
final class LinkCheckJob {
    /** The wait before a child that failed once is checked again: one minute. */
    static final Duration FIRST_WAIT = Duration.ofMinutes(1);

    private LinkCheckJob() {}

    /**
     * True when a child that failed {@code fail} is due for its next check: at every run until
     * it failed {@code deadAfterFailures} times in a row, then after a wait since its last
     * failure that starts at {@link #FIRST_WAIT} and doubles with each failure, up to a 24th of
     * {@code deadAfter}.
     */
    static boolean due(
            State.Failure fail, long nowMillis, int deadAfterFailures, Duration deadAfter) {
        int over = fail.count() - deadAfterFailures;
        if (over < 0) {
            return true;
        }
        long wait = FIRST_WAIT.toMillis() << Math.min(30, over);
        return nowMillis - fail.lastMillis() >= Math.min(deadAfter.toMillis() / 24, wait);
    }

    public static JobReport run(Context ctx) throws IOException {
        Fetches fetches = ctx.fetches();
        Instant now = ctx.now();
        State state = ctx.state();
        Map<String, UnaryOperator<List<ChildRef>>> edits = new HashMap<>();
        int updated = 0;
        int failing = 0;
        int dead = 0;
        int spliced = 0;
        int unchanged = 0;
        int bySync = 0;
        // Validators learnt in this run; remembered once the tree took what was checked.
        Map<String, Validators> learnt = new HashMap<>();
        boolean spent = false;
        for (LocalNodes.Local l : LocalNodes.list(ctx.tree())) {
            Node n = l.node();
            // On a ring, the routing nodes' and the root's links to other machines are the
            // sync's: it writes them from their own machines' items each run.
            boolean routed = n.routing() || (l.root() && ctx.ring() != null);
            // Each checked child (by href) and what replaces it: itself brought up to date, the
            // orphan copies adopted before it, or, when it broke a rule, its acceptable children.
            Map<String, List<ChildRef>> replace = new LinkedHashMap<>();
            // What orphan copies offer: adopted first, under the same rule as sync's adoptions.
            List<ChildRef> moved = new ArrayList<>();
            for (ChildRef c : n.children()) {
                if (spent) {
                    break; // the rest waits for the next run, unchanged
                }
                if (Links.isRelative(c.href()) || replace.containsKey(c.href())) {
                    continue;
                }
                if (routed && ctx.readBySync(c.href())) {
                    // The sync read it, or its own machine's current items named it: it
                    // answered, and the sync writes the routing's items anew each run.
                    state.succeed(c.href());
                    bySync++;
                    if (c.status() != Status.OK || !recent(c, now)) {
                        replace.put(c.href(), List.of(answered(c, now)));
                    }
                    continue;
                }
                State.Failure before = state.failure(c.href());
                if (before != null
                        && !due(
                                before,
                                ctx.nowMillis(),
                                ctx.config().deadAfterFailures(),
                                ctx.config().deadAfter())) {
                    failing++;
                    continue; // failing still, as far as this machine knows: asked again later
                }
                URI url = URI.create(c.href());
                String fileUrl = Links.file(url).toString();
                Revalidated r;
                try {
                    r = fetches.fetchIfChanged(url, state.validators(fileUrl));
                } catch (Fetches.BudgetSpent e) {
                    spent = true;
                    break;
                } catch (IOException | NodeFormatException | RuntimeException e) {
                    learnt.put(fileUrl, Validators.NONE);
                    State.Failure fail = state.fail(c.href(), ctx.nowMillis());
                    boolean isDead = fail.count() >= ctx.config().deadAfterFailures()
                            && ctx.nowMillis() - fail.firstMillis()
                                    >= ctx.config().deadAfter().toMillis();
                    Status s = isDead ? Status.DEAD : Status.FAILING;
                    if (isDead) {
                        dead++;
                    } else {
                        failing++;
                    }
                    if (c.status() == s && recent(c, now)) {
                        // Failing still: the failures are counted in the state, and the item
                        // is written when its status changes (as a 304 writes only an old
                        // date), not every run, which made every reader fetch its node again.
                        continue;
                    }
                    replace.put(
                            c.href(),
                            List.of(new ChildRef(
                                    c.href(), c.range(), c.height(), c.size(), now, s, c.extra())));
                    continue;
                }
                state.succeed(c.href());
                NodeSource.Fetched f = r.fetched();
                if (f == null) {
                    // 304: the file is the one the last check read, so only the check changes,
                    // and only once it is old: a date rewritten every run would make every
                    // reader of this node fetch it again every run.
                    unchanged++;
                    if (c.status() == Status.OK && recent(c, now)) {
                        continue;
                    }
                    replace.put(c.href(), List.of(answered(c, now)));
                    continue;
                }
                if (!r.validators().none()) {
                    learnt.put(fileUrl, r.validators());
                }
                if (n.routing()) {
                    // A routing node's items are the sync's (Routing writes them anew from the
                    // nodes' own machines' items each run): here only whether they answer. An
                    // item taking a changed range, or spliced out, would leave a hole in the
                    // routing node's cover, or break its 16x, until then.
                    if (c.status() != Status.OK || !recent(c, now)) {
                        replace.put(c.href(), List.of(answered(c, now)));
                    }
                    updated++;
                    continue;
                }
                List<ChildRef> repl = new ArrayList<>();
                URI file = Links.file(f.url());
                // Orphan copies first: the keys that moved out of the child's file. The node a
                // copy links is taken instead of the frozen copy when it can be had. Each is
                // checked like any node (height below, range meeting the parent's, 10 KB, 16x).
                // Only a file of the machine the link names offers copies: a redirect to
                // another origin, or to this machine, does not.
                boolean offers = Links.origin(file).equals(Links.origin(URI.create(fileUrl)))
                        && !ctx.own(file);
                for (Node o : offers ? f.file().orphans() : List.<Node>of()) {
                    ChildRef live = movedTo(ctx, fetches, file, o, n, now);
                    if (live != null) {
                        moved.add(live);
                        continue;
                    }
                    String href = file + "#" + o.id();
                    if (Adoption.acceptable(o, n.height(), n.range())) {
                        moved.add(new ChildRef(
                                href, o.range(), o.height(), o.size(), now, Status.OK, Map.of()));
                    }
                }
                Optional<Node> node = f.file().fragment(Links.fragment(url));
                if (node.isPresent() && Adoption.acceptable(node.get(), n.height(), n.range())) {
                    Node m = node.get();
                    // Acceptable: it vouches for its range (a child that became partial is
                    // spliced below, its complete children taken instead).
                    repl.add(new ChildRef(
                                    c.href(),
                                    m.range(),
                                    m.height(),
                                    m.size(),
                                    now,
                                    Status.OK,
                                    c.extra())
                            .withPartial(false));
                    updated++;
                    replace.put(c.href(), repl);
                    continue;
                }
                spliced++;
                if (node.isPresent()) {
                    for (ChildRef g : node.get().children()) {
                        try {
                            URI gu = Links.resolve(file, g.href());
                            NodeSource.Fetched gf = fetches.fetch(gu);
                            Optional<Node> gn = gf.file().fragment(Links.fragment(gu));
                            if (gn.isPresent()
                                    && !ctx.own(gu)
                                    && Adoption.acceptable(gn.get(), n.height(), n.range())) {
                                repl.add(new ChildRef(
                                        gu.toString(),
                                        gn.get().range(),
                                        gn.get().height(),
                                        gn.get().size(),
                                        now,
                                        Status.OK,
                                        Map.of()));
                            }
                        } catch (IOException | NodeFormatException | RuntimeException e) {
                            // Not adopted: it could not be checked.
                        }
                    }
                }
                if (repl.size() == 1 && sameButChecked(repl.get(0), c) && recent(c, now)) {
                    continue; // changed elsewhere in its file; its item says the same
                }
                replace.put(c.href(), repl);
            }
            if (!replace.isEmpty()) {
                boolean root = l.root();
                int redundancy = ctx.config().redundancy();
                // The copies' nodes are adopted as sync adopts (redundancy, 85% of 10 KB, 16x),
                // before any other candidate; a node linking every moved piece of every file it
                // links would outgrow its file.
                edits.put(l.name(), current -> {
                    List<ChildRef> checked = apply(current, replace);
                    return moved.isEmpty()
                            ? checked
                            : Adoption.adopt(
                                    n.withChildren(
                                            checked,
                                            n.range(),
                                            Cover.size(n.range(), checked),
                                            n.updated()),
                                    root,
                                    moved,
                                    redundancy);
                });
            }
            if (spent) {
                break;
            }
        }
        // Each edit runs on the node's children as they are when the tree takes it (another
        // job may have changed them since the walk): only the checked children are replaced.
        int nodes = edits.isEmpty() ? 0 : ctx.tree().editChildren(edits);
        learnt.forEach(state::setValidators);
        state.save();
        return new JobReport(
                "link-check",
                fetches.count(),
                nodes,
                String.format(
                        Locale.ROOT,
                        "%d remote children ok, %d of them unchanged (304), %d read by the last"
                                + " sync; %d failing, %d dead, %d spliced out; %d nodes updated;"
                                + " %,d bytes fetched",
                        updated + unchanged + bySync,
                        unchanged,
                        bySync,
                        failing,
                        dead,
                        spliced,
                        nodes,
                        fetches.bytes()));
    }

    /**
     * How old a child's check date may grow before a check that finds it unchanged writes the
     * new date: a day. Within it the item is left as it is, so that a node whose children do
     * not change keeps its bytes, and the machines that read it get {@code 304}s.
     */
    static final java.time.Duration CHECKED_REFRESH = java.time.Duration.ofDays(1);

    /** The item as it is, checked now and {@code ok}: its node answered, and is not read. */
    private static ChildRef answered(ChildRef c, Instant now) {
        return new ChildRef(c.href(), c.range(), c.height(), c.size(), now, Status.OK, c.extra());
    }

    private static boolean recent(ChildRef c, Instant now) {
        return c.checked() != null
                && !c.checked().isBefore(now.minus(CHECKED_REFRESH))
                && !c.checked().isAfter(now);
    }

    /** True when the two items differ at most in their check date. */
    private static boolean sameButChecked(ChildRef a, ChildRef b) {
        return a.href().equals(b.href())
                && a.range().equals(b.range())
                && a.height() == b.height()
                && a.size() == b.size()
                && a.status() == b.status()
                && a.extra().equals(b.extra());
    }

    /**
     * The node an orphan copy links ({@code data-moved-to}, on the machine of the copy's file),
     * fetched and checked like any child of {@code parent}; null when the copy links none, or it
     * cannot be had, or is not acceptable (the copy itself is then adopted, if it is).
     */
    private static @Nullable ChildRef movedTo(
            Context ctx, Fetches fetches, URI file, Node copy, Node parent, Instant now) {
        String to = copy.extra().get(LocalTree.MOVED_TO);
        if (to == null) {
            return null;
        }
        try {
            URI u = Links.resolve(file, to);
            if (!Links.origin(u).equals(Links.origin(file)) || ctx.own(u)) {
                return null;
            }
            NodeSource.Fetched f = fetches.fetch(u);
            Optional<Node> m = f.file().fragment(Links.fragment(u));
            if (m.isEmpty() || !Adoption.acceptable(m.get(), parent.height(), parent.range())) {
                return null;
            }
            return new ChildRef(
                    u.toString(),
                    m.get().range(),
                    m.get().height(),
                    m.get().size(),
                    now,
                    Status.OK,
                    Map.of());
        } catch (IOException | NodeFormatException | RuntimeException e) {
            return null;
        }
    }

    /** The children with each checked one replaced; an item already linked is not repeated. */
    static List<ChildRef> apply(List<ChildRef> current, Map<String, List<ChildRef>> replace) {
        Set<String> linked = new HashSet<>();
        for (ChildRef c : current) {
            if (!replace.containsKey(c.href())) {
                linked.add(c.href());
            }
        }
        List<ChildRef> out = new ArrayList<>();
        for (ChildRef c : current) {
            List<ChildRef> repl = replace.get(c.href());
            if (repl == null) {
                out.add(c);
                continue;
            }
            for (ChildRef x : repl) {
                if (linked.add(x.href())) {
                    out.add(x);
                }
            }
        }
        return out;
    }
}
