@NullMarked
package org.distree.html;

import org.jspecify.annotations.NullMarked;
