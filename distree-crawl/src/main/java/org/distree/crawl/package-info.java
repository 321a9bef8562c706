/**
 * The crawler-style search over HTTP: {@link org.distree.crawl.Searcher} walks trees across
 * machines, {@link org.distree.crawl.HttpNodeSource} fetches one node file at a time. Details
 * live in {@code org.distree.crawl.internal}.
 */
@NullMarked
package org.distree.crawl;

import org.jspecify.annotations.NullMarked;
