/**
 * The crawler-style search over HTTP: {@link org.distree.crawl.Searcher} walks trees across
 * machines, {@link org.distree.crawl.HttpNodeSource} fetches one node file at a time. The walk
 * and the fetch machinery they share are package-private here; {@code
 * org.distree.crawl.internal} holds the helper below them (URL
 * normalization), which never depends on this package.
 */
@NullMarked
package org.distree.crawl;

import org.jspecify.annotations.NullMarked;
