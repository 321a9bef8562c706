@NullMarked
package org.distree.server.metrics;

import org.jspecify.annotations.NullMarked;
