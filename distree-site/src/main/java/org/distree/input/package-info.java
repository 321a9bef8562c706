@NullMarked
package org.distree.input;

import org.jspecify.annotations.NullMarked;
