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
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.State;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Status;
import org.distree.query.NodeSource;

/**
 * Link check: re-fetch every remote child of every local node and bring its item up to date.
 *
 * <ul>
 *   <li>Orphan copies in the child's file are adopted first ({@code file.html#id}), when they
 *       meet the parent's range and are acceptable children.
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
                NodeSource.Fetched f;
                try {
                    f = fetches.fetch(url);
                } catch (Fetches.BudgetSpent e) {
                    // The rest waits for the next run, unchanged.
                    next.addAll(children.subList(i, children.size()));
                    if (changed) {
                        List<ChildRef> fin = List.copyOf(next);
                        edits.put(l.name(), old -> fin);
                    }
                    break outer;
                } catch (IOException | NodeFormatException | RuntimeException e) {
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
                URI file = Links.file(f.url());
                // Orphan copies first: the keys that moved out of the child's file.
                for (Node o : f.file().orphans()) {
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
        state.save();
        return new JobReport("link-check", fetches.count(), nodes, String.format(Locale.ROOT,
                "%d remote children ok, %d failing, %d dead, %d spliced out; %d nodes updated",
                updated, failing, dead, spliced, nodes));
    }
}
