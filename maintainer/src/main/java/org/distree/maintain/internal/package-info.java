/** Helpers of the maintainer: the remote walk, rate limits, the state file. */
@NullMarked
package org.distree.maintain.internal;

import org.jspecify.annotations.NullMarked;
