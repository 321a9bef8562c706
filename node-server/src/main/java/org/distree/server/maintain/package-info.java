/**
 * The maintainer hosted by the daemon: its settings, drawn from the daemon's where they share a
 * key, and its schedule on the daemon's own tree.
 */
@NullMarked
package org.distree.server.maintain;

import org.jspecify.annotations.NullMarked;
