/**
 * Counters and gauges in the Prometheus text format.
 */
@NullMarked
package org.distree.server.metrics;

import org.jspecify.annotations.NullMarked;
