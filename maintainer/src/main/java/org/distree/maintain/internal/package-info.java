/**
 * Helpers of the maintainer: the remote walk, rate limits, the state file. They never depend on
 * {@code org.distree.maintain}.
 */
@NullMarked
package org.distree.maintain.internal;

import org.jspecify.annotations.NullMarked;
