package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.Ring;
import org.distree.maintain.internal.State;
import org.distree.model.Entry;
import org.distree.model.Links;

/**
 * Submit: each local leaf not yet submitted with its current range goes, as {@code POST
 * /submit}, to the machines that hold its entries' keys on the ring the last sync computed (the
 * holders of each key: at most {@code replicas} times the leaf's entries), or, with no ring, to
 * the other machine whose leaves meet its range the most (found by the last sync's walk, or a walk from the peer roots). A failure is retried after {@code submit-retry-ms}, doubling
 * up to {@code submit-retry-max-ms}. A static tree (no {@code base-url}) submits nothing.
 */
final class SubmitJob {
    /** URLs in one POST; the daemon takes up to 16 by default. */
    static final int PER_POST = 16;

    private SubmitJob() {}

    public static JobReport run(Context ctx) throws IOException {
        if (ctx.config().baseUrl() == null) {
            return new JobReport("submit", 0, 0, "no base-url: a static tree submits nothing");
        }
        int fetched = 0;
        List<RemoteWalk.Seen> seen = ctx.lastSeen();
        if (seen.isEmpty()) {
            Fetches f = ctx.fetches();
            seen = RemoteWalk.walk(f, ctx.config().peers(), ctx::own);
            fetched = f.count();
        }
        if (seen.isEmpty()) {
            // No other machine's leaf is known, so no leaf has a target: skip the walk of every
            // local node (a tree of 16,000 files costs seconds of a core to walk).
            return new JobReport(
                    "submit",
                    fetched,
                    0,
                    "no other machine's node known yet: nothing to submit to");
        }
        State state = ctx.state();
        long now = ctx.nowMillis();
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        int waiting = 0;
        for (LocalNodes.Local l : LocalNodes.list(ctx.tree())) {
            if (!l.node().isLeaf() || l.node().entries().isEmpty()) {
                continue;
            }
            String range = l.node().range().toString();
            if (range.equals(state.submitted(l.name()))) {
                continue;
            }
            State.Retry r = state.retry(l.name());
            if (r != null && r.nextMillis() > now) {
                waiting++;
                continue;
            }
            List<String> targets = targets(ctx, l, seen);
            if (targets.isEmpty()) {
                waiting++;
                continue;
            }
            for (String t : targets) {
                byOrigin.computeIfAbsent(t, k -> new ArrayList<>()).add(l.name());
            }
        }
        Set<String> failedNames = new HashSet<>();
        int sent = 0;
        int failed = 0;
        for (Map.Entry<String, List<String>> e : byOrigin.entrySet()) {
            List<String> names = e.getValue();
            for (int i = 0; i < names.size(); i += PER_POST) {
                List<String> part = names.subList(i, Math.min(names.size(), i + PER_POST));
                List<URI> urls = new ArrayList<>();
                for (String n : part) {
                    urls.add(ctx.publicUrl(n));
                }
                try {
                    ctx.transport().submit(URI.create(e.getKey()), urls);
                    sent += part.size();
                } catch (IOException | RuntimeException ex) {
                    failedNames.addAll(part);
                    for (String n : part) {
                        State.Retry old = state.retry(n);
                        int attempts = old == null ? 1 : old.attempts() + 1;
                        long wait = Math.min(
                                ctx.config().submitRetryMax().toMillis(),
                                ctx.config().submitRetry().toMillis()
                                        << Math.min(30, attempts - 1));
                        state.setRetry(n, new State.Retry(attempts, now + wait));
                    }
                    failed += part.size();
                }
            }
        }
        // A leaf is submitted once every machine it went to took it.
        for (List<String> names : byOrigin.values()) {
            for (String n : names) {
                if (!failedNames.contains(n)) {
                    state.markSubmitted(n, ctx.tree().read(n).range().toString());
                }
            }
        }
        state.save();
        return new JobReport(
                "submit",
                fetched,
                sent,
                String.format(
                        Locale.ROOT,
                        "%d leaves submitted, %d failed (retried later), %d waiting",
                        sent,
                        failed,
                        waiting));
    }

    /**
     * Where a leaf goes: with a ring ({@code positions} above 0), the machines that hold the key
     * of one of its entries (this one left out): every holder of each, so that a leaf over a
     * wide range with few entries (a new machine's own) reaches each machine that will vouch for
     * one of them, and none that holds none; otherwise, or when the ring names none, the
     * machine whose leaves overlap its range the most.
     */
    private static List<String> targets(
            Context ctx, LocalNodes.Local leaf, List<RemoteWalk.Seen> seen) {
        Ring ring = ctx.ring();
        if (ring != null) {
            String self =
                    Links.origin(java.util.Objects.requireNonNull(ctx.config().baseUrl()));
            Set<String> out = new LinkedHashSet<>();
            for (Entry e : leaf.node().entries()) {
                for (String h : ring.holders(e.position())) {
                    if (!h.equals(self)) {
                        out.add(h);
                    }
                }
            }
            if (!out.isEmpty()) {
                return List.copyOf(out);
            }
        }
        String t = target(leaf, seen);
        return t == null ? List.of() : List.of(t);
    }

    /** The machine whose leaves overlap this leaf's range the most (by count), or null. */
    private static @org.jspecify.annotations.Nullable String target(
            LocalNodes.Local leaf, List<RemoteWalk.Seen> seen) {
        Map<String, Integer> score = new LinkedHashMap<>();
        for (RemoteWalk.Seen s : seen) {
            if (s.node().isLeaf() && s.node().range().meets(leaf.node().range())) {
                score.merge(s.origin(), 1, Integer::sum);
            }
        }
        return score.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}
