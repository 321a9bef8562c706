@NullMarked
package org.distree.cli;

import org.jspecify.annotations.NullMarked;
