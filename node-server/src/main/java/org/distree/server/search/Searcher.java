package org.distree.server.search;

import java.util.List;
import org.distree.model.Entry;
import org.distree.query.Query;

/**
 * What {@code /search} asks: the one point where the daemon meets a search engine.
 *
 * <p>{@link CrawlSearcher} answers with the crawler's search (module search-cli, package {@code
 * org.distree.crawl}), from this machine's root and across links to other machines; it is
 * passed to {@code NodeServer}, and nothing else in the daemon knows which engine answers.
 * Implementations are called from many request threads at once.
 */
public interface Searcher {
    /**
     * A result: an entry, how many distinct leaves listed its link under that key, and its
     * score for the key (a record entry's {@code data-score}, docs/FORMAT.md; 0 for none),
     * which ranks the results of a word, best first.
     */
    record Hit(Entry entry, int leaves, long score) {}

    /**
     * What a search found.
     *
     * @param hits at most the limit asked for, best first (in key order for a prefix or range)
     * @param total how many matched before the limit was applied
     * @param nodes how many nodes were visited
     * @param skipped nodes that could not be used, each as {@code url: reason}
     * @param walk the nodes visited in order, each on one line (time, bytes, height, URL, why
     *     it was asked, the node that linked it, why it failed), as {@code search --trace}
     *     prints them
     */
    record Result(List<Hit> hits, int total, int nodes, List<String> skipped, List<String> walk) {}

    /**
     * Runs a query from this machine's root.
     *
     * @param limit at most this many hits are returned
     */
    Result search(Query query, int limit);
}
