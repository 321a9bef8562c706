/**
 * The maintainer: jobs that keep a machine's tree within the rules and sync it with other
 * machines (docs/PROTOCOL.md).
 */
@NullMarked
package org.distree.maintain;

import org.jspecify.annotations.NullMarked;
