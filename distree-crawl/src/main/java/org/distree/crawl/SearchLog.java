package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one search tells its user besides the results ({@link Crawl}): the files it skipped and
 * why, each (URL, reason) once and at most {@link #MAX_SKIPS} of them, and the record of every
 * file it read, for {@code --explain}. Not thread-safe: the walk's thread alone uses it.
 */
final class SearchLog {
    /** Skips kept a search: {@value}; the rest are counted in one last line. */
    static final int MAX_SKIPS = 1_000;

    private final List<SearchResult.Skip> skipped = new ArrayList<>();
    private final Set<String> skipSeen = new HashSet<>();
    private final List<SearchResult.Visit> visits = new ArrayList<>();
    private int skipsLeftOut;

    /** Reports that {@code url} (or a label in parentheses) was skipped, once per reason. */
    void skip(String url, String reason) {
        if (!skipSeen.add(url + "\n" + reason)) {
            return;
        }
        if (skipped.size() < MAX_SKIPS) {
            skipped.add(new SearchResult.Skip(url, reason));
        } else {
            skipsLeftOut++;
        }
    }

    /**
     * Records a read of {@code url}, asked by {@code parent} (null for a root) for {@code why};
     * the file's bytes and time count at its first record only, as it is fetched once.
     */
    void note(
            URI url,
            @Nullable URI parent,
            String why,
            int height,
            FetchQueue.FileFetch f,
            @Nullable String error) {
        boolean first = !f.bytesShown;
        f.bytesShown = true;
        int b = first ? f.size : 0;
        visits.add(
                new SearchResult.Visit(url, parent, why, height, first ? f.millis : 0, b, error));
    }

    /** The skips, ending with a count of those left out past {@link #MAX_SKIPS}. */
    List<SearchResult.Skip> skipped() {
        List<SearchResult.Skip> out = new ArrayList<>(skipped);
        if (skipsLeftOut > 0) {
            out.add(new SearchResult.Skip(
                    "(search)", String.format(Locale.ROOT, "and %,d more skipped", skipsLeftOut)));
        }
        return out;
    }

    /** The files read, in the order read. */
    List<SearchResult.Visit> visits() {
        return visits;
    }
}
