package org.distree.maintain.jobs;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.distree.html.NodeFormatException;
import org.distree.maintain.JobReport;
import org.distree.maintain.Transport;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.State;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Status;
import org.distree.query.NodeSource;
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
 *       and are acceptable children: the node the copy links ({@code data-moved-to}, on the same
 *       machine) when it can be had and is acceptable, else the copy itself ({@code
 *       file.html#id}), which is frozen and goes at the end of its aging period.
 *   <li>A child that now breaks a rule (its height is not below the parent's, its range misses
 *       the parent's, 10 KB or 16x) is spliced out; its acceptable children replace it.
 *   <li>Otherwise its range, height, size and checked date are updated and its status is ok.
 *   <li>A failed fetch marks it failing; after {@code dead-after-failures} failures in a row
 *       over at least {@code dead-after-ms}, dead (searches then skip it).
 * </ul>
 */
public final class LinkCheckJob {
    private LinkCheckJob() {}

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
        // Validators learnt in this run; remembered once the tree took what was checked.
        Map<String, Transport.Validators> learnt = new HashMap<>();
        outer:
        for (LocalNodes.Local l : LocalNodes.list(ctx.tree())) {
            Node n = l.node();
            List<ChildRef> next = new ArrayList<>();
            boolean changed = false;
            List<ChildRef> children = n.children();
            for (int i = 0; i < children.size(); i++) {
                ChildRef c = children.get(i);
                if (Links.isRelative(c.href())) {
                    next.add(c);
                    continue;
                }
                URI url = URI.create(c.href());
                String fileUrl = Links.file(url).toString();
                Transport.Revalidated r;
                try {
                    r = fetches.fetchIfChanged(url, state.validators(fileUrl));
                } catch (Fetches.BudgetSpent e) {
                    // The rest waits for the next run, unchanged.
                    next.addAll(children.subList(i, children.size()));
                    if (changed) {
                        List<ChildRef> fin = List.copyOf(next);
                        edits.put(l.name(), old -> fin);
                    }
                    break outer;
                } catch (IOException | NodeFormatException | RuntimeException e) {
                    learnt.put(fileUrl, Transport.Validators.NONE);
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
                    next.add(new ChildRef(c.href(), c.range(), c.height(), c.size(), now, s,
                            c.extra()));
                    changed = true;
                    continue;
                }
                state.succeed(c.href());
                NodeSource.Fetched f = r.fetched();
                if (f == null) {
                    // 304: the file is the one the last check read, so only the check changes.
                    next.add(new ChildRef(c.href(), c.range(), c.height(), c.size(), now,
                            Status.OK, c.extra()));
                    unchanged++;
                    changed = true;
                    continue;
                }
                if (!r.validators().none()) {
                    learnt.put(fileUrl, r.validators());
                }
                URI file = Links.file(f.url());
                // Orphan copies first: the keys that moved out of the child's file. The node a
                // copy links is taken instead of the frozen copy when it can be had. Each is
                // checked like any node (height below, range meeting the parent's, 10 KB, 16x).
                for (Node o : f.file().orphans()) {
                    ChildRef live = movedTo(ctx, fetches, file, o, n, now);
                    if (live != null) {
                        if (n.children().stream().noneMatch(x -> x.href().equals(live.href()))
                                && next.stream().noneMatch(x -> x.href().equals(live.href()))) {
                            next.add(live);
                            changed = true;
                        }
                        continue;
                    }
                    String href = file + "#" + o.id();
                    if (Adoption.acceptable(o, n.height(), n.range())
                            && n.children().stream().noneMatch(x -> x.href().equals(href))) {
                        next.add(new ChildRef(href, o.range(), o.height(), o.size(), now,
                                Status.OK, java.util.Map.of()));
                        changed = true;
                    }
                }
                Optional<Node> node = f.file().fragment(Links.fragment(url));
                if (node.isPresent() && Adoption.acceptable(node.get(), n.height(), n.range())) {
                    Node m = node.get();
                    next.add(new ChildRef(c.href(), m.range(), m.height(), m.size(), now,
                            Status.OK, c.extra()));
                    updated++;
                    changed = true;
                    continue;
                }
                spliced++;
                changed = true;
                if (node.isPresent()) {
                    for (ChildRef g : node.get().children()) {
                        URI gu;
                        try {
                            gu = Links.resolve(file, g.href());
                            NodeSource.Fetched gf = fetches.fetch(gu);
                            Optional<Node> gn = gf.file().fragment(Links.fragment(gu));
                            if (gn.isPresent() && !ctx.own(gu)
                                    && Adoption.acceptable(gn.get(), n.height(), n.range())) {
                                next.add(new ChildRef(gu.toString(), gn.get().range(),
                                        gn.get().height(), gn.get().size(), now, Status.OK,
                                        java.util.Map.of()));
                            }
                        } catch (IOException | NodeFormatException | RuntimeException e) {
                            // Not adopted: it could not be checked.
                        }
                    }
                }
            }
            if (changed) {
                List<ChildRef> fin = List.copyOf(next);
                edits.put(l.name(), old -> fin);
            }
        }
        int nodes = ctx.tree().editChildren(edits);
        learnt.forEach(state::setValidators);
        state.save();
        return new JobReport("link-check", fetches.count(), nodes, String.format(Locale.ROOT,
                "%d remote children ok, %d of them unchanged (304), %d failing, %d dead, %d"
                        + " spliced out; %d nodes updated; %,d bytes fetched",
                updated + unchanged, unchanged, failing, dead, spliced, nodes,
                fetches.bytes()));
    }

    /**
     * The node an orphan copy links ({@code data-moved-to}, on the machine of the copy's file),
     * fetched and checked like any child of {@code parent}; null when the copy links none, or it
     * cannot be had, or is not acceptable (the copy itself is then adopted, if it is).
     */
    private static @Nullable ChildRef movedTo(Context ctx, Fetches fetches, URI file, Node copy,
            Node parent, Instant now) {
        String to = copy.extra().get(LocalTree.MOVED_TO);
        if (to == null) {
            return null;
        }
        try {
            URI u = Links.resolve(file, to);
            if (!RemoteWalk.origin(u).equals(RemoteWalk.origin(file)) || ctx.own(u)) {
                return null;
            }
            NodeSource.Fetched f = fetches.fetch(u);
            Optional<Node> m = f.file().fragment(Links.fragment(u));
            if (m.isEmpty() || !Adoption.acceptable(m.get(), parent.height(), parent.range())) {
                return null;
            }
            return new ChildRef(u.toString(), m.get().range(), m.get().height(), m.get().size(),
                    now, Status.OK, java.util.Map.of());
        } catch (IOException | NodeFormatException | RuntimeException e) {
            return null;
        }
    }
}
