/**
 * Helpers of the crawler that depend on the model only, never on {@code org.distree.crawl}: URL
 * normalization.
 */
@NullMarked
package org.distree.crawl.internal;

import org.jspecify.annotations.NullMarked;
