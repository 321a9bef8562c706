@NullMarked
package org.distree.server.write;

import org.jspecify.annotations.NullMarked;
