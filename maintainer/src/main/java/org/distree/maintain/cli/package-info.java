/** The {@code distree maintain} command. */
@NullMarked
package org.distree.maintain.cli;

import org.jspecify.annotations.NullMarked;
