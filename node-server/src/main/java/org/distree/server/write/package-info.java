/**
 * Writing the local tree: the one writer thread with group commit, and the bearer token.
 */
@NullMarked
package org.distree.server.write;

import org.jspecify.annotations.NullMarked;
