package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The roots {@link Crawl} asks for a part of a query that no complete node it reached covers,
 * once the other roots ({@link Crawl#OTHER_ROOTS}) could not: the roots of the machines met, each
 * of which lists its own entries there in its own (partial) nodes, whatever ranges it holds.
 * Where every holder of a range is down, the entries of the machines still up are found there,
 * through their origins, until the ring has copied them again (docs/SEARCH.md, *How the walk
 * behaves*; docs/PROTOCOL.md, *A machine stops*).
 *
 * <p>At most {@link #MOST} machines' roots are read a search (a ring of thousands meets more
 * machines than a search should read roots); each is read once and asked for every such part.
 * Not thread-safe: the walk's thread alone uses it.
 */
final class OriginSweep {
    /** Machines whose roots one search reads for its uncovered parts: {@value}. */
    static final int MOST = 256;

    private final Map<String, OtherRoot> roots = new HashMap<>();

    /**
     * The roots to ask for one uncovered part: those of the machines met that may be asked,
     * in the order first met, each read once (by {@code read}, from its entry page) and at most
     * {@link #MOST} in all.
     */
    List<OtherRoot> roots(MachinesMet machines, Function<URI, OtherRoot> read) {
        List<OtherRoot> out = new ArrayList<>();
        for (String origin : machines.askable()) {
            OtherRoot o = roots.get(origin);
            if (o == null) {
                URI entry = roots.size() < MOST ? MachinesMet.entryPage(origin) : null;
                if (entry == null) {
                    continue;
                }
                o = read.apply(entry);
                roots.put(origin, o);
            }
            out.add(o);
        }
        return out;
    }
}
