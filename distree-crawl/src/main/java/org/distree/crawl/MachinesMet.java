package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.model.Links;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * The machines one search met, for {@link Crawl}'s other roots: the origins (http, https) of the
 * nodes it read and of the links it saw, in the order first met; which of them did not answer;
 * the given roots' own; and those whose roots were already taken. Not thread-safe: the walk's
 * thread alone uses it.
 */
final class MachinesMet {
    private final Set<String> roots = new HashSet<>();
    private final Set<String> met = new HashSet<>();
    private final List<String> order = new ArrayList<>();
    private final Set<String> silent = new HashSet<>();
    private final Set<String> taken = new HashSet<>();

    /** Notes the machine of a given root, or of the root it points at: never asked again. */
    void root(URI url) {
        roots.add(Links.origin(url));
    }

    /** Notes the machine of a node read or linked, when it is reached over http or https. */
    void met(URI url) {
        String scheme = url.getScheme();
        if ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) {
            String origin = Links.origin(url);
            if (met.add(origin)) {
                order.add(origin);
            }
        }
    }

    /**
     * Notes the machine of a link not followed: only an absolute link names another machine (a
     * relative one is on its node's), so only such a link is parsed.
     */
    void metLink(String href) {
        if (href.regionMatches(true, 0, "http", 0, 4) && href.contains("://")) {
            try {
                met(URI.create(href));
            } catch (IllegalArgumentException e) {
                // Not a URL: the link is not followed, and names no machine.
            }
        }
    }

    /** Notes that a fetch from the machine of {@code url} found no answer. */
    void silent(URI url) {
        silent.add(Links.origin(url));
    }

    /**
     * True when the root of {@code origin}'s machine may be asked: not a given root's, and not
     * one that did not answer.
     */
    boolean askable(String origin) {
        return !roots.contains(origin) && !silent.contains(origin);
    }

    /** How many machines were met so far: {@link #askableFrom} takes an index below it. */
    int count() {
        return order.size();
    }

    /**
     * The machines met that may be asked ({@link #askable(String)}), from the {@code from}-th met on
     * (from 0), in the order first met.
     */
    List<String> askableFrom(int from) {
        List<String> out = new ArrayList<>();
        for (String m : order.subList(Math.min(from, order.size()), order.size())) {
            if (askable(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The entry page ({@code ORIGIN/index.html}, where the node daemon serves it) of the first
     * machine met that is not a given root's, answered, and was not taken before; it is taken
     * now. Null when none is left.
     */
    @Nullable
    URI takeNext() {
        for (String m : order) {
            if (!roots.contains(m) && !silent.contains(m) && taken.add(m)) {
                URI entry = entryPage(m);
                if (entry != null) {
                    return entry;
                }
            }
        }
        return null;
    }

    /**
     * The entry page of the machine at {@code origin}, {@code ORIGIN/index.html}, where the node
     * daemon serves it; null for an origin that makes no URL.
     */
    static @Nullable URI entryPage(String origin) {
        try {
            return URI.create(origin + "/" + NodeStore.INDEX);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
