@NullMarked
package org.distree.crawl.internal;

import org.jspecify.annotations.NullMarked;
