@NullMarked
package org.distree.query;

import org.jspecify.annotations.NullMarked;
