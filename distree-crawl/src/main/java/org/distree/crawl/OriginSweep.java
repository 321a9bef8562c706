package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.distree.model.Range;

/**
 * The roots {@link Crawl} asks for a part of a query that no complete node it reached covers,
 * once the other roots ({@link OtherRoots#OTHER_ROOTS}) could not: the roots of the machines met, each
 * of which lists its own entries there in its own (partial) nodes, whatever ranges it holds.
 * Where every holder of a range is down, the entries of the machines still up are found there,
 * through their origins, until the ring has copied them again (docs/SEARCH.md, *How the walk
 * behaves*; docs/PROTOCOL.md, *A machine stops*).
 *
 * <p>A part is asked of the machines met when it is swept and of every machine met after that,
 * as the walk goes on ({@link #late}): a walk reaches a gap early, before it has met most of
 * the machines whose own entries lie there. At most {@link #MOST} machines' roots are read a
 * search (a ring of thousands meets more machines than a search should read roots); each is
 * read once and asked for every such part. Not thread-safe: the walk's thread alone uses it.
 */
final class OriginSweep {
    /** Machines whose roots one search reads for its uncovered parts: {@value}. */
    static final int MOST = 256;

    /** Asks a root read (or being read) for one part of one query. */
    interface Ask {
        void ask(OtherRoot root, int q, Range part);
    }

    private record Part(int q, Range range) {}

    private final List<Part> parts = new ArrayList<>();
    private final List<OtherRoot> roots = new ArrayList<>();
    private int seen;

    /**
     * Sweeps part {@code part} of query {@code q}: asks it of the roots of the machines met so
     * far that may be asked (each read once, by {@code read} from its entry page), and keeps it to
     * ask of those met later.
     */
    void sweep(int q, Range part, MachinesMet machines, Function<URI, OtherRoot> read, Ask ask) {
        parts.add(new Part(q, part));
        meet(machines, read);
        for (OtherRoot o : roots) {
            ask.ask(o, q, part);
        }
    }

    /**
     * Asks every part swept so far of the roots of the machines met since the last call (none
     * before the first part is swept, or once {@link #MOST} roots were read).
     */
    void late(MachinesMet machines, Function<URI, OtherRoot> read, Ask ask) {
        if (parts.isEmpty() || machines.count() == seen) {
            return;
        }
        for (OtherRoot o : meet(machines, read)) {
            for (Part p : parts) {
                ask.ask(o, p.q(), p.range());
            }
        }
    }

    /** Reads the roots of the askable machines met since the last call; gives them. */
    private List<OtherRoot> meet(MachinesMet machines, Function<URI, OtherRoot> read) {
        List<OtherRoot> fresh = new ArrayList<>();
        for (String origin : machines.askableFrom(seen)) {
            if (roots.size() >= MOST) {
                break;
            }
            URI entry = MachinesMet.entryPage(origin);
            if (entry != null) {
                OtherRoot o = read.apply(entry);
                roots.add(o);
                fresh.add(o);
            }
        }
        seen = machines.count();
        return fresh;
    }
}
