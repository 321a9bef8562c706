@NullMarked
package org.distree.analysis;

import org.jspecify.annotations.NullMarked;
