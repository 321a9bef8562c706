@NullMarked
package org.distree.tree;

import org.jspecify.annotations.NullMarked;
