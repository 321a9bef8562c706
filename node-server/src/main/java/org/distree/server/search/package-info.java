/**
 * The search the daemon's {@code /search} asks: the {@link org.distree.server.search.Searcher}
 * integration point and its implementation on the crawler.
 */
@NullMarked
package org.distree.server.search;

import org.jspecify.annotations.NullMarked;
