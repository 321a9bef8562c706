/**
 * Helpers of the crawler: a fetched page, its decoding into node files, URL normalization. They
 * depend on the model only, never on {@code org.distree.crawl}.
 */
@NullMarked
package org.distree.crawl.internal;

import org.jspecify.annotations.NullMarked;
