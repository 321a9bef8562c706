@NullMarked
package org.distree.rules;

import org.jspecify.annotations.NullMarked;
