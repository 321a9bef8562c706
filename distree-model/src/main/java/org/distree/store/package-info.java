@NullMarked
package org.distree.store;

import org.jspecify.annotations.NullMarked;
